"""A question post Slack carries out only after the client gave up on it goes out once (N16)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from bot.standin.server import SlackStandIn
from tests.e2e.harness import WebProcess, press

pytestmark = pytest.mark.slow

CHANNEL = "C0SLOWPOST"
OWNER = "U0OWNER"


def _questions(standin: SlackStandIn, qid: str | None = None) -> list[dict[str, Any]]:
    return [
        m
        for m in standin.bot_messages(CHANNEL)
        if (m.get("metadata") or {}).get("event_type") == "ragft_question"
        and qid in (None, m["metadata"]["event_payload"]["question_id"])
    ]


def test_a_post_slack_finishes_after_the_timeout_is_not_sent_again(
    start_web: Callable[..., WebProcess], standin: SlackStandIn
) -> None:
    """The client gives up after 2 s; Slack posts the next question after 3.5 s. The next
    attempt looks for it only once Slack has had as long again, finds it, and posts nothing."""
    web = start_web(env={"SLACK_API_TIMEOUT": "2"})
    web.sender.command("assess Slow post", user_id=OWNER, channel_id=CHANNEL)
    first = standin.wait_for(lambda: _questions(standin))[0]
    thread = first["thread_ts"]
    web.sender.message(
        "billing answers", channel=CHANNEL, user=OWNER, thread_ts=thread, ts=standin.next_ts()
    )
    deployment = standin.wait_for(lambda: _questions(standin, "deployment"))[0]
    standin.slow_next("chat.postMessage", 3.5)
    assert press(web.sender, deployment, 0, user_id=OWNER).status == 200
    standin.wait_for(lambda: _questions(standin, "domain"), timeout=15)
    standin.wait_quiet(quiet=3.0, timeout=20)
    assert len(_questions(standin, "domain")) == 1
    # the interview goes on from there
    web.sender.message(
        "general", channel=CHANNEL, user=OWNER, thread_ts=thread, ts=standin.next_ts()
    )
    standin.wait_for(lambda: _questions(standin, "task"), timeout=15)
