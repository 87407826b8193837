"""The team's decisions: which there are and whose (the register), and each one's lifecycle:
proposed, accepted, superseded, retired.

The register is a hash per team, `ragft:{T}:assessments` (assessment id -> owner), filled
when an assessment completes; `transfer` gives an assessment to another owner.

An assessment keeps one id across its re-assessments; each completion is a new *version*
of the decision (version 1 is the first recommendation, version n+1 the re-assessment after
n; `version_of` counts them from the record's history). A version is *proposed* once its
recommendation is posted (nothing is written for that); the owner or a named decider may
*accept* it; an accepted version *supersedes* every earlier one; the whole decision can be
*retired* (the workload is gone), which a later re-assessment reopens.

One hash per assessment, `ragft:{T}:decision:<id>`: `deciders` (JSON list of user ids),
`accepted:<n>` (JSON: who, when, where its recommendation was posted), `retired` (JSON:
who, when, at which version) and `canvas` (JSON: the published canvas's id and channel).
Accepting uses HSETNX: a second press finds the first.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, Literal

from conversations.state import AssessmentRecord
from conversations.storage import keys
from conversations.storage._redis import as_str, redis_errors

if TYPE_CHECKING:
    import redis

Status = Literal["proposed", "accepted", "superseded", "retired"]
STATUSES: tuple[Status, ...] = ("proposed", "accepted", "superseded", "retired")


@dataclass(frozen=True)
class Mark:
    """Who accepted (or retired) a version, when, and where its recommendation was posted."""

    by: str
    at: str  # ISO 8601, UTC
    version: int
    channel: str = ""
    thread_ts: str = ""

    def to_json(self) -> str:
        return json.dumps(self.__dict__)

    @classmethod
    def from_json(cls, raw: str | bytes) -> Mark:
        data: dict[str, Any] = json.loads(raw)
        return cls(
            by=str(data["by"]),
            at=str(data["at"]),
            version=int(data["version"]),
            channel=str(data.get("channel", "")),
            thread_ts=str(data.get("thread_ts", "")),
        )


def version_of(record: AssessmentRecord) -> int:
    """The record's current version: 1, plus one per earlier completion in its history."""
    return len(record.history) + 1


@dataclass(frozen=True)
class Lifecycle:
    """What is known of one decision's lifecycle; `current` is the record's version."""

    assessment_id: str
    current: int
    deciders: tuple[str, ...] = ()
    accepted: dict[int, Mark] = field(default_factory=dict)
    retired: Mark | None = None
    canvas_id: str | None = None  # the decision's canvas, once published
    canvas_channel: str | None = None

    def status(self, version: int | None = None) -> Status:
        """The status of a version (the current one by default)."""
        v = self.current if version is None else version
        if self.retired is not None and v == self.current and self.retired.version == v:
            return "retired"
        if any(a > v for a in self.accepted):
            return "superseded"
        return "accepted" if v in self.accepted else "proposed"

    def supersedes(self, version: int | None = None) -> int | None:
        """The accepted version this one replaced once it was accepted (None: none)."""
        v = self.current if version is None else version
        if v not in self.accepted:
            return None
        earlier = [a for a in self.accepted if a < v]
        return max(earlier) if earlier else None

    def superseded_by(self, version: int) -> int | None:
        """The first accepted version after this one, if any."""
        later = [a for a in self.accepted if a > version]
        return min(later) if later else None

    def may_decide(self, owner: str, user: str) -> bool:
        """The owner and the named deciders may accept or retire."""
        return user == owner or user in self.deciders

    @property
    def revisits(self) -> bool:
        """False once retired: a gone workload is not revisited."""
        return self.status() != "retired"


def _lifecycle(assessment_id: str, current: int, raw: dict[Any, Any]) -> Lifecycle:
    fields = {as_str(k): v for k, v in raw.items()}
    accepted = {
        int(name.removeprefix("accepted:")): Mark.from_json(value)
        for name, value in fields.items()
        if name.startswith("accepted:")
    }
    deciders = tuple(json.loads(fields["deciders"])) if "deciders" in fields else ()
    retired = Mark.from_json(fields["retired"]) if "retired" in fields else None
    canvas: dict[str, str] = json.loads(fields["canvas"]) if "canvas" in fields else {}
    return Lifecycle(
        assessment_id,
        current,
        deciders,
        accepted,
        retired,
        canvas.get("id"),
        canvas.get("channel"),
    )


@dataclass(frozen=True)
class DecisionRow:
    """One decision in the team's register."""

    record: AssessmentRecord
    overdue: bool
    status: Status = "proposed"


class DecisionStore:
    """Reads and writes the register and the lifecycle hashes. Methods raise StoreUnavailable
    without Redis."""

    def __init__(self, client: redis.Redis) -> None:
        self.client = client

    def get(self, record: AssessmentRecord) -> Lifecycle:
        with redis_errors():
            raw = self.client.hgetall(keys.decision(record.team, record.assessment_id))
        return _lifecycle(record.assessment_id, version_of(record), raw)

    def get_many(self, records: Sequence[AssessmentRecord]) -> dict[str, Lifecycle]:
        """Every record's lifecycle, in one round trip."""
        if not records:
            return {}
        with redis_errors():
            pipe = self.client.pipeline(transaction=False)
            for r in records:
                pipe.hgetall(keys.decision(r.team, r.assessment_id))
            raws = pipe.execute()
        return {
            r.assessment_id: _lifecycle(r.assessment_id, version_of(r), raw)
            for r, raw in zip(records, raws, strict=True)
        }

    def accept(self, record: AssessmentRecord, by: str, at: str) -> tuple[Lifecycle, bool]:
        """Accept the record's current version; False when it was accepted already."""
        version = version_of(record)
        mark = Mark(by, at, version, record.channel, record.thread_ts)
        key = keys.decision(record.team, record.assessment_id)
        with redis_errors():
            fresh = bool(self.client.hsetnx(key, f"accepted:{version}", mark.to_json()))
        return self.get(record), fresh

    def announced(self, record: AssessmentRecord, what: str) -> None:
        """The thread was told of `what` ("accepted:<version>" or "retired")."""
        with redis_errors():
            self.client.hset(keys.decision(record.team, record.assessment_id), f"told:{what}", 1)

    def was_announced(self, record: AssessmentRecord, what: str) -> bool:
        """Whether the thread was told of `what`: a press again after Slack refused the post
        announces it then, instead of answering that it was done already."""
        with redis_errors():
            key = keys.decision(record.team, record.assessment_id)
            return bool(self.client.hexists(key, f"told:{what}"))

    def retire(self, record: AssessmentRecord, by: str, at: str) -> Lifecycle:
        """Mark the decision retired, and drop a revisit still waiting in the team's outbox
        (the caller cancels the scheduled one): both in one transaction, one hash tag."""
        mark = Mark(by, at, version_of(record), record.channel, record.thread_ts)
        with redis_errors():
            pipe = self.client.pipeline(transaction=True)
            pipe.hset(keys.decision(record.team, record.assessment_id), "retired", mark.to_json())
            pipe.hdel(keys.revisit_outbox(record.team), record.assessment_id)
            pipe.execute()
        return self.get(record)

    def set_canvas(self, record: AssessmentRecord, canvas_id: str, channel: str) -> None:
        """Remember the decision's canvas: later versions update it in place."""
        canvas = json.dumps({"id": canvas_id, "channel": channel})
        with redis_errors():
            self.client.hset(keys.decision(record.team, record.assessment_id), "canvas", canvas)

    def set_deciders(self, record: AssessmentRecord, deciders: Sequence[str]) -> Lifecycle:
        unique = list(dict.fromkeys(d for d in deciders if d != record.owner))
        with redis_errors():
            self.client.hset(
                keys.decision(record.team, record.assessment_id), "deciders", json.dumps(unique)
            )
        return self.get(record)

    # --- the team's register ----------------------------------------------------------
    def index(self, team: str, assessment_id: str, owner: str) -> None:
        """Put (or move) one assessment in the team's register."""
        with redis_errors():
            self.client.hset(keys.team_assessments(team), assessment_id, owner)

    def listed(self, team: str, today: date) -> list[DecisionRow]:
        """The team's decisions: overdue revisits first, then by revisit date."""
        with redis_errors():
            listed = (as_str(k) for k in self.client.hkeys(keys.team_assessments(team)))
            ids = sorted(i for i in listed if i != "-")
            raws = self.client.mget([keys.assessment(team, i) for i in ids]) if ids else []
        records = [AssessmentRecord.model_validate_json(r) for r in raws if r is not None]
        lifecycles = self.get_many(records)
        out = []
        for r in records:
            status = lifecycles[r.assessment_id].status()
            overdue = status != "retired" and r.revisit_on < today.isoformat()
            out.append(DecisionRow(r, overdue, status))
        return sorted(
            out, key=lambda row: (not row.overdue, row.record.revisit_on, row.record.name)
        )

    def transfer(self, record: AssessmentRecord, new_owner: str) -> AssessmentRecord:
        """Give the assessment (and its revisits, which follow the record's owner) to
        `new_owner`."""
        moved = record.model_copy(update={"owner": new_owner})
        team = record.team
        with redis_errors():
            pipe = self.client.pipeline(transaction=True)
            pipe.set(keys.assessment(team, record.assessment_id), moved.model_dump_json())
            pipe.srem(keys.user_assessments(team, record.owner), record.assessment_id)
            pipe.sadd(keys.user_assessments(team, new_owner), record.assessment_id)
            pipe.hset(keys.team_assessments(team), record.assessment_id, new_owner)
            pipe.execute()
        return moved
