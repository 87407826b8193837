"""The revisit ticker: APScheduler calls `tick()` every REVISIT_TICK_SECONDS.

The schedule itself lives in Redis (conversations.storage.revisits), so any number of tickers can
run at once, in the web process (`services.ticker.start()`) or in `ragft clock`
processes; APScheduler only drives the interval, with an in-memory job store.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable
from datetime import UTC, datetime

import redis
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler

from bot.log import get_logger
from bot.revisits.sender import Delivery, NudgeSender
from conversations.errors import StoreUnavailable
from conversations.storage.revisits import Revisit, RevisitQueue

__all__ = ["MAX_BATCHES_PER_TICK", "SCAN_EVERY_TICKS", "RevisitTicker"]

log = get_logger(__name__)
MAX_BATCHES_PER_TICK = 20  # a backlog drains over a few ticks instead of blocking one forever
SCAN_EVERY_TICKS = 12  # a SCAN for outboxes missing from the index: at start, then every minute


class RevisitTicker:
    """Claims due revisits and sends them; safe to run in many processes at once."""

    def __init__(
        self,
        queue: RevisitQueue,
        sender: NudgeSender,
        *,
        tick_seconds: float,
        batch: int,
        clock: Callable[[], datetime],
        drain: Callable[..., int] | None = None,
        housekeeping: Callable[[], None] | None = None,
        sweep: Callable[[], object] | None = None,
        sweep_seconds: float = 2.0,
    ) -> None:
        # Its own job, more often than the revisits: the deliveries owed after an ack.
        self.sweep = sweep
        self.sweep_seconds = sweep_seconds
        self.drain = drain  # RevisitScheduler.drain_outboxes: completions into the schedule
        self._ticks = 0
        self.queue = queue
        self.sender = sender
        self.tick_seconds = tick_seconds
        self.batch = batch
        self.clock = clock
        # Run once per tick after the revisits (OAuth mode: purge departed workspaces' data).
        self.housekeeping = housekeeping
        self._scheduler: BaseScheduler | None = None

    def tick(self) -> dict[str, int]:
        """Claim and deliver every due revisit (a bounded number of batches); counts by outcome."""
        counts: dict[str, int] = {}
        if self.drain is not None:
            try:
                scheduled = self.drain(scan=self._ticks % SCAN_EVERY_TICKS == 0)
                if scheduled:
                    counts["scheduled"] = scheduled
            except (redis.RedisError, StoreUnavailable) as exc:
                # The entries stay in their outboxes for the next tick; due nudges still go.
                log.warning("revisit_outbox_drain_failed", error=str(exc))
            self._ticks += 1
        try:
            for _ in range(MAX_BATCHES_PER_TICK):
                now = self.clock().timestamp()
                claimed = self.queue.claim(now, self.batch)
                for rev in claimed:
                    outcome = self._deliver(rev, now)
                    counts[outcome] = counts.get(outcome, 0) + 1
                if len(claimed) < self.batch:
                    break
        except (redis.RedisError, StoreUnavailable) as exc:
            # What we held stays leased and comes back after the lease: nothing is lost.
            log.warning("revisit_tick_failed", error=str(exc))
        if counts:
            log.info("revisit_tick", **counts)
        try:  # the heartbeat /healthz and the web process's watch read
            self.queue.mark_tick(self.clock().timestamp())
        except (redis.RedisError, StoreUnavailable) as exc:
            log.warning("revisit_heartbeat_failed", error=str(exc))
        if self.housekeeping is not None:
            try:
                self.housekeeping()
            except Exception:  # next tick tries again
                log.exception("housekeeping_failed")
        return counts

    def _deliver(self, rev: Revisit, now: float) -> str:
        try:
            return self.sender.deliver(rev, now).value
        except (redis.RedisError, StoreUnavailable):
            raise
        except Exception:  # one bad record must not stop the batch; its lease brings it back
            log.exception("revisit_send_crashed", team=rev.team, assessment_id=rev.assessment_id)
            return Delivery.RETRY.value

    def _add_job(self, scheduler: BaseScheduler, *, revisits: bool = True) -> None:
        # APScheduler logs every run at INFO; our own tick line says what matters.
        logging.getLogger("apscheduler").setLevel(logging.WARNING)
        if revisits:
            scheduler.add_job(
                self.tick,
                "interval",
                seconds=self.tick_seconds,
                id="ragft-revisits",
                coalesce=True,
                max_instances=1,
                next_run_time=datetime.now(UTC),  # APScheduler's own time, not self.clock
                replace_existing=True,
            )
        if self.sweep is not None:
            scheduler.add_job(
                self._sweep,
                "interval",
                seconds=self.sweep_seconds,
                id="ragft-owed",
                coalesce=True,
                max_instances=1,
                next_run_time=datetime.now(UTC),
                replace_existing=True,
            )

    def _sweep(self) -> None:
        assert self.sweep is not None
        try:
            self.sweep()
        except Exception as exc:  # Redis away: the entries wait for the next sweep
            log.warning("owed_sweep_failed", error_type=type(exc).__name__)

    def start(self, *, revisits: bool = True) -> RevisitTicker:
        """Tick in a background thread (the web process, the playground); without `revisits`,
        only the sweep of what acknowledged requests owe Slack (a web process whose nudges a
        `ragft clock` sends)."""
        scheduler = BackgroundScheduler(timezone=UTC)
        self._add_job(scheduler, revisits=revisits)
        scheduler.start()
        self._scheduler = scheduler
        if revisits:
            log.info("revisit_ticker_started", every=self.tick_seconds)
        return self

    def run_forever(self) -> None:
        """Tick in this thread until shutdown() or Ctrl-C (`ragft clock`)."""
        scheduler = BlockingScheduler(timezone=UTC)
        self._add_job(scheduler)
        self._scheduler = scheduler
        log.info("revisit_clock_started", every=self.tick_seconds)
        with contextlib.suppress(KeyboardInterrupt, SystemExit):
            scheduler.start()

    def shutdown(self) -> None:
        """Stop ticking; a tick in progress finishes first."""
        scheduler, self._scheduler = self._scheduler, None
        if scheduler is not None and scheduler.running:
            scheduler.shutdown(wait=not isinstance(scheduler, BlockingScheduler))
