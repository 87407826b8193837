"""App Home: the workspace's decision register, the person's interviews in progress."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any

from bot import payload, team_register
from bot.listeners._common import summaries
from bot.log import get_logger, log_context
from bot.views.register import register_view

if TYPE_CHECKING:
    from slack_sdk import WebClient

    from bot.listeners.lazily import Lazily
    from bot.services import Services

log = get_logger(__name__)


def publish_home(
    client: WebClient, services: Services, team: str, user: str, which: str = "all"
) -> None:
    """Draw the person's Home tab afresh: the team's decisions (filtered), their interviews."""
    rows = team_register.rows(services.store.client, team, services.clock().date())
    view = register_view(rows, user=user, which=which, in_progress=summaries(services, team, user))
    client.views_publish(user_id=user, view=view)


def on_home_opened(
    services: Services, event: dict[str, Any], body: dict[str, Any], client: WebClient
) -> None:
    """Redraw the Home tab whenever it is opened."""
    if event.get("tab", "home") != "home":
        return
    team = payload.team_id(body)
    with log_context(team=team):
        publish_home(client, services, team, event["user"])
        log.info("home_published")


def register(app: Lazily, services: Services) -> None:
    """Listen to `app_home_opened`."""
    app.event("app_home_opened")(partial(on_home_opened, services))
