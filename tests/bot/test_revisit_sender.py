"""Sending nudges through the Web API stand-in: once per target, retried, never lost."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
import redis
from slack_sdk import WebClient
from structlog.testing import capture_logs

from bot import bootstrap
from bot.revisits.scheduler import RevisitConfig
from bot.revisits.sender import Delivery, NudgeSender
from bot.settings import Settings
from bot.standin.server import SlackStandIn
from conversations.state import AssessmentRecord
from conversations.storage.decisions import DecisionStore
from conversations.storage.interviews import InterviewStore
from conversations.storage.revisits import RevisitQueue
from engine import assess

TEAM = "T0PLAYGND"
PROFILE: dict[str, Any] = {
    "name": "Support bot",
    "workloads": [
        {
            "name": "billing answers",
            "deployment": "production",
            "domain": "general",
            "task": "generation",
            "knowledge": "corpus",
            "prompt_pass": "yes",
            "baseline_pct": 85,
            "gaps": ["tone"],
            "frontier_ok": "yes",
            "requests_per_day": 10_000,
        }
    ],
}


def make_record(aid: str, *, owner: str = "U1", channel: str = "C1") -> AssessmentRecord:
    """A completed assessment as the interview store keeps it."""
    result = assess(PROFILE, decided_on=date(2025, 1, 15)).to_json()
    return AssessmentRecord(
        assessment_id=aid,
        team=TEAM,
        channel=channel,
        thread_ts="1700000000.000100",
        owner=owner,
        name="Support bot",
        answers=PROFILE["workloads"],
        profile=PROFILE,
        result=result,
        decided_on="2025-01-15",
        revisit_on="2026-01-15",
        created_at="2025-01-15T09:00:00+00:00",
    )


@pytest.fixture
def client(standin: SlackStandIn) -> WebClient:
    return WebClient(token="xoxb-fake-token", base_url=standin.api_url)


@pytest.fixture
def store(redis_client: redis.Redis) -> InterviewStore:
    return InterviewStore(redis_client)


@pytest.fixture
def queue(redis_client: redis.Redis) -> RevisitQueue:
    return RevisitQueue(redis_client, lease_seconds=30, base_backoff=1, max_backoff=8)


def posts(standin: SlackStandIn) -> list[dict[str, Any]]:
    return [c.args for c in standin.calls_to("chat.postMessage") if c.response.get("ok")]


def send_due(sender: NudgeSender, queue: RevisitQueue, now: float) -> list[Delivery]:
    return [sender.deliver(rev, now) for rev in queue.claim(now)]


def test_delivers_to_dm_and_thread_once_with_metadata(
    standin: SlackStandIn, client: WebClient, store: InterviewStore, queue: RevisitQueue
) -> None:
    """A due revisit goes once to the owner's DM and once to the thread, both with exactly the
    INTERFACES metadata, and the occurrence in the buttons' block id (a retry looks for it)."""
    store.save_assessment(make_record("a1"))
    queue.schedule(TEAM, "a1", 100.0)
    sender = NudgeSender(client, queue, store)
    assert send_due(sender, queue, 100.0) == [Delivery.DELIVERED]
    assert send_due(sender, queue, 10_000.0) == []
    sent = posts(standin)
    assert sorted((m["channel"], m.get("thread_ts")) for m in sent) == [
        ("C1", "1700000000.000100"),
        ("D1", None),
    ]
    for message in sent:
        assert message["metadata"] == {
            "event_type": "ragft_revisit",
            "event_payload": {"assessment_id": "a1"},
        }
        block_ids = [b.get("block_id") for b in message["blocks"]]
        assert "ragft_revisit_actions:100.0" in block_ids
        assert "billing answers" in str(message["blocks"])


def test_a_post_slack_did_but_answered_500_is_found_and_not_posted_again(
    standin: SlackStandIn, client: WebClient, store: InterviewStore, queue: RevisitQueue
) -> None:
    """The DM is posted but Slack answers 500 (twice): the client does not retry the post,
    and each retry finds the DM by its metadata instead of posting it again."""
    store.save_assessment(make_record("a1"))
    queue.schedule(TEAM, "a1", 100.0)
    sender = NudgeSender(client, queue, store)
    standin.fail_after_post("chat.postMessage", status=500)
    assert send_due(sender, queue, 100.0) == [Delivery.RETRY]
    assert send_due(sender, queue, 10_000.0) == [Delivery.DELIVERED]
    assert sorted(m["channel"] for m in standin.bot_messages()) == ["C1", "D1"]  # once each
    assert standin.calls_to("conversations.history")


def test_server_errors_then_success_deliver_once(
    standin: SlackStandIn, client: WebClient, store: InterviewStore, queue: RevisitQueue
) -> None:
    """Web API 500s put it back with a backoff; the next try sends only what is missing."""
    store.save_assessment(make_record("a1"))
    queue.schedule(TEAM, "a1", 100.0)
    sender = NudgeSender(client, queue, store)
    standin.fail_next("chat.postMessage", status=500)
    with capture_logs() as logs:
        assert send_due(sender, queue, 100.0) == [Delivery.RETRY]
    assert any(e["event"] == "revisit_retry" and e["attempt"] == 1 for e in logs)
    assert [m["channel"] for m in posts(standin)] == ["C1"]  # the thread got through
    assert send_due(sender, queue, 100.5) == []  # backing off
    assert send_due(sender, queue, 101.0) == [Delivery.DELIVERED]
    assert sorted(m["channel"] for m in posts(standin)) == ["C1", "D1"]


def test_backoff_grows_and_the_revisit_is_never_dropped(
    standin: SlackStandIn, client: WebClient, store: InterviewStore, queue: RevisitQueue
) -> None:
    """Repeated failures double the wait up to the cap and keep the revisit queued."""
    store.save_assessment(make_record("a1"))
    queue.schedule(TEAM, "a1", 0.0)
    sender = NudgeSender(client, queue, store)
    now, waits = 0.0, []
    for _ in range(6):
        standin.fail_next("conversations.open", error="fatal_error")
        (rev,) = queue.claim(now)
        assert sender.deliver(rev, now) is Delivery.RETRY
        due = float(queue.redis.zscore(queue.due_key, rev.member) or 0)
        waits.append(due - now)
        now = due
    assert waits == [1, 2, 4, 8, 8, 8]
    assert send_due(sender, queue, now) == [Delivery.DELIVERED]


@pytest.mark.parametrize("error", ["user_not_found", "account_inactive", "cannot_dm_bot"])
def test_a_user_who_left_still_gets_the_thread_reply(
    standin: SlackStandIn, client: WebClient, store: InterviewStore, queue: RevisitQueue, error: str
) -> None:
    """When the DM cannot reach the owner, the thread reply still goes and nothing is retried."""
    store.save_assessment(make_record("a1"))
    queue.schedule(TEAM, "a1", 100.0)
    standin.fail_next("conversations.open", error=error)
    with capture_logs() as logs:
        assert send_due(NudgeSender(client, queue, store), queue, 100.0) == [Delivery.DELIVERED]
    assert [m["channel"] for m in posts(standin)] == ["C1"]
    assert any(e["event"] == "revisit_target_gone" and e["error"] == error for e in logs)
    assert queue.claim(10_000.0) == []


@pytest.mark.parametrize("error", ["is_archived", "channel_not_found", "not_in_channel"])
def test_an_archived_channel_still_gets_the_dm(
    standin: SlackStandIn,
    client: WebClient,
    store: InterviewStore,
    queue: RevisitQueue,
    error: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """When the thread is gone, the DM still goes and the revisit is settled."""
    store.save_assessment(make_record("a1"))
    queue.schedule(TEAM, "a1", 100.0)
    sender = NudgeSender(client, queue, store)
    original = standin._answer  # the stand-in fails by method; this fails by channel

    def answer(method: str, args: dict[str, Any]) -> dict[str, Any]:
        if method == "chat.postMessage" and args.get("channel") == "C1":
            return {"ok": False, "error": error}
        return original(method, args)

    monkeypatch.setattr(standin, "_answer", answer)
    assert send_due(sender, queue, 100.0) == [Delivery.DELIVERED]
    assert [m["channel"] for m in posts(standin)] == ["D1"]


def test_a_deleted_assessment_is_dropped(
    standin: SlackStandIn, client: WebClient, store: InterviewStore, queue: RevisitQueue
) -> None:
    """A revisit whose assessment was deleted sends nothing and leaves the queue."""
    queue.schedule(TEAM, "gone", 100.0)
    assert send_due(NudgeSender(client, queue, store), queue, 100.0) == [Delivery.DROPPED]
    assert posts(standin) == [] and queue.pending_count() == 0


def test_a_retired_decisions_revisit_in_flight_is_dropped(
    standin: SlackStandIn,
    client: WebClient,
    store: InterviewStore,
    queue: RevisitQueue,
    redis_client: redis.Redis,
) -> None:
    """Retired after its revisit was already due: nothing is sent, and it leaves the queue."""
    record = make_record("retired1")
    store.save_assessment(record)
    queue.schedule(TEAM, "retired1", 100.0)
    DecisionStore(redis_client).retire(record, "U1", "2026-01-01T00:00:00+00:00")
    assert send_due(NudgeSender(client, queue, store), queue, 100.0) == [Delivery.DROPPED]
    assert posts(standin) == [] and queue.pending_count() == 0


def test_redis_going_away_is_logged_and_nothing_is_lost(
    client: WebClient, store: InterviewStore, redis_client: redis.Redis, tmp_path: Any
) -> None:
    """A tick against an unreachable Redis logs the failure; the schedule is untouched."""
    queue = RevisitQueue(redis_client)
    queue.schedule(TEAM, "a1", 100.0)
    dead = redis.Redis(unix_socket_path=str(tmp_path / "no-redis.sock"), retry=None)
    settings = Settings(slack_bot_token="xoxb-fake-token", revisit_tick_seconds=1)
    ticker = bootstrap.build(settings, dead, client=client).ticker
    with capture_logs() as logs:
        assert ticker.tick() == {}
    assert any(e["event"] == "revisit_tick_failed" for e in logs)
    assert queue.pending_count() == 1


def test_the_ticker_drains_a_backlog_in_batches(
    standin: SlackStandIn, client: WebClient, store: InterviewStore, redis_client: redis.Redis
) -> None:
    """More due revisits than one batch all go out in one tick."""
    settings = Settings(slack_bot_token="xoxb-fake-token", revisit_tick_seconds=1)
    config = RevisitConfig.from_settings(settings)
    config = RevisitConfig(config.revisit_after, batch=7, lease_seconds=30)
    ticker = bootstrap.build(settings, redis_client, client=client, revisit_config=config).ticker
    for i in range(20):
        store.save_assessment(make_record(f"a{i}", owner=f"U{i}"))
        ticker.queue.schedule(TEAM, f"a{i}", 100.0 + i)
    assert ticker.tick() == {"delivered": 20}
    assert len(posts(standin)) == 40
