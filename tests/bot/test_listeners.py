"""The Bolt app in-process: signed requests dispatched to it, the Slack stand-in behind it."""

from __future__ import annotations

import json
import time
from typing import Any
from urllib.parse import urlencode

import pytest
import redis
from slack_bolt import App, BoltRequest
from slack_sdk.signature import SignatureVerifier
from structlog.contextvars import merge_contextvars
from structlog.testing import capture_logs

from bot import bootstrap
from bot.app import create_app
from bot.listeners.actions import selected_gaps
from bot.listeners.messages import is_person_thread_reply
from bot.settings import Settings
from bot.standin.server import SlackStandIn
from bot.views import text as t

SECRET = "fake-signing-secret"


def _settings(standin: SlackStandIn) -> Settings:
    return Settings(
        slack_bot_token="xoxb-fake-token",
        slack_signing_secret=SECRET,
        slack_api_url=standin.api_url,
    )


def _app(settings: Settings, redis_client: redis.Redis) -> App:
    """The Bolt app on parts built as every process builds them."""
    return create_app(settings, bootstrap.build(settings, redis_client))


def _command(text: str, response_url: str) -> BoltRequest:
    body = urlencode(
        {
            "team_id": "T0PLAYGND",
            "channel_id": "C1",
            "user_id": "U1",
            "command": "/ragft",
            "text": text,
            "response_url": response_url,
            "trigger_id": "1.2",
        }
    )
    ts = str(int(time.time()))
    signature = SignatureVerifier(SECRET).generate_signature(timestamp=ts, body=body)
    headers = {
        "content-type": ["application/x-www-form-urlencoded"],
        "x-slack-request-timestamp": [ts],
        "x-slack-signature": [signature or ""],
    }
    return BoltRequest(body=body, headers=headers)


def test_redis_going_away_gets_a_clear_message_and_a_logged_failure(
    standin: SlackStandIn, tmp_path: Any
) -> None:
    """With Redis unreachable, `/ragft list` answers that storage is down and logs the failure."""
    dead = redis.Redis(unix_socket_path=str(tmp_path / "nothing.sock"))
    app = _app(_settings(standin), dead)
    with capture_logs() as logs:
        response = app.dispatch(_command("list", standin.url + "response/1"))
        assert response.status == 200
        standin.wait_for(lambda: standin.responses)
    assert standin.responses[0]["text"] == t.ERROR_STORE
    failed = [e for e in logs if e["event"] == "request_failed"]
    assert failed and failed[0]["error_type"] == "StoreUnavailable"
    assert failed[0]["team"] == "T0PLAYGND" and failed[0]["channel"] == "C1"


def test_assess_logs_carry_the_thread_and_no_answer_text(
    standin: SlackStandIn, redis_client: Any
) -> None:
    """Starting an interview logs team, channel, thread and assessment id at info level."""
    app = _app(_settings(standin), redis_client)
    with capture_logs(processors=[merge_contextvars]) as logs:
        app.dispatch(_command("assess Secret project name", standin.url + "response/1"))
        standin.wait_for(lambda: any(e["event"] == "question_asked" for e in logs))
    asked = next(e for e in logs if e["event"] == "question_asked")
    assert {"team", "channel", "thread", "assessment_id"} <= set(asked)
    assert "Secret project" not in json.dumps([e for e in logs if e.get("log_level") == "info"])


@pytest.mark.parametrize(
    ("event", "expected"),
    [
        ({"type": "message", "user": "U1", "ts": "2.0", "thread_ts": "1.0", "text": "hi"}, True),
        ({"type": "message", "user": "U1", "ts": "1.0", "thread_ts": "1.0"}, False),
        ({"type": "message", "user": "U1", "ts": "2.0"}, False),
        ({"type": "message", "subtype": "message_changed", "ts": "2.0", "thread_ts": "1.0"}, False),
        ({"type": "message", "subtype": "channel_join", "user": "U1", "ts": "2.0"}, False),
        ({"type": "message", "bot_id": "B1", "user": "U2", "ts": "2.0", "thread_ts": "1.0"}, False),
        # "Also send to #channel" and a reply with a file are still a person's thread reply.
        (
            {
                "type": "message",
                "subtype": "thread_broadcast",
                "user": "U1",
                "ts": "2.0",
                "thread_ts": "1.0",
                "text": "hi",
            },
            True,
        ),
        (
            {
                "type": "message",
                "subtype": "file_share",
                "user": "U1",
                "ts": "2.0",
                "thread_ts": "1.0",
                "text": "hi",
            },
            True,
        ),
        ({"type": "message", "subtype": "message_deleted", "ts": "2.0", "thread_ts": "1.0"}, False),
        (
            {
                "type": "message",
                "subtype": "bot_message",
                "ts": "2.0",
                "thread_ts": "1.0",
                "user": "U1",
            },
            False,
        ),
    ],
)
def test_only_people_s_thread_replies_count(event: dict[str, Any], expected: bool) -> None:
    """Edits, joins, bots, roots and channel messages are not thread replies from people."""
    assert is_person_thread_reply(event) is expected


def test_ticked_gaps_are_read_from_the_message_state() -> None:
    """Done reads the ticked checkboxes of that asking from the payload's state."""
    body = {
        "state": {
            "values": {
                "ragft_q:a-3": {
                    "ragft_gaps": {"selected_options": [{"value": "format"}, {"value": "refusal"}]}
                }
            }
        }
    }
    assert selected_gaps(body, "a-3") == ["format", "refusal"]
    assert selected_gaps({}, "a-3") == []
