"""The revisit schedule: due nudges in Redis, claimed with leases by any number of clocks.

Keys (one hash tag, so a Redis Cluster keeps them in one slot):

- ``ragft:{revisits}:due``   sorted set, member ``team:assessment_id``, score = when to send
- ``ragft:{revisits}:lease`` sorted set, same members while a clock holds them, score = lease expiry
- ``ragft:{revisits}:info``  hash, member -> ``due|snoozed_until|attempts|state``
- ``ragft:{revisits}:mark:<member>:<occurrence>:<target>`` one idempotency mark per send target
- ``ragft:{revisits}:last-tick`` when any clock last finished a tick (epoch seconds)

A claim (Lua) first returns expired leases to the queue, then leases what is due. A nudge
is sent once per (assessment, occurrence, target): the mark is taken with ``SET NX`` as
"pending" for the lease time before sending and turned into "sent" afterwards, so a retry
after a half-done delivery sends only the target that is missing.
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from importlib import resources
from typing import Any

import redis

from conversations.storage._redis import as_str, redis_errors

PREFIX = "ragft:{revisits}"
MARK_TTL_SECONDS = 14 * 24 * 3600  # marks matter only while an occurrence can be re-claimed


class Target(StrEnum):
    """Where a nudge goes."""

    DM = "dm"
    THREAD = "thread"


class MarkState(StrEnum):
    """What the idempotency mark says about one target of one occurrence."""

    CLAIMED = "claimed"  # this caller holds it now: send
    SENT = "sent"  # already delivered
    GONE = "gone"  # cannot be delivered (user left, channel archived): never retry
    BUSY = "busy"  # another clock is sending it right now


@dataclass(frozen=True)
class Revisit:
    """One pending occurrence of a revisit, as a clock holds it."""

    team: str
    assessment_id: str
    due_at: float
    snoozed_until: float | None
    attempts: int

    @property
    def member(self) -> str:
        return f"{self.team}:{self.assessment_id}"

    @property
    def occurrence(self) -> float:
        """When this occurrence was due: the snooze end if snoozed, else the due time."""
        return self.snoozed_until if self.snoozed_until is not None else self.due_at

    @property
    def occurrence_stamp(self) -> str:
        """The occurrence as marks and message tags write it (seconds, to the millisecond)."""
        return score(self.occurrence)


@dataclass(frozen=True)
class RevisitState:
    """What `/ragft list` and App Home show."""

    due_at: datetime
    snoozed_until: datetime | None
    delivered: bool


def score(value: float) -> str:
    """A sorted-set score or a timestamp as the text kept in Redis (three decimals)."""
    return repr(round(value, 3))


def _parse_info(member: str, info: str) -> Revisit:
    due, snz, att, _state = info.split("|")
    team, _, assessment_id = member.partition(":")
    return Revisit(team, assessment_id, float(due), float(snz) if snz else None, int(att))


def _script(redis_client: redis.Redis, name: str) -> Any:
    source = resources.files("conversations.storage").joinpath(name).read_text(encoding="utf-8")
    return redis_client.register_script(source)


# What revisits_begin_send.lua answers -> what the sender does (anything else: "pending").
BEGIN_SEND_STATES = {
    "claimed": MarkState.CLAIMED,
    "cancelled": MarkState.GONE,
    "sent": MarkState.SENT,
    "gone": MarkState.GONE,
}


class RevisitQueue:
    """Due revisits in Redis, shared by every clock process.

    Like InterviewStore, every method raises StoreUnavailable when Redis cannot be reached.
    """

    def __init__(
        self,
        client: redis.Redis,
        *,
        lease_seconds: float = 60.0,
        base_backoff: float = 5.0,
        max_backoff: float = 3600.0,
    ) -> None:
        self.redis = client
        self.lease_seconds = lease_seconds
        self.base_backoff = base_backoff
        self.max_backoff = max_backoff
        self.due_key = f"{PREFIX}:due"
        self.lease_key = f"{PREFIX}:lease"
        self.info_key = f"{PREFIX}:info"
        self._claim = _script(client, "revisits_claim.lua")
        self._settle = _script(client, "revisits_settle.lua")
        self._snooze = _script(client, "revisits_snooze.lua")
        self._schedule_once = _script(client, "revisits_schedule_once.lua")
        self.stamps_key = f"{PREFIX}:from"  # member -> the completion its first revisit came from
        self._renew = _script(client, "revisits_renew.lua")
        self._begin_send = _script(client, "revisits_begin_send.lua")
        self.last_tick_key = f"{PREFIX}:last-tick"

    # -- the clocks' heartbeat ----------------------------------------------------------
    @redis_errors()
    def mark_tick(self, now: float) -> None:
        """Record that a clock finished a tick at ``now`` (what /healthz reports)."""
        self.redis.set(self.last_tick_key, score(now))

    @redis_errors()
    def last_tick(self) -> float | None:
        """When any clock last finished a tick; None if none ever has on this Redis."""
        raw = self.redis.get(self.last_tick_key)
        return float(as_str(raw)) if raw is not None else None

    # -- scheduling -------------------------------------------------------------------
    @redis_errors()
    def schedule(self, team: str, assessment_id: str, due_at: float) -> None:
        """Set (or replace) the next revisit of an assessment; any snooze is forgotten."""
        member = f"{team}:{assessment_id}"
        pipe = self.redis.pipeline(transaction=True)
        pipe.hset(self.info_key, member, f"{score(due_at)}||0|q")
        pipe.zrem(self.lease_key, member)
        pipe.zadd(self.due_key, {member: due_at})
        pipe.execute()

    @redis_errors()
    def schedule_once(self, team: str, assessment_id: str, due_at: float, stamp: str) -> bool:
        """Schedule the revisit of the completion named `stamp`, unless that was done before
        (draining an outbox entry again changes nothing). True when scheduled now."""
        member = f"{team}:{assessment_id}"
        keys = [self.info_key, self.lease_key, self.due_key, self.stamps_key]
        return bool(self._schedule_once(keys=keys, args=[member, score(due_at), due_at, stamp]))

    @redis_errors()
    def schedule_many(self, entries: Iterable[tuple[str, str, float]], chunk: int = 1000) -> int:
        """Schedule (team, assessment_id, due_at) triples in pipelined chunks (imports, benches)."""
        count = 0
        pipe = self.redis.pipeline(transaction=False)
        for team, assessment_id, due_at in entries:
            member = f"{team}:{assessment_id}"
            pipe.hset(self.info_key, member, f"{score(due_at)}||0|q")
            pipe.zadd(self.due_key, {member: due_at})
            count += 1
            if count % chunk == 0:
                pipe.execute()
        pipe.execute()
        return count

    @redis_errors()
    def snooze(self, team: str, assessment_id: str, until: float) -> bool:
        """Send the nudge again at ``until``; False when the assessment has no revisit."""
        member = f"{team}:{assessment_id}"
        keys = [self.info_key, self.lease_key, self.due_key]
        return bool(self._snooze(keys=keys, args=[member, score(until), until]))

    @redis_errors()
    def cancel(self, team: str, assessment_id: str) -> None:
        """Forget an assessment's revisit (the assessment was deleted), its sent marks too."""
        member = f"{team}:{assessment_id}"
        marks = list(self.redis.scan_iter(match=f"{PREFIX}:mark:{member}:*", count=1000))
        pipe = self.redis.pipeline(transaction=True)
        pipe.zrem(self.due_key, member)
        pipe.zrem(self.lease_key, member)
        pipe.hdel(self.info_key, member)
        pipe.hdel(self.stamps_key, member)
        if marks:
            pipe.delete(*marks)
        pipe.execute()

    @redis_errors()
    def status(self, team: str, assessment_id: str) -> RevisitState | None:
        """Due time, snooze end and whether the current occurrence went out; None if none."""
        info = self.redis.hget(self.info_key, f"{team}:{assessment_id}")
        if info is None:
            return None
        info_text = as_str(info)
        rev = _parse_info(f"{team}:{assessment_id}", info_text)
        snoozed = rev.snoozed_until
        return RevisitState(
            due_at=datetime.fromtimestamp(rev.due_at, UTC),
            snoozed_until=datetime.fromtimestamp(snoozed, UTC) if snoozed is not None else None,
            delivered=info_text.endswith("|d"),
        )

    @redis_errors()
    def pending_count(self) -> int:
        """Revisits waiting or in flight."""
        return int(self.redis.zcard(self.due_key)) + int(self.redis.zcard(self.lease_key))

    # -- claiming ---------------------------------------------------------------------
    @redis_errors()
    def claim(self, now: float, limit: int = 100) -> list[Revisit]:
        """Lease up to ``limit`` due revisits (after returning expired leases to the queue)."""
        flat = self._claim(
            keys=[self.due_key, self.lease_key, self.info_key],
            args=[score(now), score(now + self.lease_seconds), limit],
        )
        return [_parse_info(as_str(flat[i]), as_str(flat[i + 1])) for i in range(0, len(flat), 2)]

    @redis_errors()
    def _settle_call(self, rev: Revisit, action: str, when: float = 0.0) -> bool:
        snoozed = "" if rev.snoozed_until is None else score(rev.snoozed_until)
        expected = f"{score(rev.due_at)}|{snoozed}"
        result = self._settle(
            keys=[self.due_key, self.lease_key, self.info_key],
            args=[rev.member, expected, action, score(when)],
        )
        return bool(result)

    def complete(self, rev: Revisit) -> bool:
        """The occurrence is delivered (or undeliverable): take it out of the queue."""
        return self._settle_call(rev, "done")

    def backoff(self, attempts: int) -> float:
        """Seconds to wait before attempt ``attempts + 1``: doubling, capped."""
        exponent = min(max(attempts - 1, 0), 32)
        return float(min(self.max_backoff, self.base_backoff * math.pow(2, exponent)))

    def retry_later(self, rev: Revisit, now: float, delay: float | None = None) -> float:
        """Put a failed occurrence back with a capped backoff; returns when it is due again."""
        when = now + (self.backoff(rev.attempts) if delay is None else delay)
        self._settle_call(rev, "retry", when)
        return when

    # -- idempotency marks ------------------------------------------------------------
    def _mark_key(self, rev: Revisit, target: Target) -> str:
        return f"{PREFIX}:mark:{rev.member}:{score(rev.occurrence)}:{target.value}"

    @redis_errors()
    def begin_send(self, rev: Revisit, target: Target) -> MarkState:
        """Take the mark for one target before sending; says what to do if it is taken.

        A revisit cancelled since it was claimed (forget-me racing a clock) is GONE: no mark
        is written for it, so nothing naming the assessment is left behind."""
        key = self._mark_key(rev, target)
        lease_ms = max(1, int(self.lease_seconds * 1000))
        mark = as_str(self._begin_send(keys=[key, self.info_key], args=[rev.member, lease_ms]))
        return BEGIN_SEND_STATES.get(mark, MarkState.BUSY)

    @redis_errors()
    def first_try(self, rev: Revisit, target: Target) -> bool:
        """True the first time a send of this target is tried. Any later try may follow one
        that posted without recording it (a clock killed after the post, a lost answer):
        the sender then looks for the nudge before posting it again."""
        tried = f"{self._mark_key(rev, target)}:tried"
        return bool(self.redis.set(tried, "1", nx=True, ex=MARK_TTL_SECONDS))

    @redis_errors()
    def renew(self, rev: Revisit, target: Target) -> bool:
        """Keep holding a send in flight for another lease: the target's "pending" mark and
        the occurrence's lease. False when the mark is no longer pending."""
        lease_ms = max(1, int(self.lease_seconds * 1000))
        return bool(
            self._renew(
                keys=[self._mark_key(rev, target), self.lease_key],
                args=[lease_ms, rev.member, score(time.time() + self.lease_seconds)],
            )
        )

    @redis_errors()
    def finish_send(self, rev: Revisit, target: Target, state: MarkState) -> None:
        """Record the outcome of a send (SENT or GONE) for this occurrence and target.

        Only over our own "pending" mark: when the revisit was cancelled meanwhile (forget-me,
        a deleted assessment) its marks are gone, and none is written back.
        """
        key = self._mark_key(rev, target)
        if not self.redis.set(key, state.value, ex=MARK_TTL_SECONDS, xx=True):
            self.redis.delete(f"{key}:tried")

    @redis_errors()
    def abort_send(self, rev: Revisit, target: Target) -> None:
        """The send failed: free the mark so a retry can take it."""
        self.redis.delete(self._mark_key(rev, target))
