"""Whether revisit nudges are going out: the clocks' heartbeat, read by `/healthz` and the logs.

Every tick of any clock (the web process's own ticker or a `ragft clock`) records when it
finished in Redis. A web process reads that beat: `/healthz` reports it, and a process that
leaves the sending to a separate clock logs a warning while no clock has ticked for a while,
so a deploy that forgot its clock process says so instead of silently never nudging anyone.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, Literal

import redis
from apscheduler.schedulers.background import BackgroundScheduler

from bot.log import get_logger
from conversations.errors import StoreUnavailable
from conversations.storage.revisits import RevisitQueue

__all__ = ["SILENT_AFTER_TICKS", "RevisitWatch"]

log = get_logger(__name__)
# A clock's lease is 10 ticks: silence past 12 means no clock has been ticking, not a slow batch.
SILENT_AFTER_TICKS = 12

SENT_BY = {"inline": "this process", "separate": "a separate `ragft clock`"}


class RevisitWatch:
    """Reads the clocks' heartbeat; warns in the log while it is silent."""

    def __init__(
        self,
        queue: RevisitQueue,
        *,
        mode: Literal["inline", "separate"],
        tick_seconds: float,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.queue = queue
        self.mode = mode
        self.tick_seconds = tick_seconds
        self.silent_after = SILENT_AFTER_TICKS * tick_seconds
        self.clock = clock
        self.started_at = clock()
        self._warned = False
        self._scheduler: BackgroundScheduler | None = None

    def status(self) -> dict[str, Any]:
        """What `/healthz` shows under "revisits"."""
        now = self.clock()
        report: dict[str, Any] = {"sent_by": SENT_BY[self.mode], "every_seconds": self.tick_seconds}
        try:
            last = self.queue.last_tick()
        except (redis.RedisError, StoreUnavailable):
            return {**report, "last_tick": "unknown (Redis is not answering)", "sending": None}
        quiet_since = last if last is not None else self.started_at
        report["last_tick"] = _iso(last) if last is not None else None
        report["sending"] = now - quiet_since <= self.silent_after
        if not report["sending"]:
            report["warning"] = self._warning(last, now)
        return report

    def _warning(self, last: float | None, now: float) -> str:
        since = "since this process started" if last is None else f"for {now - last:.0f} s"
        if self.mode == "separate":
            return (
                f"no revisit clock has ticked {since}: start `ragft clock` (the Procfile's "
                "clock process), or unset RAGFT_CLOCK so the web process sends the nudges"
            )
        return f"this process's revisit ticker has not ticked {since}"

    def check(self) -> None:
        """Log a warning while the heartbeat is silent, and a note when it comes back."""
        report = self.status()
        if report["sending"] is False:
            self._warned = True
            log.warning("revisit_clock_silent", **report)
        elif report["sending"] and self._warned:
            self._warned = False
            log.info("revisit_clock_ticking", last_tick=report["last_tick"])

    def start(self) -> RevisitWatch:
        """Check in a background thread, twice per silence allowance."""
        scheduler = BackgroundScheduler(timezone=UTC)
        logging.getLogger("apscheduler").setLevel(logging.WARNING)
        scheduler.add_job(
            self.check,
            "interval",
            seconds=max(self.silent_after / 2, 0.5),
            id="ragft-revisit-watch",
            coalesce=True,
            max_instances=1,
        )
        scheduler.start()
        self._scheduler = scheduler
        return self

    def shutdown(self) -> None:
        scheduler, self._scheduler = self._scheduler, None
        if scheduler is not None and scheduler.running:
            scheduler.shutdown(wait=False)


def _iso(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, UTC).isoformat(timespec="seconds")
