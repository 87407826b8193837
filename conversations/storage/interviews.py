"""InterviewStore: interviews and completed assessments in Redis, each transition atomic."""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from importlib import resources
from typing import Any

import redis

from conversations import machine
from conversations.errors import ConversationError, InterviewExists
from conversations.faults import fault_point
from conversations.revisit_timing import DEFAULT_REVISIT_AFTER, Period, utc_now
from conversations.state import (
    AssessmentRecord,
    Command,
    Completed,
    Effect,
    Input,
    InterviewState,
)
from conversations.storage import keys
from conversations.storage._redis import as_str, redis_errors
from conversations.storage.assessments import AssessmentRecords
from conversations.storage.keys import ThreadKey
from conversations.storage.outbox import OutboxEntry
from conversations.storage.owed import GivenUp, Owed, OwedIndex
from conversations.storage.thread_views import (
    StepOutcome,
    ThreadView,
    effects_from_json,
    effects_to_json,
    stored_state,
)
from conversations.storage.triggers import CLAIM_ONCE_LUA, StartClaims
from engine import Calibration

DEFAULT_INTERVIEW_TTL = timedelta(days=30)
DEFAULT_DELIVERY_TTL = timedelta(days=1)
# While one attempt delivers a transition's effects, no other does; after this long (the
# attempt died), another attempt may take them over.
DELIVERY_LEASE = timedelta(seconds=30)
# Takes over the owed effects of a delivery unless another attempt holds them.
CLAIM_OWED_LUA = """
local fx = redis.call('HGET', KEYS[1], 'fx')
if not fx then return {'none', '0'} end
local lease = tonumber(redis.call('HGET', KEYS[1], 'lease') or '0')
if lease > tonumber(ARGV[1]) then return {'busy', tostring(lease - tonumber(ARGV[1]))} end
redis.call('HSET', KEYS[1], 'lease', tonumber(ARGV[1]) + tonumber(ARGV[2]))
return {'owed', fx}
"""
_MAX_ATTEMPTS = 200


class InterviewStore(AssessmentRecords, StartClaims):
    """One interview per (team, channel, thread_ts); completed assessments kept until deleted."""

    def __init__(
        self,
        client: redis.Redis,
        *,
        interview_ttl: timedelta = DEFAULT_INTERVIEW_TTL,
        delivery_ttl: timedelta = DEFAULT_DELIVERY_TTL,
        revisit_after: Period = DEFAULT_REVISIT_AFTER,
        calibration: Calibration | None = None,
        clock: Callable[[], datetime] = utc_now,
        delivery_lease: timedelta = DELIVERY_LEASE,
    ) -> None:
        self.client = client
        self.interview_ttl_ms = max(1, int(interview_ttl.total_seconds() * 1000))
        self.delivery_ttl_ms = max(1, int(delivery_ttl.total_seconds() * 1000))
        self.revisit_after = revisit_after
        self.calibration = calibration  # the team's cost figures; None: the default table
        self.clock = clock
        lua = resources.files("conversations.storage").joinpath("commit.lua").read_text()
        self._commit_script = client.register_script(lua)
        self._claim_owed = client.register_script(CLAIM_OWED_LUA)
        self._claim_once = client.register_script(CLAIM_ONCE_LUA)
        self.lease_ms = int(delivery_lease.total_seconds() * 1000)
        self.given_up = GivenUp(client)  # the deliveries Slack refused to the last attempt
        self.owed = OwedIndex(client)  # what the sweeper delivers if the request cannot

    # --- interviews -------------------------------------------------------------------

    def start(
        self,
        where: ThreadKey,
        owner: str,
        *,
        name: str | None = None,
        previous: AssessmentRecord | dict[str, Any] | None = None,
        delivery_id: str | None = None,
    ) -> StepOutcome:
        """Start an interview in a thread (a re-assessment when `previous` is given). With a
        `delivery_id`, its first question is owed like a step's effects (and swept).

        Raises InterviewExists when an open interview already runs in that thread.
        """
        old: dict[str, Any] | None = (
            previous.model_dump(mode="json") if isinstance(previous, AssessmentRecord) else previous
        )
        assessment_id = old["assessment_id"] if old else secrets.token_hex(4)
        state, effects = machine.start(
            assessment_id=assessment_id,
            team=where.team,
            channel=where.channel,
            thread_ts=where.thread_ts,
            owner=owner,
            now=self.clock(),
            name=name,
            previous=old,
        )
        verdict, version = self._commit(
            where, state, effects, expected=0, delivery_id=delivery_id, start=True
        )
        if verdict == "exists":
            raise InterviewExists(where.channel, where.thread_ts)
        self.owed.note_team(where.team)  # its steps' deliveries are listed in the team's slot
        return StepOutcome(state.model_copy(update={"version": version}), effects)

    def apply(
        self,
        where: ThreadKey,
        *,
        text: str | None = None,
        value: str | list[str] | None = None,
        ask_id: str | None = None,
        command: Command | None = None,
        delivery_id: str | None = None,
        view: ThreadView | None = None,
    ) -> StepOutcome:
        """Apply one input to the thread's interview, at most once per `delivery_id`.

        `view`, from `view(where, delivery_id)` just before, saves the first read; when the
        commit finds the thread moved on since, it reads again and steps again.
        """
        inp = Input(now=self.clock(), text=text, value=value, ask_id=ask_id, command=command)
        first = view
        for _ in range(_MAX_ATTEMPTS):
            if first is not None:
                state, seen = first.state, first.seen
            else:
                state, seen = self._read(where, delivery_id)
            first = None
            if state is None:
                return StepOutcome(None, [], applied=False, reason="no_interview")
            if seen:
                return self._redelivery(where, state, delivery_id)
            if state.status != "open":
                return StepOutcome(state, [], applied=False, reason="closed")
            after, effects = machine.step(
                state, inp, revisit_after=self.revisit_after, calibration=self.calibration
            )
            if not effects:
                return StepOutcome(state, [], applied=False, reason="stale")
            verdict, version = self._commit(
                where, after, effects, expected=state.version, delivery_id=delivery_id
            )
            if verdict == "ok":
                return StepOutcome(after.model_copy(update={"version": version}), effects)
            # "changed" or "duplicate": read again (the effects may still be owed)
        raise ConversationError(
            f"Too many concurrent updates to thread {where.thread_ts}; try again."
        )

    def apply_seen(
        self,
        where: ThreadKey,
        delivery_id: str,
        view: ThreadView,
        inputs: Callable[[ThreadView], dict[str, Any]],
    ) -> tuple[StepOutcome, ThreadView]:
        """`apply` on `view`, with the input `inputs(view)` reads from it (a reply's question
        depends on it); returns the outcome and the view it was applied on."""
        return self.apply(where, delivery_id=delivery_id, view=view, **inputs(view)), view

    def delivered(
        self,
        where: ThreadKey,
        delivery_id: str | None,
        questions: dict[str, str] | None = None,
    ) -> None:
        """The effects of `delivery_id` reached Slack: forget them (the mark itself stays),
        and record the `questions` posted on the way (ask id -> message ts), in one trip."""
        self._after_delivery(where, delivery_id, "fx", questions or {})

    def _after_delivery(
        self,
        where: ThreadKey,
        delivery_id: str | None,
        drop: str,
        questions: dict[str, str],
        *,
        lease_until: int | None = None,
    ) -> None:
        if delivery_id is None and not questions:
            return
        scores = {a: keys.ts_score(ts) for a, ts in questions.items()}

        with redis_errors():
            pipe = self.client.pipeline(transaction=True)
            if scores:
                pipe.zadd(where.asks, scores)
                pipe.pexpire(where.asks, self.interview_ttl_ms)
            if delivery_id is not None and lease_until is not None:
                pipe.hset(where.delivery(delivery_id), "lease", lease_until)
            elif delivery_id is not None:
                pipe.hdel(where.delivery(delivery_id), drop)
                if drop == "fx":  # delivered: the sweeper has nothing left to do for it
                    entry = Owed.step(where, delivery_id).member
                    pipe.zrem(keys.owed(where.team), entry)
                    pipe.hdel(keys.owed_tries(where.team), entry)
            pipe.execute()

    def _redelivery(
        self, where: ThreadKey, state: InterviewState, delivery_id: str | None
    ) -> StepOutcome:
        """An input applied before: its effects if they are owed and no attempt delivers them."""
        if delivery_id is None:
            return StepOutcome(state, [], applied=False, reason="duplicate")
        now_ms = int(time.time() * 1000)
        with redis_errors():
            verdict, value = self._claim_owed(
                keys=[where.delivery(delivery_id)], args=[now_ms, self.lease_ms]
            )
        verdict = as_str(verdict)
        if verdict == "owed":
            return StepOutcome(state, effects_from_json(as_str(value)), redelivery=True)
        if verdict == "busy":
            wait = int(as_str(value)) / 1000
            return StepOutcome(
                state, [], applied=False, reason="in_progress", retry_after=min(wait, 5.0)
            )
        return StepOutcome(state, [], applied=False, reason="duplicate")

    def release(
        self,
        where: ThreadKey,
        delivery_id: str | None,
        questions: dict[str, str] | None = None,
        *,
        hold: float = 0.0,
    ) -> None:
        """Delivering failed: the next attempt may take the effects over at once; the
        `questions` posted before the failure are recorded, so they are not posted again.

        With `hold` (seconds), no attempt takes them over before then: a post whose answer
        never came may still be carried out by Slack, and must have landed before the next
        attempt looks for it in the thread."""
        until = int((time.time() + hold) * 1000) if hold > 0 else None
        self._after_delivery(where, delivery_id, "lease", questions or {}, lease_until=until)

    def view(self, where: ThreadKey, delivery_id: str | None = None) -> ThreadView:
        """The thread's interview, the input's delivery mark and its recorded question
        messages, in one round trip (a pipeline on the thread's keys, one hash slot)."""
        replies = self._fetch_view(where, delivery_id)
        (version, data), asked = replies[0], replies[1]
        if data is None:
            return ThreadView(None)
        state = stored_state(version, data)
        asks = {as_str(ask): keys.score_ts(score) for ask, score in asked}
        if delivery_id is None:
            return ThreadView(state, asks=asks)
        fx = replies[3] if len(replies) > 3 else None
        owed = effects_from_json(as_str(fx)) if fx else []
        return ThreadView(state, seen=bool(replies[2]), owed=owed, asks=asks)

    def _fetch_view(self, where: ThreadKey, delivery_id: str | None) -> list[Any]:
        with redis_errors():
            pipe = self.client.pipeline(transaction=False)
            pipe.hmget(where.state, ["version", "data"])
            pipe.zrange(where.asks, 0, -1, withscores=True)
            if delivery_id is not None:
                pipe.exists(where.delivery(delivery_id))
                pipe.hget(where.delivery(delivery_id), "fx")
            return list(pipe.execute())

    def get_interview(self, where: ThreadKey) -> InterviewState | None:
        """The interview stored for a thread (open, completed or cancelled), or None."""
        state, _ = self._read(where, None)
        return state

    def list_interviews(self, team: str, user: str) -> list[InterviewState]:
        """The user's interviews that are still open, oldest first."""
        states = [self._read(where, None)[0] for where in self._threads_of(team, user)]
        found = [s for s in states if s is not None and s.status == "open"]
        return sorted(found, key=lambda s: s.started_at)

    def question_message_ts(self, where: ThreadKey, ask_id: str) -> str | None:
        """The Slack ts of the message that asked `ask_id`, or None if none was recorded."""
        with redis_errors():
            score = self.client.zscore(where.asks, ask_id)
        return None if score is None else keys.score_ts(score)

    def ask_for_reply(self, where: ThreadKey, reply_ts: str) -> str | None:
        """The ask a thread reply answers: the latest question message posted before it."""
        with redis_errors():
            found = self.client.zrevrangebyscore(
                where.asks, f"({keys.ts_score(reply_ts)}", "-inf", start=0, num=1
            )
        return as_str(found[0]) if found else None

    def ping(self) -> None:
        """Raise StoreUnavailable unless Redis answers (before posting what needs the store)."""
        with redis_errors():
            self.client.ping()

    # --- internals ---------------------------------------------------------------------

    def _read(
        self, where: ThreadKey, delivery_id: str | None
    ) -> tuple[InterviewState | None, bool]:
        with redis_errors():
            pipe = self.client.pipeline(transaction=False)
            pipe.hmget(where.state, ["version", "data"])
            if delivery_id is not None:
                pipe.exists(where.delivery(delivery_id))
            replies = pipe.execute()
        version, data = replies[0]
        if data is None:
            return None, False
        seen = bool(replies[1]) if delivery_id is not None else False
        return stored_state(version, data), seen

    def _commit(
        self,
        where: ThreadKey,
        state: InterviewState,
        effects: list[Effect],
        *,
        expected: int,
        delivery_id: str | None,
        start: bool = False,
    ) -> tuple[str, int]:
        record = next((e.record for e in effects if isinstance(e, Completed)), None)
        stored = state.model_copy(update={"version": expected + 1})
        record_json = outbox_entry = ""
        token = secrets.token_hex(8)  # the same in every re-send of this one call
        if record is not None:
            completed = AssessmentRecord.model_validate(record)
            record_json = completed.model_dump_json()
            outbox_entry = OutboxEntry.of(completed, self.clock()).to_json()
        with redis_errors():
            verdict, version = self._commit_script(
                keys=[
                    where.state,
                    where.delivery(delivery_id or "-"),
                    keys.user_interviews(where.team, state.owner),
                    where.asks,
                    keys.assessment(where.team, state.assessment_id),
                    keys.user_assessments(where.team, state.owner),
                    keys.revisit_outbox(where.team),
                    keys.owed(where.team),
                ],
                args=[
                    str(expected),
                    stored.model_dump_json(),
                    self.interview_ttl_ms,
                    self.delivery_ttl_ms,
                    "1" if delivery_id is not None else "0",
                    where.member,
                    record_json,
                    state.assessment_id,
                    "1" if start else "0",
                    state.status,
                    token,
                    effects_to_json(effects) if delivery_id is not None else "",
                    int(time.time() * 1000) + self.lease_ms,
                    outbox_entry,
                    Owed.step(where, delivery_id).member if delivery_id is not None else "",
                ],
            )
        if record is not None and as_str(verdict) == "ok":
            fault_point("after_completion_commit")
        return as_str(verdict), int(version)
