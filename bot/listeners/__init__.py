"""One module per Slack surface; `register(app, services)` wires them all."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.listeners import actions, commands, home, messages

if TYPE_CHECKING:
    from slack_bolt import App

    from bot.services import Services


def register(app: App, services: Services) -> None:
    """Attach every listener to the Bolt app."""
    for surface in (commands, messages, actions, home):
        surface.register(app, services)
