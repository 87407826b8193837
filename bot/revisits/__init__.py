"""Revisit reminders: scheduled on completion, sent by a ticker in any number of processes.

`bot.bootstrap.build` puts them together (one queue, the scheduler as the `on_completed`
hook, the sender and the ticker); the nudge's buttons are `bot.listeners.revisit_actions`.
"""

from __future__ import annotations

from bot.revisits.scheduler import RevisitConfig, RevisitScheduler
from bot.revisits.sender import Delivery, NudgeSender
from bot.revisits.ticker import RevisitTicker
from bot.revisits.watch import RevisitWatch

__all__ = [
    "Delivery",
    "NudgeSender",
    "RevisitConfig",
    "RevisitScheduler",
    "RevisitTicker",
    "RevisitWatch",
]
