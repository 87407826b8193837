"""App Home: the workspace's decision register, the person's interviews in progress; its
filters and its start button."""

from __future__ import annotations

import re
from functools import partial
from typing import TYPE_CHECKING, Any

from bot import payload
from bot.interview import start_assessment
from bot.listeners._common import summaries
from bot.log import get_logger, log_context
from bot.views.action_ids import HOME_FILTER_ACTION, HOME_NEW_ACTION
from bot.views.home import HOME_FILTERS, home_tab
from conversations.storage.decisions import DecisionStore

if TYPE_CHECKING:
    from slack_sdk import WebClient

    from bot.listeners.lazily import Lazily
    from bot.services import Services

log = get_logger(__name__)


def publish_home(
    client: WebClient, services: Services, team: str, user: str, which: str = "all"
) -> None:
    """Draw the person's Home tab afresh: the team's decisions (filtered), their interviews."""
    rows = DecisionStore(services.store.client).listed(team, services.clock().date())
    view = home_tab(rows, user=user, which=which, in_progress=summaries(services, team, user))
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


def on_filter(
    services: Services, body: dict[str, Any], action: dict[str, Any], client: WebClient
) -> None:
    """Redraw the Home tab with the chosen filter (all, mine, overdue)."""
    which = str(action.get("value") or "all")
    team, user = payload.team_id(body), payload.user_id(body)
    publish_home(client, services, team, user, which if which in HOME_FILTERS else "all")


def on_new(services: Services, body: dict[str, Any], client: WebClient) -> None:
    """Start an assessment from App Home: the interview runs in the person's DM with the app."""
    team, user = payload.team_id(body), payload.user_id(body)
    opened = client.conversations_open(users=user)
    channel = str((opened.get("channel") or {}).get("id") or "")
    with log_context(team=team, channel=channel):
        start_assessment(client, services, team=team, channel=channel, user=user, name="")


def register(app: Lazily, services: Services) -> None:
    """Listen to `app_home_opened` and the Home tab's buttons."""
    app.event("app_home_opened")(partial(on_home_opened, services))
    app.action(re.compile(f"^{HOME_FILTER_ACTION}_"))(partial(on_filter, services))
    app.action(HOME_NEW_ACTION)(partial(on_new, services))
