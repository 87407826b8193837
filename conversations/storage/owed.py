"""Deliveries given up: the steps whose effects Slack refused until the last attempt.

The step itself is saved, and its effects stay owed with its delivery mark; this hash lists
where each such mark is (`ragft:{owed}:given-up`), so that the clock delivers them once
Slack takes them again, an operator can list them (`ragft owed`) and `/healthz` can count
them. An entry goes when its effects are delivered, or when its mark has expired.
"""

from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass

import redis

from conversations.storage import keys
from conversations.storage._redis import as_str, redis_errors
from conversations.storage.keys import ThreadKey

__all__ = ["GivenUp", "OwedMark"]


@dataclass(frozen=True)
class OwedMark:
    """Where a given-up delivery's effects wait, who was told, and why it was given up."""

    team: str
    channel: str
    thread_ts: str
    delivery_id: str
    user: str
    error: str
    given_up_at: float
    attempts: int = 0  # the clock's tries since
    tried_at: float = 0.0

    @property
    def where(self) -> ThreadKey:
        return ThreadKey(self.team, self.channel, self.thread_ts)

    @property
    def field(self) -> str:
        return f"{self.team} {self.channel} {self.thread_ts} {self.delivery_id}"


class GivenUp:
    """The list of given-up deliveries (one hash, any Redis topology)."""

    def __init__(self, client: redis.Redis) -> None:
        self.client = client

    def add(self, where: ThreadKey, delivery_id: str, *, user: str, error: str) -> OwedMark:
        mark = OwedMark(
            where.team, where.channel, where.thread_ts, delivery_id, user, error, time.time()
        )
        self.put(mark)
        return mark

    def put(self, mark: OwedMark) -> None:
        with redis_errors():
            self.client.hset(keys.GIVEN_UP, mark.field, json.dumps(asdict(mark)))

    def marks(self) -> list[OwedMark]:
        """Every given-up delivery, oldest first."""
        with redis_errors():
            raw = self.client.hvals(keys.GIVEN_UP)
        found = [OwedMark(**json.loads(as_str(value))) for value in raw]
        return sorted(found, key=lambda m: m.given_up_at)

    def count(self) -> int:
        with redis_errors():
            return int(self.client.hlen(keys.GIVEN_UP))

    def remove(self, mark: OwedMark) -> None:
        with redis_errors():
            self.client.hdel(keys.GIVEN_UP, mark.field)
