"""The revisit queue on a real Redis: scheduling, leases, snoozes, marks and due times."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import isodate
import pytest
import redis
from hypothesis import given, settings
from hypothesis import strategies as st

from conversations.revisit_timing import due_after, is_short
from conversations.storage.revisits import PREFIX, MarkState, RevisitQueue, Target


@pytest.fixture
def queue(redis_client: redis.Redis) -> RevisitQueue:
    return RevisitQueue(redis_client, lease_seconds=10, base_backoff=5, max_backoff=60)


def test_claims_only_what_is_due(queue: RevisitQueue) -> None:
    """A claim returns the revisits whose time has come and leaves later ones queued."""
    queue.schedule("T1", "a1", 100.0)
    queue.schedule("T1", "a2", 200.0)
    claimed = queue.claim(150.0)
    assert [(r.team, r.assessment_id, r.attempts) for r in claimed] == [("T1", "a1", 1)]
    assert queue.claim(150.0) == []
    assert queue.complete(claimed[0])
    assert [r.assessment_id for r in queue.claim(205.0)] == ["a2"]


def test_a_claimed_revisit_is_not_claimed_again_while_leased(queue: RevisitQueue) -> None:
    """Two claims inside the lease never hand out the same revisit."""
    queue.schedule("T1", "a1", 100.0)
    assert len(queue.claim(100.0)) == 1
    assert queue.claim(105.0) == []


def test_an_expired_lease_comes_back(queue: RevisitQueue) -> None:
    """A revisit whose holder died is claimed again after its lease, attempt counted."""
    queue.schedule("T1", "a1", 100.0)
    queue.claim(100.0)
    again = queue.claim(111.0)
    assert [(r.assessment_id, r.attempts) for r in again] == [("a1", 2)]


def test_complete_takes_it_out_and_status_says_delivered(queue: RevisitQueue) -> None:
    """A delivered occurrence leaves the queue; its status still shows the due time."""
    queue.schedule("T1", "a1", 100.0)
    (rev,) = queue.claim(100.0)
    assert queue.complete(rev)
    assert queue.claim(10_000.0) == []
    status = queue.status("T1", "a1")
    assert status is not None and status.delivered
    assert status.due_at == datetime.fromtimestamp(100.0, UTC)
    assert queue.pending_count() == 0


def test_retry_later_backs_off_with_a_cap(queue: RevisitQueue) -> None:
    """A failed send returns with a doubling delay that stops growing at the cap."""
    assert [queue.backoff(n) for n in (1, 2, 3, 4, 5, 6, 50)] == [5, 10, 20, 40, 60, 60, 60]
    queue.schedule("T1", "a1", 100.0)
    (rev,) = queue.claim(100.0)
    assert queue.retry_later(rev, 100.0) == 105.0
    assert queue.claim(104.0) == []
    (again,) = queue.claim(105.0)
    assert again.attempts == 2


def test_snooze_while_in_flight_wins_over_the_holder(queue: RevisitQueue) -> None:
    """A snooze during a send is kept: the holder's completion no longer touches the revisit."""
    queue.schedule("T1", "a1", 100.0)
    (rev,) = queue.claim(100.0)
    assert queue.snooze("T1", "a1", 500.0)
    assert not queue.complete(rev)
    status = queue.status("T1", "a1")
    assert status is not None and status.snoozed_until == datetime.fromtimestamp(500.0, UTC)
    (snoozed,) = queue.claim(500.0)
    assert snoozed.occurrence == 500.0 and snoozed.due_at == 100.0


def test_snooze_of_an_unknown_assessment_says_so(queue: RevisitQueue) -> None:
    """Snoozing something with no revisit returns False and stores nothing."""
    assert not queue.snooze("T1", "nope", 500.0)
    assert queue.status("T1", "nope") is None


def test_schedule_replaces_and_cancel_forgets(queue: RevisitQueue) -> None:
    """Re-scheduling moves the one revisit of an assessment; cancelling removes every trace."""
    queue.schedule("T1", "a1", 100.0)
    queue.schedule("T1", "a1", 300.0)
    assert queue.claim(200.0) == []
    queue.cancel("T1", "a1")
    assert queue.claim(1000.0) == [] and queue.status("T1", "a1") is None


def test_marks_make_each_target_once_per_occurrence(queue: RevisitQueue) -> None:
    """The first taker of a mark sends; others see BUSY, then SENT; a snooze starts afresh."""
    queue.schedule("T1", "a1", 100.0)
    (rev,) = queue.claim(100.0)
    assert queue.begin_send(rev, Target.DM) is MarkState.CLAIMED
    assert queue.begin_send(rev, Target.DM) is MarkState.BUSY
    queue.finish_send(rev, Target.DM, MarkState.SENT)
    assert queue.begin_send(rev, Target.DM) is MarkState.SENT
    assert queue.begin_send(rev, Target.THREAD) is MarkState.CLAIMED
    queue.abort_send(rev, Target.THREAD)
    assert queue.begin_send(rev, Target.THREAD) is MarkState.CLAIMED
    queue.snooze("T1", "a1", 900.0)
    (later,) = queue.claim(900.0)
    assert queue.begin_send(later, Target.DM) is MarkState.CLAIMED


def test_a_revisit_cancelled_after_its_claim_writes_no_mark(
    queue: RevisitQueue, redis_client: redis.Redis
) -> None:
    """forget-me racing a clock: a send that starts after the cancel is settled as gone and
    leaves no key naming the assessment (the e2e forget-me test caught this under load)."""
    queue.schedule("T1", "a1", 100.0)
    (rev,) = queue.claim(100.0)
    queue.cancel("T1", "a1")
    assert queue.begin_send(rev, Target.THREAD) is MarkState.GONE
    assert not queue.complete(rev)
    assert [k for k in redis_client.scan_iter(match="*") if b"a1" in k] == []


def test_every_key_shares_one_hash_tag(queue: RevisitQueue, redis_client: redis.Redis) -> None:
    """All revisit keys carry the {revisits} hash tag, so a Redis Cluster keeps them together."""
    queue.schedule("T1", "a1", 100.0)
    (rev,) = queue.claim(100.0)
    queue.begin_send(rev, Target.DM)
    keys = [k.decode() for k in redis_client.keys("*")]
    assert keys and all(k.startswith(PREFIX) and "{revisits}" in k for k in keys)


def test_claims_against_a_decode_responses_client(
    redis_url: str, redis_client: redis.Redis
) -> None:
    """The queue works the same on a client that decodes responses to str."""
    q = RevisitQueue(redis.Redis.from_url(redis_url, decode_responses=True))
    q.schedule("T1", "a1", 100.0)
    assert [r.assessment_id for r in q.claim(100.0)] == ["a1"]
    assert q.status("T1", "a1") is not None


def test_twelve_months_lands_at_ten_in_the_owner_zone() -> None:
    """P12M from a decision lands on the same date a year later at 10:00 local time."""
    start = datetime(2025, 3, 4, 22, 30, tzinfo=UTC)  # already 5 March in Tokyo
    on, due = due_after(start, isodate.parse_duration("P12M"), "Asia/Tokyo")
    assert on == date(2026, 3, 5)
    assert due == datetime(2026, 3, 5, 1, 0, tzinfo=UTC)


def test_an_unknown_zone_falls_back_to_utc() -> None:
    """A missing or unknown zone from users.info means 10:00 UTC."""
    start = datetime(2025, 3, 4, 12, 0, tzinfo=UTC)
    assert due_after(start, timedelta(days=7), "Mars/Olympus")[1] == datetime(
        2025, 3, 11, 10, 0, tzinfo=UTC
    )


@settings(max_examples=150, deadline=None)
@given(
    seconds=st.integers(min_value=1, max_value=86_399),
    tz=st.sampled_from([None, "America/New_York"]),
)
def test_a_period_under_a_day_is_exact(seconds: int, tz: str | None) -> None:
    """Any period shorter than a day is delivered exactly that long after the start."""
    start = datetime(2025, 6, 1, 8, 15, 30, tzinfo=UTC)
    period = isodate.parse_duration(f"PT{seconds}S")
    assert is_short(period)
    assert due_after(start, period, tz)[1] == start + timedelta(seconds=seconds)


@settings(max_examples=100, deadline=None)
@given(
    days=st.integers(min_value=1, max_value=800),
    tz=st.sampled_from(["UTC", "Europe/Paris", "Pacific/Auckland", "America/Los_Angeles"]),
)
def test_a_period_of_days_lands_at_ten_local(days: int, tz: str) -> None:
    """A period of a day or more lands at 10:00 in the owner's zone on start date + period."""
    start = datetime(2025, 1, 15, 23, 59, tzinfo=UTC)
    on, due = due_after(start, timedelta(days=days), tz)
    local = due.astimezone(ZoneInfo(tz))
    assert (local.hour, local.minute) == (10, 0)
    assert local.date() == on == start.astimezone(local.tzinfo).date() + timedelta(days=days)
