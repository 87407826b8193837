"""After the recommendation, the cost chart: one PNG per costed workload in the thread; a chart
that fails never costs the recommendation or its revisit."""

from __future__ import annotations

from typing import Any

import redis

from bot.standin.server import TEAM_ID, SlackStandIn
from bot.standin.signing import SignedSender
from conversations.storage.revisits import RevisitQueue
from tests.e2e.test_interview import REPLIES, next_step, questions, reply, start


def _complete(sender: SignedSender, standin: SlackStandIn, name: str) -> tuple[str, str]:
    """Answer every question of one workload up to `another_workload`; (thread, assessment id)."""
    thread = start(sender, standin, name=name)
    question = questions(standin, thread)[-1]
    while question["metadata"]["event_payload"]["question_id"] != "another_workload":
        qid = question["metadata"]["event_payload"]["question_id"]
        seen = len(questions(standin, thread))
        reply(sender, standin, thread, REPLIES[qid])
        following = next_step(standin, thread, seen)
        assert following is not None
        question = following
    return thread, question["metadata"]["event_payload"]["assessment_id"]


def _recommendation(standin: SlackStandIn, thread: str) -> Any:
    return standin.wait_for(
        lambda: [
            c
            for c in standin.calls_to("chat.postMessage")
            if c.args.get("thread_ts") == thread
            and (c.args.get("metadata") or {}).get("event_type") == "ragft_recommendation"
            and c.response.get("ok")
        ]
    )[0]


def test_the_recommendation_has_a_table_then_a_chart_in_its_thread(
    sender: SignedSender, standin: SlackStandIn
) -> None:
    thread, _ = _complete(sender, standin, "Charted bot")
    reply(sender, standin, thread, "no")
    rec = _recommendation(standin, thread)
    assert [b for b in rec.args["blocks"] if b["type"] == "table"]
    assert "Costs of" in rec.args["text"]
    done = standin.wait_for(
        lambda: [
            f for f in standin.files.values() if f.get("content") and f.get("thread_ts") == thread
        ],
        timeout=30,
    )
    assert len(done) == 1
    assert done[0]["content"][:8] == b"\x89PNG\r\n\x1a\n"
    assert done[0]["filename"] == "ragft-cost-1.png"
    names = [c.method for c in standin.calls]
    posted = max(i for i, c in enumerate(standin.calls) if c is rec)
    assert names.index("files.getUploadURLExternal", posted) > posted


def test_a_failed_chart_upload_keeps_the_recommendation_and_the_revisit(
    sender: SignedSender, standin: SlackStandIn, redis_url: str
) -> None:
    thread, aid = _complete(sender, standin, "Chart refused bot")
    standin.fail_next("files.getUploadURLExternal", error="fatal_error")
    reply(sender, standin, thread, "no")
    rec = _recommendation(standin, thread)
    assert rec.args["metadata"]["event_payload"]["assessment_id"] == aid
    standin.wait_for(
        lambda: [c for c in standin.calls_to("files.getUploadURLExternal") if c.response]
    )
    assert RevisitQueue(redis.Redis.from_url(redis_url)).status(TEAM_ID, aid) is not None
    assert not [f for f in standin.files.values() if f.get("thread_ts") == thread]


def test_a_server_error_on_upload_keeps_the_recommendation(
    sender: SignedSender, standin: SlackStandIn, redis_url: str
) -> None:
    thread, aid = _complete(sender, standin, "Chart 500 bot")
    for _ in range(5):  # beyond the client's retries
        standin.fail_next("files.getUploadURLExternal", status=500, retry_after=None)
    reply(sender, standin, thread, "no")
    _recommendation(standin, thread)
    assert RevisitQueue(redis.Redis.from_url(redis_url)).status(TEAM_ID, aid) is not None
