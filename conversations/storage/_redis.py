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


def send_or_defer(client: Any, write: Write, *, defer: bool = True) -> None:
    """Send `write` now (a MULTI/EXEC of its commands), or queue it for `write_behind`."""
    queued = _BEHIND.get() if defer else None
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


def unreached(reply: object) -> bool:
    """Whether a pipeline's reply says the command may not have run: Redis not reached, or
    refusing during a failover (a cluster's pipeline hands those back as replies). A
    command Redis refused for itself (a key of another type) is not one of them."""
    if isinstance(reply, _UNAVAILABLE):
        return True
    return isinstance(reply, redis.RedisError) and not isinstance(reply, redis.ResponseError)


def queue_writes(pipe: Any, writes: list[Write]) -> list[tuple[Write, int, int]]:
    """Queue each write on `pipe`; returns each one's slice of the pipeline's replies."""
    spans: list[tuple[Write, int, int]] = []
    at = 0
    for write in writes:
        counted = _Counting()
        write(counted)
        write(pipe)
        spans.append((write, at, at + counted.commands))
        at += counted.commands
    return spans


def unsent(spans: list[tuple[Write, int, int]], replies: list[Any]) -> list[Write]:
    """The writes some command of which may not have run: to send again (they are
    idempotent: recording a question, dropping a field)."""
    return [w for w, start, end in spans if any(unreached(r) for r in replies[start:end])]


class _Counting:
    """Stands for a pipeline to count the commands a write queues."""

    def __init__(self) -> None:
        self.commands = 0

    def __getattr__(self, name: str) -> Callable[..., None]:
        def queue(*args: Any, **kwargs: Any) -> None:
            self.commands += 1

        return queue


def send_now(client: Any, writes: list[Write]) -> None:
    """Send writes left behind in one pipeline, not a transaction (they may be in several
    hash slots: on a cluster each node gets its share). Those that may not have gone
    through are handed back to wait for the next trip, and StoreUnavailable raised."""
    pipe = client.pipeline(transaction=False)
    spans = queue_writes(pipe, writes)
    try:
        with redis_errors():
            replies = pipe.execute(raise_on_error=False)
    except BaseException:
        give_back(writes)
        raise
    again = unsent(spans, replies)
    if again:
        give_back(again)
        raise StoreUnavailable("some writes did not reach Redis")
