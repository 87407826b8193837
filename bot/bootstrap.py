"""The composition root: `build(settings, redis)` assembles every part the app runs on.

Every entry point (`ragft web`, `ragft clock`, the playground, the tests, the benchmarks)
builds its `Services` here, and nowhere else; a test overrides a part by passing it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from bot.revisits.scheduler import RevisitConfig, RevisitScheduler
from bot.revisits.sender import NudgeSender
from bot.revisits.ticker import RevisitTicker
from bot.services import CompletedAssessment, Services, utc_now
from bot.slack_client import build_client
from conversations.storage.interviews import InterviewStore

if TYPE_CHECKING:
    import redis
    from slack_sdk import WebClient

    from bot.settings import Settings

__all__ = ["build"]


def build(
    settings: Settings,
    redis_client: redis.Redis,
    *,
    client: WebClient | None = None,
    clock: Callable[[], datetime] = utc_now,
    revisit_config: RevisitConfig | None = None,
    on_completed: Sequence[Callable[[CompletedAssessment], None]] = (),
) -> Services:
    """Everything on one Redis connection and one Web API client (default: `build_client`).

    The revisit scheduler is the first `on_completed` hook; `on_completed` adds more.
    """
    config = revisit_config or RevisitConfig.from_settings(settings)
    client = client or build_client(settings)
    ttl = settings.interview_ttl
    if not isinstance(ttl, timedelta):  # P1M and the like: measured from now
        ttl = ttl.totimedelta(start=clock())
    store = InterviewStore(redis_client, interview_ttl=ttl, revisit_after=settings.revisit_after)
    queue = config.queue(redis_client)
    scheduler = RevisitScheduler(queue, client, config, clock)
    sender = NudgeSender(client, queue, store, clock=clock)
    ticker = RevisitTicker(
        queue,
        sender,
        tick_seconds=config.tick_seconds,
        batch=config.batch,
        clock=clock,
        drain=scheduler.drain_outboxes,
    )
    hooks = (scheduler.on_completed, *on_completed)
    return Services(
        store=store,
        revisits=queue,
        rescheduler=scheduler,
        ticker=ticker,
        client=client,
        clock=clock,
        on_completed=hooks,
    )
