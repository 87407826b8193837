"""Workflow Builder executions waiting on an interview: which step execution a thread's
interview must complete, and with which token, kept in Redis beside the interview so that
a restart loses nothing.

One key per thread, `ragft:{T}:workflow:<channel>:<thread_ts>` (JSON), kept a month past the
interview's own expiry (answers slide it along). `take` reads and deletes it in one step: one
process completes the step.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from conversations.storage._redis import as_str, redis_errors
from conversations.storage.keys import ThreadKey

if TYPE_CHECKING:
    import redis

MARGIN = timedelta(days=30)


@dataclass(frozen=True)
class StepLink:
    """The step execution an interview completes (Slack's `function_execution_id`) and the
    execution's own token (`bot_access_token`)."""

    execution_id: str
    token: str

    def to_json(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, raw: str | bytes) -> StepLink:
        data = json.loads(raw)
        return cls(str(data["execution_id"]), str(data["token"]))


def key(where: ThreadKey) -> str:
    return f"{where.prefix}:workflow:{where.channel}:{where.thread_ts}"


class WorkflowLinks:
    """Reads and writes step links. Methods raise StoreUnavailable without Redis."""

    def __init__(self, client: redis.Redis, interview_ttl: timedelta) -> None:
        self.client = client
        self.ttl = interview_ttl + MARGIN

    def link(self, where: ThreadKey, link: StepLink) -> None:
        with redis_errors():
            self.client.set(key(where), link.to_json(), px=int(self.ttl.total_seconds() * 1000))

    def peek(self, where: ThreadKey) -> StepLink | None:
        with redis_errors():
            raw = self.client.get(key(where))
        return None if raw is None else StepLink.from_json(raw)

    def take(self, where: ThreadKey) -> StepLink | None:
        """The thread's link, removed: the caller completes the step (or `link`s it back)."""
        with redis_errors():
            raw = self.client.getdel(key(where))
        return None if raw is None else StepLink.from_json(raw)

    def orphans(self) -> list[tuple[ThreadKey, StepLink]]:
        """Links whose interview is gone (its state expired unanswered), every team's."""
        found: list[tuple[ThreadKey, StepLink]] = []
        with redis_errors():
            for raw_name in self.client.scan_iter(match="ragft:{*}:workflow:*", count=1000):
                name = as_str(raw_name)
                where = thread_of(name)
                if where is None or self.client.exists(where.state):
                    continue
                raw = self.client.get(name)
                if raw is not None:
                    found.append((where, StepLink.from_json(raw)))
        return found


def thread_of(name: str) -> ThreadKey | None:
    """The thread a link's key names (`ragft:{T}:workflow:<channel>:<ts>`)."""
    head, sep, rest = name.partition("}:workflow:")
    channel, _, ts = rest.partition(":")
    if not (sep and head.startswith("ragft:{") and channel and ts):
        return None
    return ThreadKey(head.removeprefix("ragft:{"), channel, ts)
