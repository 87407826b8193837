"""Revisit reminders: schedule on completion, tick in any number of processes, act on buttons.

Wiring: in `create_app`, after the other listeners, `wire(app, services, settings)` (the
on_completed hook, snooze status for the views, the three buttons). The nudges themselves
go out from `RevisitTicker(settings, services).start()` (inline) or `ragft clock`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.revisits.scheduler import (
    RevisitConfig,
    RevisitScheduler,
    SnoozeStatus,
)
from bot.revisits.sender import Delivery, NudgeSender
from bot.revisits.ticker import RevisitTicker

if TYPE_CHECKING:
    from slack_bolt import App
    from slack_sdk import WebClient

    from bot.services import Services
    from bot.settings import Settings

__all__ = [
    "Delivery",
    "NudgeSender",
    "RevisitConfig",
    "RevisitScheduler",
    "RevisitTicker",
    "SnoozeStatus",
    "install",
    "wire",
]


def install(
    services: Services, settings: Settings, client: WebClient, config: RevisitConfig | None = None
) -> RevisitScheduler:
    """Hook revisits into the app's services: schedule on completion, show snoozes in views."""
    config = config or RevisitConfig.from_settings(settings)
    scheduler = RevisitScheduler(config.queue(services.redis), client, config, services.clock)
    services.on_completed.append(scheduler.on_completed)
    services.revisit_status = SnoozeStatus(services.redis)
    services.revisit_scheduler = scheduler
    return scheduler


def wire(
    app: App, services: Services, settings: Settings, config: RevisitConfig | None = None
) -> RevisitScheduler:
    """Everything the web process needs: `install` plus the nudge's button listeners."""
    from bot.listeners import revisit_actions as listeners

    scheduler = install(services, settings, app.client, config)
    listeners.register(app, services, scheduler)
    return scheduler
