"""No window without a revisit: real processes killed (RAGFT_FAULT) at every step between a
completed interview and its scheduled revisit; whatever the kill point, the revisit arrives."""

from __future__ import annotations

import contextlib
import http.client
import time
from collections.abc import Callable
from typing import Any

import pytest
import redis

from bot.standin.server import TEAM_ID, SlackStandIn
from conversations.faults import POINTS
from conversations.storage import keys
from conversations.storage.outbox import INDEX, RevisitOutbox
from conversations.storage.revisits import RevisitQueue
from tests.bot.test_revisit_outbox import complete
from tests.e2e.harness import ClockProcess, WebProcess
from tests.e2e.test_interview import REPLIES, next_step, questions, recommendation, reply, start

pytestmark = pytest.mark.slow


def until(check: Callable[[], Any], timeout: float = 20.0) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.05)
    raise AssertionError(f"not within {timeout} s: {check}")


def answer_to_the_end(web: WebProcess, standin: SlackStandIn) -> tuple[str, str]:
    """Answer every question; the last answer completes the interview. (thread, assessment id)"""
    thread = start(web.sender, standin, name="Support bot")
    question = questions(standin, thread)[-1]
    while question["metadata"]["event_payload"]["question_id"] != "another_workload":
        qid = question["metadata"]["event_payload"]["question_id"]
        seen = len(questions(standin, thread))
        reply(web.sender, standin, thread, REPLIES[qid])
        question = next_step(standin, thread, seen)
        assert question is not None
    # The commit runs before the ack: a process killed right after it answers nothing (and
    # Slack would send the event again).
    with contextlib.suppress(http.client.RemoteDisconnected, ConnectionError):
        reply(web.sender, standin, thread, "no")
    return thread, question["metadata"]["event_payload"]["assessment_id"]


# What Redis holds when the process dies at each point (outbox entry, team indexed, scheduled).
EXPECTED_AT_DEATH = {
    "after_completion_commit": (True, False, False),
    "after_outbox_index": (True, True, False),
    "after_revisit_scheduled": (True, True, True),
}


@pytest.mark.parametrize("point", POINTS)
def test_a_web_process_killed_at_any_step_of_a_completion_still_gets_the_revisit_scheduled(
    point: str,
    start_web: Callable[..., WebProcess],
    start_clock: Callable[..., ClockProcess],
    standin: SlackStandIn,
    redis_client: redis.Redis,
) -> None:
    web = start_web(env={"RAGFT_FAULT": point})
    thread, aid = answer_to_the_end(web, standin)
    queue, outbox = RevisitQueue(redis_client), RevisitOutbox(redis_client)

    def at_death() -> tuple[bool, bool, bool]:
        return (
            bool(redis_client.hexists(keys.revisit_outbox(TEAM_ID), aid)),
            bool(redis_client.sismember(INDEX, TEAM_ID)),
            queue.status(TEAM_ID, aid) is not None,
        )

    until(lambda: redis_client.exists(keys.assessment(TEAM_ID, aid)))
    until(lambda: "exited with code 137" in web.logs())  # gunicorn saw its worker die
    time.sleep(0.3)
    assert at_death() == EXPECTED_AT_DEATH[point]
    assert recommendation(standin, thread) is None  # the worker died before posting it

    clock = start_clock()
    until(lambda: queue.status(TEAM_ID, aid) is not None and outbox.pending() == 0)
    state = queue.status(TEAM_ID, aid)
    assert state is not None and not state.delivered and state.snoozed_until is None
    assert clock.proc is not None and clock.proc.poll() is None


def test_a_clock_killed_between_scheduling_and_clearing_leaves_a_snooze_alone(
    start_clock: Callable[..., ClockProcess], redis_client: redis.Redis
) -> None:
    """The next clock drains the same entry again: nothing changes, the snooze made meanwhile
    stands, and the entry goes."""
    aid = complete(redis_client, "T1")
    queue, outbox = RevisitQueue(redis_client), RevisitOutbox(redis_client)
    dying = start_clock(env={"RAGFT_FAULT": "after_revisit_scheduled"})
    assert dying.proc is not None and dying.proc.wait(30) == 137
    assert queue.status("T1", aid) is not None and len(outbox.entries("T1")) == 1
    until_ts = time.time() + 10 * 24 * 3600
    assert queue.snooze("T1", aid, until_ts)
    start_clock()
    until(lambda: outbox.pending() == 0)
    state = queue.status("T1", aid)
    assert state is not None and state.snoozed_until is not None
    assert state.snoozed_until.timestamp() == pytest.approx(until_ts, abs=0.01)
