"""What the stores share: Redis replies as text, outages raised as StoreUnavailable, and
writes that may ride along with the caller's next round trip."""

from __future__ import annotations

import contextvars
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import redis

from conversations.errors import StoreUnavailable
from conversations.storage.connection import FAILOVER_ERRORS

# Redis is not there, or (after the client waited out a failover) still electing a primary.
_UNAVAILABLE: tuple[type[Exception], ...] = (*FAILOVER_ERRORS, redis.BusyLoadingError)


@contextmanager
def redis_errors() -> Iterator[None]:
    """Turn "Redis is not there" errors into StoreUnavailable; others pass unchanged."""
    try:
        yield
    except _UNAVAILABLE as error:
        raise StoreUnavailable(str(error) or type(error).__name__) from error


def as_str(value: object) -> str:
    """A Redis reply (bytes unless the client decodes) as str."""
    return value.decode() if isinstance(value, bytes) else str(value)


# Commands to add to a pipeline: `write(pipe)` queues them.
Write = Callable[[Any], None]
_BEHIND: contextvars.ContextVar[list[Write] | None] = contextvars.ContextVar(
    "ragft_write_behind", default=None
)


@contextmanager
def write_behind(queued: list[Write] | None = None) -> Iterator[list[Write]]:
    """Within this block, writes that nothing reads at once (see `send_or_defer`) are
    collected in `queued` (the yielded list) instead of sent: they ride with the next
    round trip made here, the next commit (`InterviewStore`) or the inbox worker's next
    read, whichever comes first."""
    queued = [] if queued is None else queued
    token = _BEHIND.set(queued)
    try:
        yield queued
    finally:
        _BEHIND.reset(token)


def send_or_defer(client: Any, write: Write) -> None:
    """Send `write` now (a MULTI/EXEC of its commands), or queue it for `write_behind`."""
    queued = _BEHIND.get()
    if queued is not None:
        queued.append(write)
        return
    with redis_errors():
        pipe = client.pipeline(transaction=True)
        write(pipe)
        pipe.execute()


def take_left_behind() -> list[Write]:
    """The writes waiting to ride with the next trip (emptied); [] outside `write_behind`."""
    queued = _BEHIND.get()
    if not queued:
        return []
    taken = list(queued)
    queued.clear()
    return taken


def give_back(writes: list[Write]) -> None:
    """The trip that was to carry `writes` failed: they wait for the next one."""
    queued = _BEHIND.get()
    if queued is not None:
        queued[:0] = writes


def send_now(client: Any, writes: list[Write]) -> None:
    """Send writes left behind in one pipeline, not a transaction: they may be in several
    hash slots (on a cluster, each node gets its share)."""
    with redis_errors():
        pipe = client.pipeline(transaction=False)
        for write in writes:
            write(pipe)
        raise_unreached(pipe.execute(raise_on_error=False))


def raise_unreached(replies: list[Any]) -> list[Any]:
    """Raise the first reply that says Redis was not reached (a cluster's pipeline hands
    those back as replies); a command Redis refused stays a reply."""
    for reply in replies:
        if isinstance(reply, redis.RedisError) and not isinstance(reply, redis.ResponseError):
            raise reply
    return replies
