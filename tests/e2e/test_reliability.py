"""Reliability against the real processes: kill -9 of the worker, Slack failing, Redis stalling.

Each test is one break of the reliability review (2026-11-30); none mocks Redis or the
Slack client: `ragft web` runs as a process, Slack is the stand-in, Redis a real server.
"""

from __future__ import annotations

from typing import Any

import pytest

from bot.standin.server import SlackStandIn
from bot.standin.signing import SignedSender
from tests.e2e.harness import WebProcess
from tests.e2e.test_interview import (
    CHANNEL,
    OWNER,
    REPLIES,
    next_step,
    questions,
    reply,
    start,
    thread_messages,
)

pytestmark = pytest.mark.slow

# The shortest interview: a research workload is out of scope, so it ends after three answers.
SHORT = {"workload_name": "billing answers", "deployment": "research", "another_workload": "no"}
SLOW_POSTS = {"chat.postMessage", "chat.update"}


def open_question_id(standin: SlackStandIn, thread: str) -> str:
    return str(questions(standin, thread)[-1]["metadata"]["event_payload"]["question_id"])


def answer_open(
    sender: SignedSender, standin: SlackStandIn, thread: str, user: str = OWNER
) -> None:
    qid = open_question_id(standin, thread)
    reply(sender, standin, thread, SHORT.get(qid, REPLIES.get(qid, "no")), user=user)


def recommendations(standin: SlackStandIn, thread: str) -> list[dict[str, Any]]:
    return [
        m
        for m in thread_messages(standin, thread)
        if (m.get("metadata") or {}).get("event_type") == "ragft_recommendation"
    ]


def test_kill_9_of_the_worker_loses_no_acknowledged_answer(
    web: WebProcess, standin: SlackStandIn
) -> None:
    """B4: answers acknowledged just before a kill -9 of the worker are all applied after the
    restart, and an interview completed at the kill gets its recommendation, once."""
    threads = [start(web.sender, standin, user=f"U0K{n}") for n in range(6)]
    finisher = threads[0]
    # Bring the first interview to its last question.
    while open_question_id(standin, finisher) != "another_workload":
        seen = len(questions(standin, finisher))
        answer_open(web.sender, standin, finisher, user="U0K0")
        assert next_step(standin, finisher, seen) is not None
    seen = {thread: len(questions(standin, thread)) for thread in threads}
    standin.slow(1.0, SLOW_POSTS)  # the work queues up behind a slow Slack
    for n, thread in enumerate(threads):
        response = web.sender.message(
            "no" if thread == finisher else SHORT["workload_name"],
            channel=CHANNEL,
            user=f"U0K{n}",
            thread_ts=thread,
            ts=standin.next_ts(),
        )
        assert response.status == 200  # acknowledged
    web.kill()  # kill -9 with (nearly) all of that work still to do
    standin.slow(0)
    web.start()
    # The dead worker's heartbeat lapses (15 s); its claimed requests are handed out again.
    for thread in threads[1:]:
        standin.wait_for(lambda t=thread: len(questions(standin, t)) > seen[t], timeout=60)
    standin.wait_for(lambda: recommendations(standin, finisher), timeout=60)
    standin.wait_quiet(1.0)
    assert len(recommendations(standin, finisher)) == 1
    for thread in threads[1:]:  # each answer applied once: one new question each
        assert len(questions(standin, thread)) == seen[thread] + 1
