"""Inbox: every acknowledged Slack request kept in a Redis Stream until its work is done.

The request thread adds the request (one XADD) before Slack gets its 200; workers read it
with XREADGROUP and remove it (XACK + XDEL) once the work is done, in the same round trip
as their next read. A request whose work
must wait (Slack answered 429, or failed after the state was saved) is moved to a sorted
set with its not-before time and comes back into the stream when due. A worker that dies
stops renewing its heartbeat key; the requests it had claimed are then handed out again.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import redis

from conversations.storage import keys
from conversations.storage._redis import as_str, unreached

GROUP = "workers"
FIELD = "j"
# Moves due retries back into the stream, atomically (both keys share the {inbox} slot).
_PROMOTE = """
local due = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
for _, member in ipairs(due) do
  redis.call('XADD', KEYS[1], '*', 'j', member)
  redis.call('ZREM', KEYS[2], member)
end
return #due
"""


@dataclass(frozen=True)
class InboxItem:
    """One acknowledged request: its stream id, raw body, content type and attempt number."""

    id: str
    body: str
    content_type: str
    attempt: int = 1

    def again(self) -> str:
        """The stored form of the next attempt."""
        return _encode(self.body, self.content_type, self.attempt + 1, self.id)


def _encode(body: str, content_type: str, attempt: int, first: str | None = None) -> str:
    data: dict[str, Any] = {"b": body, "c": content_type, "a": attempt}
    if first is not None:
        data["f"] = first  # the first entry's id: makes each retry member unique
    return json.dumps(data, separators=(",", ":"))


def _decode(entry_id: Any, fields: dict[Any, Any] | None) -> InboxItem | None:
    raw = (fields or {}).get(FIELD.encode()) or (fields or {}).get(FIELD)
    if raw is None:
        return None
    data = json.loads(as_str(raw))
    return InboxItem(as_str(entry_id), str(data["b"]), str(data.get("c") or ""), int(data["a"]))


ADD_TIMEOUT = 0.5  # seconds: the ack must not wait on a stalled Redis (Slack gives 3 s)


def quick_client(client: redis.Redis, timeout: float = ADD_TIMEOUT) -> redis.Redis:
    """A client on the same server as `client` that gives up after `timeout`, without retries."""
    pool = getattr(client, "connection_pool", None)
    # A Sentinel's or a Cluster's client finds its server itself: keep it (and its waits).
    plain_pools = (redis.ConnectionPool, redis.BlockingConnectionPool)
    if not isinstance(client, redis.Redis) or pool is None or type(pool) not in plain_pools:
        return client
    options = {
        **pool.connection_kwargs,
        "socket_timeout": timeout,
        "socket_connect_timeout": timeout,
        "retry": None,
        "retry_on_error": [],
    }
    return redis.Redis(
        connection_pool=type(pool)(connection_class=pool.connection_class, **options)
    )


@dataclass(frozen=True)
class Exchange:
    """What one `Inbox.exchange` trip gave: the requests claimed, and the finished requests
    that may not have been forgotten (to send with the next trip)."""

    items: list[InboxItem]
    unacked: list[str]


class Inbox:
    """The stream of acknowledged requests, read by one consumer (a worker process).

    `add` runs in the ack path on a client that gives up after ADD_TIMEOUT: a stalled Redis
    makes it fail fast, and the caller then does the work without the inbox.
    """

    def __init__(self, client: redis.Redis, consumer: str, *, alive_ms: int = 15_000) -> None:
        self.client = client
        self.add_client = quick_client(client)
        self.consumer = consumer
        self.alive_ms = alive_ms
        self._promote = client.register_script(_PROMOTE)

    def ensure_group(self) -> None:
        """Create the stream and its consumer group if they are not there yet."""
        try:
            self.client.xgroup_create(keys.INBOX_STREAM, GROUP, id="0", mkstream=True)
        except redis.ResponseError as exc:
            if "BUSYGROUP" not in str(exc):
                raise

    def add(self, body: str, content_type: str) -> str:
        """Keep one acknowledged request (one XADD); returns its stream id."""
        entry = self.add_client.xadd(keys.INBOX_STREAM, {FIELD: _encode(body, content_type, 1)})
        return as_str(entry)

    def read(self, count: int = 1, block_ms: int | None = 1000) -> list[InboxItem]:
        """Claim up to `count` new requests for this consumer, waiting up to `block_ms`."""
        return self.exchange(count, block_ms).items

    def exchange(
        self,
        count: int = 1,
        block_ms: int | None = 1000,
        *,
        done: list[str] | None = None,
        on_refused: Callable[[Exception], None] | None = None,
    ) -> Exchange:
        """One round trip: the requests in `done` forgotten, then up to `count` new requests
        claimed, waiting up to `block_ms`. Redis runs them in that order, before the read
        waits.

        Finished requests that may not have been forgotten come back (`Exchange.unacked`)
        to be sent with the next trip; the claimed requests are returned whatever happened
        to the rest, so none is left claimed and unworked. Raises when the read failed.
        """
        pipe = self._finishing(done)
        pipe.xreadgroup(GROUP, self.consumer, {keys.INBOX_STREAM: ">"}, count=count, block=block_ms)
        replies = pipe.execute(raise_on_error=False)
        for refused in replies[: len(replies) - 1]:
            if isinstance(refused, redis.ResponseError) and not unreached(refused) and on_refused:
                on_refused(refused)  # a command Redis refused for itself is not sent again
        unacked = list(done or []) if any(unreached(r) for r in replies[:-1]) else []
        reply = replies[-1]
        if unreached(reply):
            raise reply
        if isinstance(reply, redis.ResponseError):
            if "NOGROUP" not in str(reply):
                raise reply
            self.ensure_group()
            return Exchange([], unacked)
        items: list[InboxItem] = []
        streams: list[Any] = reply or []
        for _stream, entries in streams:
            for entry_id, fields in entries:
                item = _decode(entry_id, fields)
                if item is None:  # not ours to read: drop it from the group's view
                    self.done(as_str(entry_id))
                else:
                    items.append(item)
        return Exchange(items, unacked)

    def finish(self, done: list[str]) -> None:
        """What `exchange` sends before it reads, sent alone (a worker stopping)."""
        if done:
            self._finishing(done).execute(raise_on_error=False)

    def _finishing(self, done: list[str] | None) -> Any:
        """A pipeline with the `done` requests forgotten."""
        pipe = self.client.pipeline(transaction=False)
        if done:
            pipe.xack(keys.INBOX_STREAM, GROUP, *done)
            pipe.xdel(keys.INBOX_STREAM, *done)
        return pipe

    def done(self, entry_id: str) -> None:
        """The request's work is done: forget it."""
        pipe = self.client.pipeline(transaction=True)
        pipe.xack(keys.INBOX_STREAM, GROUP, entry_id)
        pipe.xdel(keys.INBOX_STREAM, entry_id)
        pipe.execute()

    def later(self, item: InboxItem, delay: float) -> None:
        """Do the request's work again in `delay` seconds, on any worker; no thread waits."""
        not_before = int((time.time() + max(0.0, delay)) * 1000)
        pipe = self.client.pipeline(transaction=True)
        pipe.zadd(keys.INBOX_LATER, {item.again(): not_before})
        pipe.xack(keys.INBOX_STREAM, GROUP, item.id)
        pipe.xdel(keys.INBOX_STREAM, item.id)
        pipe.execute()

    def promote_due(self, limit: int = 100) -> int:
        """Move the retries that are due back into the stream; returns how many."""
        now = int(time.time() * 1000)
        moved = self._promote(keys=[keys.INBOX_STREAM, keys.INBOX_LATER], args=[now, limit])
        return int(moved)

    def heartbeat(self) -> None:
        """Say this consumer is alive for the next `alive_ms`."""
        self.client.set(keys.inbox_alive(self.consumer), "1", px=self.alive_ms)

    def reclaim(self, limit: int = 100, held: Callable[[], set[str]] | None = None) -> int:
        """Hand out again the requests claimed by consumers that are no longer alive, and
        this consumer's own that no thread of it works on (`held` names those it does): a
        read whose answer was lost on the way, say. Only requests idle for the heartbeat's
        life are taken.

        Each one goes back into the stream as its next attempt; returns how many.
        """
        summary = self.client.xpending(keys.INBOX_STREAM, GROUP)
        moved = 0
        for consumer in summary.get("consumers") or []:
            name = as_str(consumer["name"])
            own = name == self.consumer
            if (own and held is None) or (not own and self.client.exists(keys.inbox_alive(name))):
                continue
            pending = self.client.xpending_range(
                keys.INBOX_STREAM,
                GROUP,
                min="-",
                max="+",
                count=limit,
                consumername=name,
                idle=self.alive_ms if own else None,
            )
            ids: list[Any] = [as_str(p["message_id"]) for p in pending]
            if own and held is not None:
                working = held()
                ids = [i for i in ids if i not in working]
                if not ids:
                    continue
            # XCLAIM with a minimum idle time: of two workers reclaiming, only one gets each.
            claimed: list[Any] = self.client.xclaim(
                keys.INBOX_STREAM,
                GROUP,
                self.consumer,
                min_idle_time=self.alive_ms if own else 1000,
                message_ids=ids,
            )
            for entry_id, fields in claimed:
                item = _decode(entry_id, fields)
                pipe = self.client.pipeline(transaction=True)
                if item is not None:
                    pipe.xadd(keys.INBOX_STREAM, {FIELD: item.again()})
                pipe.xack(keys.INBOX_STREAM, GROUP, entry_id)
                pipe.xdel(keys.INBOX_STREAM, entry_id)
                pipe.execute()
                moved += 1
            if not pending and not own:
                self.client.xgroup_delconsumer(keys.INBOX_STREAM, GROUP, name)
        return moved
