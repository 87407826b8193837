"""Completing an assessment when Slack fails at the last step."""

from __future__ import annotations

import redis

from bot.standin.server import TEAM_ID, SlackStandIn
from bot.standin.signing import SignedSender, SlackResponse
from conversations.storage.revisits import RevisitQueue
from tests.e2e.test_interview import REPLIES, next_step, questions, reply, start


def test_a_failed_recommendation_post_still_schedules_the_revisit(
    sender: SignedSender, standin: SlackStandIn, redis_url: str
) -> None:
    """If posting the recommendation fails, the decision and its revisit are kept all the same."""
    thread = start(sender, standin, name="Archived channel bot")
    question = questions(standin, thread)[-1]
    while question["metadata"]["event_payload"]["question_id"] != "another_workload":
        qid = question["metadata"]["event_payload"]["question_id"]
        seen = len(questions(standin, thread))
        reply(sender, standin, thread, REPLIES[qid])
        following = next_step(standin, thread, seen)
        assert following is not None
        question = following
    aid = question["metadata"]["event_payload"]["assessment_id"]
    standin.fail_next("chat.postMessage", error="is_archived")  # the recommendation's post
    reply(sender, standin, thread, "no")

    standin.wait_for(  # the recommendation's post was refused
        lambda: [c for c in standin.calls_to("chat.postMessage") if c.response.get("ok") is False]
    )
    queue = RevisitQueue(redis.Redis.from_url(redis_url))
    assert queue.status(TEAM_ID, aid) is not None  # and the revisit is scheduled all the same
    shown: SlackResponse = sender.command(f"show {aid}", user_id="U0OWNER", channel_id="C0PLAYGND")
    assert shown.status == 200
