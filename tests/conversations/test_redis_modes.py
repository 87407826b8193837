"""Redis beyond one server: the failover backoff, sentinel URLs, the eviction check, settings."""

from __future__ import annotations

import itertools
import time
from pathlib import Path
from typing import Any

import pytest
import redis
from redis.exceptions import ClusterDownError, TryAgainError
from structlog.testing import capture_logs

from bot.bootstrap import warn_unless_noeviction
from bot.errors import SettingsError
from bot.settings import Settings
from conversations.errors import StoreUnavailable
from conversations.storage import connection
from conversations.storage.connection import (
    RedisHandle,
    _ReplayPipeline,
    connect,
    eviction_policies,
    with_backoff,
)


def test_backoff_waits_out_an_election_then_answers() -> None:
    """ClusterDown, TryAgain and refused connections are tried again, with growing waits."""
    errors: list[Exception] = [
        redis.ConnectionError("refused"),
        ClusterDownError("CLUSTERDOWN"),
        TryAgainError("TRYAGAIN"),
    ]
    calls: list[float] = []

    def call() -> str:
        calls.append(time.monotonic())
        if errors:
            raise errors.pop(0)
        return "ok"

    assert with_backoff(call, total=5.0) == "ok"
    assert len(calls) == 4
    gaps = [b - a for a, b in itertools.pairwise(calls)]
    assert all(gap > 0.02 for gap in gaps)  # it waits, unlike redis-py's cluster Retry


def test_backoff_gives_up_after_its_time_and_passes_other_errors() -> None:
    started = time.monotonic()
    with pytest.raises(redis.ConnectionError):
        with_backoff(lambda: (_ for _ in ()).throw(redis.ConnectionError("down")), total=0.3)
    assert 0.25 < time.monotonic() - started < 2.0
    with pytest.raises(redis.ResponseError):  # a real error is not a failover
        with_backoff(lambda: (_ for _ in ()).throw(redis.ResponseError("WRONGTYPE")), total=5)


def test_a_pipeline_is_replayed_whole_after_a_failover(redis_client: redis.Redis) -> None:
    """The first attempt dies mid-way; the replay runs every recorded command on a new pipe."""
    attempts: list[int] = []

    def make() -> Any:
        attempts.append(1)
        pipe = redis_client.pipeline(transaction=True)
        if len(attempts) == 1:
            pipe.execute = lambda raise_on_error=True: (_ for _ in ()).throw(  # type: ignore[method-assign]
                redis.ConnectionError("primary died")
            )
        return pipe

    pipe = _ReplayPipeline(make, total=5.0)
    pipe.set("a", "1").sadd("s", "x")
    assert pipe.execute() == [True, 1]
    assert len(attempts) == 2 and redis_client.get("a") == b"1"


def test_sentinel_url_names_every_sentinel_and_the_database() -> None:
    master, sentinel = connection._sentinel_client("redis://:pw@h1:26379, h2:26380/2", "ragft-main")
    hosts = [
        (s.connection_pool.connection_kwargs["host"], s.connection_pool.connection_kwargs["port"])
        for s in sentinel.sentinels
    ]
    assert hosts == [("h1", 26379), ("h2", 26380)]
    kwargs = master.connection_pool.connection_kwargs
    assert kwargs["db"] == 2 and kwargs["password"] == "pw"
    assert master.connection_pool.service_name == "ragft-main"


def test_unreachable_sentinels_are_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(StoreUnavailable, match=r"not reachable"):
        connect("redis://127.0.0.1:1", tmp_path, mode="sentinel", sentinel_master="m")


def test_eviction_policy_is_read_and_a_warning_logged_unless_noeviction(
    redis_client: redis.Redis, redis_url: str
) -> None:
    assert eviction_policies(redis_client) == {"primary": "noeviction"}
    handle = RedisHandle(client=redis_client, url=redis_url)
    with capture_logs() as logs:
        warn_unless_noeviction(handle)
    assert not [e for e in logs if e["log_level"] == "warning"]
    redis_client.config_set("maxmemory-policy", "allkeys-lru")
    try:
        with capture_logs() as logs:
            warn_unless_noeviction(handle)
    finally:
        redis_client.config_set("maxmemory-policy", "noeviction")
    warned = [e for e in logs if e["log_level"] == "warning"]
    assert warned and warned[0]["policies"] == {"primary": "allkeys-lru"}


def test_a_managed_redis_that_forbids_config_is_tolerated() -> None:
    class NoConfig:
        def config_get(self, *_: Any) -> Any:
            raise redis.ResponseError("unknown command 'CONFIG'")

    assert eviction_policies(NoConfig()) is None
    with capture_logs() as logs:
        warn_unless_noeviction(RedisHandle(client=NoConfig(), url="redis://managed"))
    assert logs[0]["event"] == "redis_eviction_policy_unknown"


def test_redis_mode_and_sentinel_master_settings() -> None:
    default = Settings.from_env({}, env_file=None)
    assert (default.redis_mode, default.redis_sentinel_master) == ("standalone", "mymaster")
    chosen = Settings.from_env(
        {"REDIS_MODE": "sentinel", "REDIS_SENTINEL_MASTER": "ragft"}, env_file=None
    )
    assert (chosen.redis_mode, chosen.redis_sentinel_master) == ("sentinel", "ragft")
    with pytest.raises(SettingsError, match="REDIS_MODE"):
        Settings.from_env({"REDIS_MODE": "replicated"}, env_file=None)


def test_an_election_that_outlasts_the_wait_is_storage_trouble() -> None:
    """CLUSTERDOWN after the backoff is reported like a dead Redis: nothing was saved."""
    from conversations.storage._redis import redis_errors

    with pytest.raises(StoreUnavailable), redis_errors():
        raise ClusterDownError("CLUSTERDOWN The cluster is down")
