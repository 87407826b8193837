"""What the stores share: Redis replies as text, and outages raised as StoreUnavailable."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

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


def unreached(reply: object) -> bool:
    """Whether a pipeline's reply says the command may not have run: Redis not reached, or
    refusing during a failover (a cluster's pipeline hands those back as replies). A
    command Redis refused for itself (a key of another type) is not one of them."""
    if isinstance(reply, _UNAVAILABLE):
        return True
    return isinstance(reply, redis.RedisError) and not isinstance(reply, redis.ResponseError)
