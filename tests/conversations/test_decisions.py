"""A decision's lifecycle on a real Redis: statuses by version, accepting once, superseding,
retiring (with the waiting revisit dropped) and named deciders."""

from __future__ import annotations

from typing import Any

import redis

from conversations.state import AssessmentRecord
from conversations.storage import keys
from conversations.storage.decisions import DecisionStore, Lifecycle, Mark, version_of

RESULT = {  # a result with no workload: the lifecycle reads none of it
    "assessment": {"name": "Support bot", "decided_on": "2026-12-06", "revisit_on": "2027-12-06"},
    "workloads": [],
    "summary": {"text": "No workloads assessed."},
}


def _past(year: int) -> dict[str, Any]:
    day = f"{year}-12-06"
    return {"decided_on": day, "revisit_on": day, "profile": {}, "result": RESULT}


def record(history: int = 0, **kw: Any) -> AssessmentRecord:
    return AssessmentRecord(
        assessment_id="a1b2c3d4",
        team="T1",
        channel="C1",
        thread_ts=f"{100 + history}.1",
        owner="U1",
        name="Support bot",
        answers=[],
        profile={},
        result=RESULT,
        decided_on="2026-12-06",
        revisit_on="2027-12-06",
        history=[_past(2025 - i) for i in range(history)],
        created_at="2025-12-06T10:00:00+00:00",
        **kw,
    )


def test_statuses_follow_the_accepted_versions() -> None:
    mark = Mark("U1", "2026-01-01T00:00:00+00:00", 1)
    assert Lifecycle("a", 1).status() == "proposed"
    one = Lifecycle("a", 2, accepted={1: mark})
    assert (one.status(1), one.status(2), one.supersedes(2)) == ("accepted", "proposed", None)
    both = Lifecycle("a", 2, accepted={1: mark, 2: Mark("U2", "2027", 2)})
    assert (both.status(1), both.status(2), both.supersedes(2)) == ("superseded", "accepted", 1)
    assert both.superseded_by(1) == 2
    retired = Lifecycle("a", 2, accepted={1: mark}, retired=Mark("U1", "2027", 2))
    assert retired.status() == "retired" and not retired.revisits
    reopened = Lifecycle("a", 3, accepted={1: mark}, retired=Mark("U1", "2027", 2))
    assert reopened.status() == "proposed" and reopened.revisits


def test_accept_once_supersede_and_retire(redis_client: redis.Redis) -> None:
    store = DecisionStore(redis_client)
    first = record()
    assert version_of(first) == 1 and store.get(first).status() == "proposed"
    lifecycle, fresh = store.accept(first, "U1", "2026-12-06T10:00:00+00:00")
    assert fresh and lifecycle.status() == "accepted"
    assert store.accept(first, "U2", "2026-12-07T10:00:00+00:00")[1] is False  # the first stays
    assert store.get(first).accepted[1].by == "U1"
    second = record(history=1)
    assert store.get(second).status() == "proposed" and store.get(second).status(1) == "accepted"
    lifecycle, _ = store.accept(second, "U1", "2027-12-06T10:00:00+00:00")
    assert lifecycle.supersedes() == 1 and lifecycle.status(1) == "superseded"
    assert lifecycle.accepted[1].thread_ts == "100.1"  # where the first was posted
    redis_client.hset(keys.revisit_outbox("T1"), "a1b2c3d4", "{}")
    assert store.retire(second, "U1", "2027-12-08T10:00:00+00:00").status() == "retired"
    assert not redis_client.hexists(keys.revisit_outbox("T1"), "a1b2c3d4")
    many = store.get_many([second, record(history=2)])
    assert many["a1b2c3d4"].status() == "proposed"  # the last one listed wins the id


def test_deciders_exclude_the_owner_and_may_decide(redis_client: redis.Redis) -> None:
    store = DecisionStore(redis_client)
    lifecycle = store.set_deciders(record(), ["U1", "U2", "U2", "U3"])
    assert lifecycle.deciders == ("U2", "U3")
    assert lifecycle.may_decide("U1", "U1") and lifecycle.may_decide("U1", "U3")
    assert not lifecycle.may_decide("U1", "U4")
    assert store.set_deciders(record(), []).deciders == ()
