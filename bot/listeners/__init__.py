"""One module per Slack surface; `register(app, services)` attaches them all.

Each handler is a module-level function whose first argument is `Services`; `register`
binds it with `functools.partial`, and Bolt injects the rest (`body`, `client`, ...) by name.
They register on `Lazily(app)` (`bot.listeners.lazily`): each runs after the ack, as Bolt's
lazy listener, and a part that must be saved before the ack is given as `ack=`.
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
    from bot.listeners.lazily import Lazily
    from bot.services import Services

__all__ = ["register"]


def register(app: Lazily, services: Services) -> None:
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
