"""One module per Slack surface; `register(app, services)` attaches them all.

Each handler is a module-level function whose first argument is `Services`; `register`
binds it with `functools.partial`, and Bolt injects the rest (`body`, `client`, ...) by name.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.listeners import (
    actions,
    agent,
    canvas,
    commands,
    decisions,
    home,
    lifecycle,
    messages,
    revisit_actions,
    workflow,
)

if TYPE_CHECKING:
    from slack_bolt import App

    from bot.services import Services

__all__ = ["register"]


def register(app: App, services: Services) -> None:
    """Attach every listener to the Bolt app."""
    surfaces = (
        commands,
        messages,
        actions,
        revisit_actions,
        agent,  # before home: the first matching app_home_opened listener runs
        home,
        lifecycle,
        decisions,
        canvas,
        workflow,
    )
    for surface in surfaces:
        surface.register(app, services)
