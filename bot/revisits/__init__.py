"""Revisit reminders: schedule on completion, tick in any number of processes, act on buttons.

Wiring (the app factory, the playground, `ragft clock`):

    scheduler = install(services, settings, client)        # on_completed hook + status for views
    listeners.register(app, services, scheduler, start_reassessment=...)
    ticker = RevisitTicker(settings, services, client=client).start()   # or `ragft clock`
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.revisits.schedule import (
    RevisitConfig,
    RevisitScheduler,
    SnoozeStatus,
    revisit_status,
)
from bot.revisits.sender import NudgeSender, Outcome
from bot.revisits.ticker import RevisitTicker

if TYPE_CHECKING:
    from slack_sdk import WebClient

    from bot.services import Services
    from bot.settings import Settings

__all__ = [
    "NudgeSender",
    "Outcome",
    "RevisitConfig",
    "RevisitScheduler",
    "RevisitTicker",
    "SnoozeStatus",
    "install",
    "revisit_status",
]


def install(services: Services, settings: Settings, client: WebClient) -> RevisitScheduler:
    """Hook revisits into the app's services: schedule on completion, show snoozes in views."""
    config = RevisitConfig.from_settings(settings)
    scheduler = RevisitScheduler(config.queue(services.redis), client, config, services.clock)
    services.on_completed.append(scheduler.on_completed)
    services.revisit_status = SnoozeStatus(services.redis)
    services.revisit_scheduler = scheduler
    return scheduler
