"""The revisit watch reads the clocks' heartbeat: who sends the nudges, when a clock last
ticked, and a warning while none has for 12 ticks."""

from __future__ import annotations

import redis
from redis.backoff import NoBackoff
from redis.retry import Retry
from structlog.testing import capture_logs

from bot.revisits.watch import SILENT_AFTER_TICKS, RevisitWatch
from conversations.storage.revisits import RevisitQueue


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


def test_silence_past_twelve_ticks_warns_and_a_tick_clears_it(redis_client: redis.Redis) -> None:
    """A separate clock that never ticks is reported after 12 ticks, then cleared by a tick."""
    clock, queue = Clock(), RevisitQueue(redis_client)
    watch = RevisitWatch(queue, mode="separate", tick_seconds=5, clock=clock)
    assert watch.status()["sending"] is True  # just started: within the allowance
    clock.now += SILENT_AFTER_TICKS * 5 + 1
    with capture_logs() as logs:
        watch.check()
    report = watch.status()
    assert report["sending"] is False and report["last_tick"] is None
    assert "ragft clock" in report["warning"]
    assert [entry["event"] for entry in logs] == ["revisit_clock_silent"]
    queue.mark_tick(clock.now)
    with capture_logs() as logs:
        watch.check()
    assert watch.status()["sending"] is True
    assert [entry["event"] for entry in logs] == ["revisit_clock_ticking"]


def test_an_inline_ticker_that_stopped_is_reported_too(redis_client: redis.Redis) -> None:
    clock, queue = Clock(), RevisitQueue(redis_client)
    queue.mark_tick(clock.now)
    watch = RevisitWatch(queue, mode="inline", tick_seconds=1, clock=clock)
    assert watch.status()["sent_by"] == "this process"
    clock.now += SILENT_AFTER_TICKS + 1
    report = watch.status()
    assert report["sending"] is False and "this process" in report["warning"]


def test_redis_away_is_unknown_not_an_error() -> None:
    """/healthz still answers when Redis does not: the heartbeat is unknown."""
    down = redis.Redis(host="127.0.0.1", port=1, retry=Retry(NoBackoff(), 0))
    watch = RevisitWatch(RevisitQueue(down), mode="separate", tick_seconds=5)
    report = watch.status()
    assert report["sending"] is None and "unknown" in report["last_tick"]
