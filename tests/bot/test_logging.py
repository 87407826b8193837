"""Log lines carry the Slack context, never a token, and no answer text above debug."""

from __future__ import annotations

import io
import json
import logging

import structlog
from structlog.testing import capture_logs

from bot.log import (
    configure_logging,
    get_logger,
    log_context,
    mask_tokens,
    redact,
)
from bot.payload import log_fields


def test_mask_tokens_hides_every_kind_of_slack_token() -> None:
    """Bot, user, app and refresh tokens are masked down to their prefix."""
    text = "a xoxb-1-2-abc b xoxp-9-z c xapp-1-A-2 d xoxe.xoxp-1"
    masked = mask_tokens(text)
    assert "abc" not in masked and "9-z" not in masked and "A-2" not in masked
    assert "xoxb-***" in masked and "xapp-***" in masked


def test_redact_masks_secrets_and_drops_answers_at_info() -> None:
    """At info level, token keys become *** and answer text only shows its length."""
    out = redact(
        None,
        "info",
        {
            "event": "x",
            "token": "xoxb-1",
            "text": "my plan",
            "payload": {"authorization": "Bearer xoxb-2", "n": ["xoxb-3"]},
        },
    )
    assert out["token"] == "***"
    assert out["text"] == "<7 chars>"
    assert out["payload"] == {"authorization": "***", "n": ["xoxb-***"]}


def test_redact_keeps_answers_at_debug() -> None:
    """At debug level the answer text is kept, for local troubleshooting."""
    assert redact(None, "debug", {"event": "x", "text": "my plan"})["text"] == "my plan"


def test_context_keys_reach_every_line() -> None:
    """Lines logged inside log_context carry team, channel, thread and assessment_id."""
    configure_logging("json", stream=io.StringIO())
    with capture_logs(processors=[structlog.contextvars.merge_contextvars]) as logs:
        with log_context(team="T1", channel="C1", thread="1.2", assessment_id="a1"):
            get_logger("t").info("asked", question_id="task")
        get_logger("t").info("outside")
    assert {k: logs[0][k] for k in ("team", "channel", "thread", "assessment_id")} == {
        "team": "T1",
        "channel": "C1",
        "thread": "1.2",
        "assessment_id": "a1",
    }
    assert "team" not in logs[1]


def test_json_output_has_context_and_no_token() -> None:
    """The configured JSON renderer writes one object per line with context keys, tokens masked,
    including lines from the standard library (Bolt's own logger)."""
    stream = io.StringIO()
    configure_logging("json", stream=stream)
    with log_context(team="T9"):
        get_logger("t").info("posting", token="xoxb-123-secret", text="answer text")
        logging.getLogger("slack_bolt.App").warning("failed with xoxb-123-secret")
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert [line["team"] for line in lines] == ["T9", "T9"]
    assert all(line["channel"] is None for line in lines)
    assert "secret" not in stream.getvalue() and "answer text" not in stream.getvalue()


def test_log_fields_read_commands_events_and_actions() -> None:
    """team/channel/thread come out of each kind of Slack body."""
    assert log_fields({"team_id": "T", "channel_id": "C"}) == {"team": "T", "channel": "C"}
    assert log_fields({"team_id": "T", "event": {"channel": "C", "thread_ts": "1.0"}}) == {
        "team": "T",
        "channel": "C",
        "thread": "1.0",
    }
    body = {
        "team": {"id": "T"},
        "channel": {"id": "C"},
        "message": {"ts": "2.0", "thread_ts": "1.0"},
    }
    assert log_fields(body) == {"team": "T", "channel": "C", "thread": "1.0"}
