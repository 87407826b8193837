"""InterviewStore on a real Redis: atomic transitions, idempotency, lookup, expiry, deletion."""

from __future__ import annotations

import json
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Any

import pytest
import redis

from conversations import (
    Ask,
    AssessmentRecord,
    Completed,
    InterviewExists,
    InterviewStore,
    StepOutcome,
)
from conversations.state import RECORD_FORMAT
from conversations.storage import keys
from conversations.storage.interviews import DEFAULT_INTERVIEW_TTL
from conversations.storage.keys import ThreadKey
from engine import AssessmentResult

from .helpers import FULL_RAG_WORKLOAD, NOW

THREAD = ThreadKey("T1", "C1", "1.1")
ReadOnly = redis.exceptions.ReadOnlyError


def _store(client: redis.Redis, **kw: object) -> InterviewStore:
    return InterviewStore(client, clock=lambda: NOW, **kw)  # type: ignore[arg-type]


def _ask(outcome: StepOutcome) -> Ask:
    return [e for e in outcome.effects if isinstance(e, Ask)][-1]


def _finish(store: InterviewStore, team: str, channel: str, thread: str) -> StepOutcome:
    answers = {**FULL_RAG_WORKLOAD, "another_workload": "no"}
    where = ThreadKey(team, channel, thread)
    outcome = store.apply(where, command="status")
    while outcome.state is not None and outcome.state.current is not None:
        outcome = store.apply(where, text=answers[outcome.state.current.question_id])
    return outcome


def test_whole_interview_through_the_store(redis_client: redis.Redis) -> None:
    """Answers stored one by one complete the interview and save a record listed for its owner."""
    store = _store(redis_client)
    started = store.start(THREAD, "U1", name="Support bot")
    assert _ask(started).question_id == "workload_name"
    assert [s.assessment_id for s in store.list_interviews("T1", "U1")] == [
        started.state.assessment_id  # type: ignore[union-attr]
    ]
    done = _finish(store, "T1", "C1", "1.1")
    record = next(e for e in done.effects if isinstance(e, Completed)).record
    stored = store.get_assessment("T1", record["assessment_id"])
    assert stored is not None and stored.model_dump(mode="json") == record
    assert [r.assessment_id for r in store.list_assessments("T1", "U1")] == [stored.assessment_id]
    assert store.list_interviews("T1", "U1") == []
    assert redis_client.ttl(f"ragft:{{T1}}:assessment:{stored.assessment_id}") == -1


def test_second_start_in_a_running_thread_is_refused(redis_client: redis.Redis) -> None:
    """Starting where an interview is open raises InterviewExists and keeps the first one."""
    store = _store(redis_client)
    first = store.start(THREAD, "U1", name="A")
    with pytest.raises(InterviewExists):
        store.start(THREAD, "U2", name="B")
    assert store.get_interview(THREAD) == first.state


def test_fifty_concurrent_copies_of_one_input_advance_once(redis_client: redis.Redis) -> None:
    """Fifty threads sending the same answer to the same ask produce exactly one transition."""
    store = _store(redis_client)
    ask_id = _ask(store.start(THREAD, "U1", name="A")).ask_id
    gate = threading.Barrier(50)

    def submit(index: int) -> StepOutcome:
        gate.wait()
        return store.apply(THREAD, text="billing", ask_id=ask_id, delivery_id=f"d{index}")

    with ThreadPoolExecutor(max_workers=50) as pool:
        outcomes = list(pool.map(submit, range(50)))
    assert sum(o.applied for o in outcomes) == 1
    assert {o.reason for o in outcomes if not o.applied} == {"stale"}
    state = store.get_interview(THREAD)
    assert state is not None and state.version == 2 and state.current is not None
    assert state.current.question_id == "deployment"


def test_same_delivery_twice_is_applied_once(redis_client: redis.Redis) -> None:
    """A redelivered Slack event (same delivery id) is not applied again. While the first
    attempt delivers the effects it waits ("in_progress"); when that attempt failed, it takes
    the effects over (`redelivery`); once they are delivered it is ignored."""
    store = _store(redis_client)
    store.start(THREAD, "U1", name="A")
    first = store.apply(THREAD, text="billing", delivery_id="Ev1")
    busy = store.apply(THREAD, text="prod", delivery_id="Ev1")
    assert (busy.applied, busy.reason) == (False, "in_progress") and busy.retry_after > 0
    store.release(THREAD, "Ev1")  # the first attempt's Slack call failed
    owed = store.apply(THREAD, text="prod", delivery_id="Ev1")
    assert owed.redelivery and owed.effects == first.effects
    store.delivered(THREAD, "Ev1")
    again = store.apply(THREAD, text="prod", delivery_id="Ev1")
    assert first.applied and (again.applied, again.reason) == (False, "duplicate")
    state = store.get_interview(THREAD)
    assert state is not None and state.current is not None
    assert state.current.question_id == "deployment"


def test_late_answer_is_ignored_not_applied_to_the_next_question(redis_client: redis.Redis) -> None:
    """A reply matched to an already-answered question leaves the open question alone."""
    store = _store(redis_client)
    ask1 = _ask(store.start(THREAD, "U1", name="A")).ask_id
    store.delivered(THREAD, None, {ask1: "100.000100"})
    ask2 = _ask(store.apply(THREAD, text="billing", ask_id=ask1)).ask_id
    store.delivered(THREAD, None, {ask2: "100.000200"})
    late_reply_ts = "100.000150"  # sent before the second question was posted
    matched = store.ask_for_reply(THREAD, late_reply_ts)
    assert matched == ask1
    late = store.apply(THREAD, text="research", ask_id=matched)
    assert (late.applied, late.reason) == (False, "stale")
    assert store.ask_for_reply(THREAD, "100.000201") == ask2
    assert store.ask_for_reply(THREAD, "99.9") is None


def test_unknown_thread_is_reported_not_raised(redis_client: redis.Redis) -> None:
    """A reply in a thread with no interview returns reason no_interview."""
    outcome = _store(redis_client).apply(ThreadKey("T1", "C9", "9.9"), text="hello")
    assert (outcome.state, outcome.applied, outcome.reason) == (None, False, "no_interview")


def test_a_new_store_object_resumes_mid_interview(
    redis_client: redis.Redis, redis_url: str
) -> None:
    """State lives in Redis only: a fresh client and store continue where the last one stopped."""
    _store(redis_client).start(THREAD, "U1", name="A")
    _store(redis_client).apply(THREAD, text="billing")
    fresh = redis.Redis.from_url(redis_url)
    try:
        outcome = _store(fresh).apply(THREAD, text="prod")
        assert _ask(outcome).question_id == "domain"
    finally:
        fresh.close()


def test_unfinished_interviews_expire(redis_client: redis.Redis) -> None:
    """An interview left alone past its TTL is gone; the default TTL is 30 days."""
    assert timedelta(days=30) == DEFAULT_INTERVIEW_TTL
    store = _store(redis_client, interview_ttl=timedelta(seconds=30))
    store.start(THREAD, "U1", name="A")
    key = "ragft:{T1}:interview:C1:1.1"
    assert 0 < redis_client.pttl(key) <= 30_000
    redis_client.pexpire(key, 1)  # fast-forward instead of sleeping 30 s
    assert redis_client.pttl(key) in (-2, 0, 1)
    while redis_client.exists(key):
        pass
    assert store.get_interview(THREAD) is None
    assert store.list_interviews("T1", "U1") == []


def _all_keys(client: redis.Redis) -> set[str]:
    return {k.decode() for k in client.scan_iter(match="*")}


def test_forget_user_leaves_no_key_behind(redis_client: redis.Redis) -> None:
    """forget_user removes every key of that user's interviews and assessments, and only those."""
    store = _store(redis_client)
    store.start(THREAD, "U1", name="A")
    store.delivered(THREAD, None, {"x": "1.2"})
    _finish(store, "T1", "C1", "1.1")
    store.start(ThreadKey("T1", "C1", "2.1"), "U1", name="B")
    store.apply(ThreadKey("T1", "C1", "2.1"), text="billing", delivery_id="Ev9")
    store.start(ThreadKey("T1", "C2", "3.1"), "U2", name="Other")
    before_other = {k for k in _all_keys(redis_client) if "C2" in k or "U2" in k}
    assert store.forget_user("T1", "U1") > 0
    assert _all_keys(redis_client) == before_other | {keys.OWED_TEAMS}  # team ids, no one's


def test_reassessment_keeps_the_id_and_appends_history(redis_client: redis.Redis) -> None:
    """A re-assessment started from the record overwrites it under the same id with history."""
    store = _store(redis_client)
    store.start(THREAD, "U1", name="A")
    done = _finish(store, "T1", "C1", "1.1")
    old = store.get_assessment("T1", done.state.assessment_id)  # type: ignore[union-attr]
    assert old is not None
    again = store.start(THREAD, "U1", previous=old)  # same thread: it was completed
    assert _ask(again).default_label == "Every day"
    outcome = again
    while outcome.state is not None and outcome.state.current is not None:
        outcome = store.apply(THREAD, command="skip")
    new = store.get_assessment("T1", old.assessment_id)
    assert new is not None and len(new.history) == 1
    assert new.history[0].result == old.result
    assert [r.assessment_id for r in store.list_assessments("T1", "U1")] == [old.assessment_id]


def test_records_stored_with_dropped_fields_still_load(redis_client: redis.Redis) -> None:
    """Records written before `revisit_at` and `revisit` were dropped still read back."""
    store = _store(redis_client)
    store.start(THREAD, "U1", name="A")
    done = _finish(store, "T1", "C1", "1.1")
    assessment_id = done.state.assessment_id  # type: ignore[union-attr]
    key = keys.assessment("T1", assessment_id)
    old = {**json.loads(redis_client.get(key)), "revisit_at": "2026-01-15T10:00:00+00:00"}
    redis_client.set(key, json.dumps({**old, "revisit": {"state": "queued"}}))
    record = store.get_assessment("T1", assessment_id)
    assert record is not None and record.revisit_on == old["revisit_on"]
    assert [r.assessment_id for r in store.list_assessments("T1", "U1")] == [assessment_id]


def _as_format_1(result: dict[str, Any]) -> dict[str, Any]:
    """A result as early records kept it: without the keys added since (the reader of those
    records took each as empty)."""
    workloads = []
    for w in result["workloads"]:
        w = {k: v for k, v in w.items() if k not in ("defaulted", "gaps_answered")}
        if w["costs"] is not None:
            alts = [
                {k: v for k, v in a.items() if k != "why_not"} for a in w["costs"]["alternatives"]
            ]
            w["costs"] = {"recommended": w["costs"]["recommended"], "alternatives": alts}
        workloads.append(w)
    return {**result, "workloads": workloads}


def test_records_of_format_1_load_typed_and_are_saved_as_format_2(
    redis_client: redis.Redis,
) -> None:
    """A record stored before results were typed (no `record_format`, the result and its
    history as plain JSON, an early result lacking keys added since) reads back typed, and
    is written again as format 2, the result's JSON unchanged."""
    store = _store(redis_client)
    store.start(THREAD, "U1", name="A")
    done = _finish(store, "T1", "C1", "1.1")
    key = keys.assessment("T1", done.state.assessment_id)  # type: ignore[union-attr]
    stored = json.loads(redis_client.get(key))
    assert stored["record_format"] == RECORD_FORMAT == 2
    old_result = _as_format_1(stored["result"])
    past = {k: stored[k] for k in ("decided_on", "revisit_on", "profile")}
    old = {k: v for k, v in stored.items() if k != "record_format"}
    redis_client.set(key, json.dumps({**old, "history": [{**past, "result": old_result}]}))
    record = store.get_assessment("T1", done.state.assessment_id)  # type: ignore[union-attr]
    assert record is not None and record.record_format == 1
    assert isinstance(record.result, AssessmentResult)
    assert record.result.to_json() == stored["result"]
    w = record.history[0].result.workloads[0]
    assert w.costs is not None and w.costs.assumptions == () and w.gaps_answered == ()
    assert w.defaulted is None and all(a.why_not == () for a in w.costs.alternatives)
    assert w.costs.recommended == record.result.workloads[0].costs.recommended  # type: ignore[union-attr]
    store.save_assessment(record.model_copy(update={"record_format": RECORD_FORMAT}))
    again = json.loads(redis_client.get(key))
    assert again["record_format"] == 2 and again["result"] == stored["result"]


def test_a_record_of_a_newer_format_is_refused_by_name() -> None:
    """A record written by a newer ragft (an unknown format) is not misread."""
    with pytest.raises(ValueError, match="record format 3 is newer"):
        AssessmentRecord.model_validate({"record_format": 3})


def test_one_view_holds_the_interview_the_delivery_and_the_questions(
    redis_client: redis.Redis,
) -> None:
    """`view` reads in one trip what a reply needs: the state, whether its delivery was
    applied with the effects still owed, and the recorded questions it can answer."""
    store = _store(redis_client)
    ask1 = _ask(store.start(THREAD, "U1", name="A")).ask_id
    store.delivered(THREAD, None, {ask1: "100.000100"})
    before = store.view(THREAD, "Ev1")
    assert before.state == store.get_interview(THREAD)
    assert (before.seen, before.owed, before.asks) == (False, [], {ask1: "100.000100"})
    applied = store.apply(THREAD, text="billing", ask_id=ask1, delivery_id="Ev1", view=before)
    ask2 = _ask(applied).ask_id
    after = store.view(THREAD, "Ev1")
    assert after.seen and after.owed == applied.effects
    store.delivered(THREAD, "Ev1", {ask2: "100.000200"})
    done = store.view(THREAD, "Ev1")
    assert done.seen and done.owed == []
    for reply_ts in ("99.9", "100.000150", "100.000200", "100.000201"):
        assert done.ask_for_reply(reply_ts) == store.ask_for_reply(THREAD, reply_ts)
    assert _store(redis_client).view(ThreadKey("T1", "C9", "9.9")).state is None


def test_a_view_behind_the_thread_is_read_again_at_the_commit(
    redis_client: redis.Redis,
) -> None:
    """When another process moved the thread between the view and the commit, the commit's
    version check refuses it, and the input is applied to the thread as it is, once."""
    here, elsewhere = _store(redis_client), _store(redis_client)
    ask1 = _ask(here.start(THREAD, "U1", name="A")).ask_id
    behind = here.view(THREAD, "Ev1")
    elsewhere.apply(THREAD, text="billing", ask_id=ask1, delivery_id="Ev0")
    now = elsewhere.get_interview(THREAD)
    assert now is not None
    step = here.apply(THREAD, command="status", delivery_id="Ev1", view=behind)
    assert step.applied and step.state is not None and step.state.version == now.version + 1
