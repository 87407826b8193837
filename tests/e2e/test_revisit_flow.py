"""A revisit end to end: `ragft web` + `ragft clock` + the stand-in, with REVISIT_AFTER=PT2S."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest
import redis

from bot.standin.server import SlackStandIn
from bot.views import action_ids as ids
from bot.views import text as t
from conversations.storage.revisits import RevisitQueue
from tests.e2e.harness import WebProcess, press
from tests.e2e.test_interview import (
    CHANNEL,
    OWNER,
    REPLIES,
    answer_all,
    questions,
    reply,
    start,
    thread_messages,
)
from tests.e2e.test_revisit_clocks import start_clock  # noqa: F401 (a fixture)

pytestmark = pytest.mark.slow
PERIOD = 2.0
# 1 week of snooze becomes 1.2 s: the snoozed nudge comes back within the test.
SNOOZE_SCALE = 1.2 / (7 * 24 * 3600)
ENV = {
    "REVISIT_AFTER": "PT2S",
    "REVISIT_TICK_SECONDS": "1",
    "REVISIT_SNOOZE_SCALE": str(SNOOZE_SCALE),
}


def nudges(standin: SlackStandIn, aid: str) -> dict[str, list[dict[str, Any]]]:
    """The revisit messages for one assessment, by target."""
    found: dict[str, list[dict[str, Any]]] = {"dm": [], "thread": []}
    for message in standin.bot_messages():
        meta = message.get("metadata") or {}
        if meta.get("event_type") == "ragft_revisit" and (
            meta.get("event_payload", {}).get("assessment_id") == aid
        ):
            found["thread" if message["channel"] == CHANNEL else "dm"].append(message)
    return found


def wait_nudges(standin: SlackStandIn, aid: str, count: int) -> dict[str, list[dict[str, Any]]]:
    """Wait for `count` nudges in each target, then two more ticks of quiet."""
    standin.wait_for(lambda: all(len(m) >= count for m in nudges(standin, aid).values()), 20)
    standin.wait_quiet(quiet=2.5, timeout=20)
    return nudges(standin, aid)


def element(message: dict[str, Any], action_id: str) -> int:
    """The index `press` needs for the element with this action id."""
    elements = [e for b in message["blocks"] if b["type"] == "actions" for e in b["elements"]]
    return next(i for i, e in enumerate(elements) if e["action_id"] == action_id)


def select_snooze(web: WebProcess, message: dict[str, Any], aid: str, code: str) -> None:
    action = {
        "action_id": ids.REVISIT_SNOOZE_ACTION,
        "block_id": "ragft_revisit_actions",
        "type": "static_select",
        "selected_option": {"value": f"{aid}|{code}", "text": {"type": "plain_text", "text": code}},
    }
    assert web.sender.block_action(action, message=message, user_id=OWNER).status == 200


@pytest.fixture
def app_and_clock(
    start_web: Callable[..., WebProcess],
    start_clock: Callable[..., Any],  # noqa: F811 (the fixture imported above)
) -> WebProcess:
    web = start_web(env=ENV)
    start_clock(REVISIT_AFTER="PT2S", REVISIT_TICK_SECONDS="1")
    return web


def test_nudge_once_then_snooze_then_dismiss(
    app_and_clock: WebProcess, standin: SlackStandIn, redis_client: redis.Redis
) -> None:
    """A completed assessment is nudged once per target; a snooze brings it back; a dismissal
    schedules the next one a period later."""
    web = app_and_clock
    thread = start(web.sender, standin)
    rec = answer_all(web.sender, standin, thread)
    aid = rec["metadata"]["event_payload"]["assessment_id"]

    first = wait_nudges(standin, aid, 1)
    assert [len(first["dm"]), len(first["thread"])] == [1, 1]
    assert first["thread"][0]["thread_ts"] == thread
    assert first["dm"][0]["channel"] == "D" + OWNER.lstrip("U")

    select_snooze(web, first["dm"][0], aid, "P1W")
    standin.wait_for(
        lambda: any("Snoozed by" in str(m.get("blocks")) for m in nudges(standin, aid)["dm"])
    )
    again = wait_nudges(standin, aid, 2)
    assert [len(again["dm"]), len(again["thread"])] == [2, 2]

    pressed_at = time.time()
    message = again["dm"][-1]
    dismiss = element(message, ids.REVISIT_DISMISS_ACTION)
    assert press(web.sender, message, dismiss, user_id=OWNER).status == 200
    queue = RevisitQueue(redis_client)
    status = standin.wait_for(
        lambda: (s := queue.status("T0PLAYGND", aid)) and not s.delivered and s
    )
    assert pressed_at + PERIOD - 1 <= status.due_at.timestamp() <= time.time() + PERIOD
    assert status.snoozed_until is None
    third = wait_nudges(standin, aid, 3)
    assert [len(third["dm"]), len(third["thread"])] == [3, 3]


def test_reassess_now_starts_from_last_years_answers(
    app_and_clock: WebProcess, standin: SlackStandIn
) -> None:
    """Re-assess now opens a re-assessment whose recommendation says what changed."""
    web = app_and_clock
    thread = start(web.sender, standin)
    rec = answer_all(web.sender, standin, thread)
    aid = rec["metadata"]["event_payload"]["assessment_id"]
    nudge = wait_nudges(standin, aid, 1)["dm"][0]
    reassess = element(nudge, ids.REVISIT_REASSESS_ACTION)
    assert press(web.sender, nudge, reassess, user_id=OWNER).status == 200
    asked = standin.wait_for(
        lambda: [
            m
            for m in standin.bot_messages()
            if (m.get("metadata") or {}).get("event_type") == "ragft_question"
            and m["metadata"]["event_payload"]["assessment_id"] == aid
            and m["ts"] > nudge["ts"]
        ]
    )
    where = asked[0]["thread_ts"]
    again = answer_reassessment(web, standin, where, after=nudge["ts"])
    assert t.CHANGES_NONE in str(again["blocks"])  # the same answers: nothing moved


def recommendations(standin: SlackStandIn, thread: str, after: str) -> list[dict[str, Any]]:
    return [
        m
        for m in thread_messages(standin, thread)
        if (m.get("metadata") or {}).get("event_type") == "ragft_recommendation" and m["ts"] > after
    ]


def answer_reassessment(
    web: WebProcess, standin: SlackStandIn, thread: str, after: str
) -> dict[str, Any]:
    """Give last year's replies to every question asked after `after`; the new recommendation."""
    answered: set[str] = set()
    for _ in range(40):
        found = standin.wait_for(
            lambda: (
                recommendations(standin, thread, after)
                or [
                    q
                    for q in questions(standin, thread)
                    if q["ts"] > after and q["ts"] not in answered
                ]
            )
        )
        if found[0]["metadata"]["event_type"] == "ragft_recommendation":
            return found[0]
        question = found[-1]
        answered.update(q["ts"] for q in found)
        reply(
            web.sender,
            standin,
            thread,
            REPLIES[question["metadata"]["event_payload"]["question_id"]],
        )
    raise AssertionError("the re-assessment did not end")
