"""The revisit outbox: a completed assessment's revisit, waiting in the team's own slot.

A completion is one Lua step in the team's hash slot (`commit.lua`); the revisit schedule
lives in another slot (`ragft:{revisits}`), which no Lua step can write at the same time. So the
completion writes an entry in `ragft:{<team>}:revisit-outbox` in that same step, and whoever
drains it (the web process right after the commit, or any clock later) schedules the revisit
once per completion (`RevisitQueue.schedule_once`) and only then removes the entry. A process
may die between any two of these steps: the entry stays until a revisit is scheduled.

The clocks find the teams with an outbox through `ragft:{revisits}:outbox-teams`, which the
web process adds the team to after the commit; a team missing from it (the process died just
before) is found by a SCAN of every primary for `ragft:{*}:revisit-outbox`, which the clocks
run now and then (`RevisitOutbox.teams(scan=True)`).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import datetime
from importlib import resources
from typing import Any

import redis

from conversations.state import AssessmentRecord
from conversations.storage import keys
from conversations.storage._redis import as_str, redis_errors

INDEX = "ragft:{revisits}:outbox-teams"


@dataclass(frozen=True)
class OutboxEntry:
    """What scheduling a completion's revisit needs, fixed at the completion."""

    assessment_id: str
    owner: str
    decided_on: str
    revisit_on: str
    completed_at: str  # ISO 8601, UTC: the completion's stamp (the same on every drain)

    @classmethod
    def of(cls, record: AssessmentRecord, now: datetime) -> OutboxEntry:
        return cls(
            assessment_id=record.assessment_id,
            owner=record.owner,
            decided_on=record.decided_on,
            revisit_on=record.revisit_on,
            completed_at=now.isoformat(),
        )

    def to_json(self) -> str:
        return json.dumps(asdict(self), sort_keys=True)

    @classmethod
    def from_json(cls, raw: str) -> OutboxEntry:
        data: dict[str, Any] = json.loads(raw)
        return cls(**{k: str(data.get(k) or "") for k in cls.__dataclass_fields__})


class RevisitOutbox:
    """Reading and clearing the teams' revisit outboxes (the commit writes them)."""

    def __init__(self, client: redis.Redis) -> None:
        self.client = client
        lua = resources.files("conversations.storage").joinpath("outbox_clear.lua").read_text()
        self._clear = client.register_script(lua)

    @redis_errors()
    def note(self, team: str) -> None:
        """Put the team in the index the clocks read every tick."""
        self.client.sadd(INDEX, team)

    @redis_errors()
    def teams(self, *, scan: bool = False) -> list[str]:
        """The teams in the index; with `scan`, also every team with an outbox on any primary
        (which are added to the index)."""
        found = {as_str(t) for t in self.client.smembers(INDEX)}
        if scan:
            scanned = {
                keys.team_of_outbox(as_str(k))
                for k in self.client.scan_iter(match=keys.REVISIT_OUTBOX_PATTERN, count=1000)
            }
            if scanned - found:
                self.client.sadd(INDEX, *sorted(scanned - found))
            found |= scanned
        return sorted(found)

    @redis_errors()
    def entries(self, team: str) -> list[tuple[OutboxEntry, str]]:
        """The team's waiting entries, each with its raw text (for `clear`)."""
        raw = self.client.hgetall(keys.revisit_outbox(team))
        return sorted(
            ((OutboxEntry.from_json(as_str(v)), as_str(v)) for v in raw.values()),
            key=lambda pair: pair[0].completed_at,
        )

    @redis_errors()
    def clear(self, team: str, entry: OutboxEntry, raw: str) -> None:
        """Remove an entry whose revisit is scheduled; the team leaves the index when its outbox
        is empty (should a completion land in between, the next scan finds it)."""
        left = int(self._clear(keys=[keys.revisit_outbox(team)], args=[entry.assessment_id, raw]))
        if left == 0:
            self.client.srem(INDEX, team)

    @redis_errors()
    def pending(self) -> int:
        """Entries waiting in every outbox (tests, health)."""
        return sum(
            int(self.client.hlen(keys.revisit_outbox(team))) for team in self.teams(scan=True)
        )
