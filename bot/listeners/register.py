"""The team's decision register: App Home filters, its start button, taking over a decision
whose owner left, and an admin deleting the workspace's data."""

from __future__ import annotations

import re
from functools import partial
from typing import TYPE_CHECKING, Any

from bot import payload, team_register
from bot.interview import start_assessment
from bot.listeners.home import publish_home
from bot.log import get_logger, log_context
from bot.views import text as t
from bot.views.action_ids import (
    HOME_FILTER_ACTION,
    HOME_NEW_ACTION,
    PURGE_CONFIRM_ACTION,
    TAKE_OVER_ACTION,
)
from bot.views.register import FILTERS

if TYPE_CHECKING:
    from slack_bolt import Respond
    from slack_sdk import WebClient

    from bot.listeners.lazily import Lazily
    from bot.services import Services

log = get_logger(__name__)


def on_filter(
    services: Services, body: dict[str, Any], action: dict[str, Any], client: WebClient
) -> None:
    """Redraw the Home tab with the chosen filter (all, mine, overdue)."""
    which = str(action.get("value") or "all")
    team, user = payload.team_id(body), payload.user_id(body)
    publish_home(client, services, team, user, which if which in FILTERS else "all")


def on_new(services: Services, body: dict[str, Any], client: WebClient) -> None:
    """Start an assessment from App Home: the interview runs in the person's DM with the app."""
    team, user = payload.team_id(body), payload.user_id(body)
    opened = client.conversations_open(users=user)
    channel = str((opened.get("channel") or {}).get("id") or "")
    with log_context(team=team, channel=channel):
        start_assessment(client, services, team=team, channel=channel, user=user, name="")


def on_purge(
    services: Services,
    body: dict[str, Any],
    action: dict[str, Any],
    client: WebClient,
    respond: Respond,
) -> None:
    """The confirmed purge-workspace: an admin (checked again) deletes every team key."""
    team, user = payload.team_id(body), payload.user_id(body)
    if action.get("value") != team or not team_register.is_admin(client, user):
        respond(text=t.PURGE_REFUSED, response_type="ephemeral", replace_original=False)
        return
    with log_context(team=team):
        count = team_register.purge_team(services.store.client, team, services.revisits.cancel)
        services.store.rewrite_log()
        respond(text=t.PURGE_DONE.format(count=count), replace_original=True)


def on_take_over(
    services: Services, body: dict[str, Any], action: dict[str, Any], client: WebClient
) -> None:
    """Someone takes over a decision whose owner's account is deactivated."""
    team, user, channel = payload.team_id(body), payload.user_id(body), payload.channel_id(body)
    record = services.store.get_assessment(team, str(action.get("value") or ""))
    if (
        record is None
        or record.owner == user
        or not team_register.is_deactivated(client, record.owner)
    ):
        return
    moved = team_register.transfer(services.store.client, record, user)
    client.chat_postMessage(
        channel=channel,
        thread_ts=payload.thread_ts(body) or None,
        text=t.TAKEN_OVER.format(owner=user, id=moved.assessment_id, name=moved.name),
    )


def register(app: Lazily, services: Services) -> None:
    """Listen to the register's buttons."""
    app.action(re.compile(f"^{HOME_FILTER_ACTION}_"))(partial(on_filter, services))
    app.action(HOME_NEW_ACTION)(partial(on_new, services))
    app.action(PURGE_CONFIRM_ACTION)(partial(on_purge, services))
    app.action(TAKE_OVER_ACTION)(partial(on_take_over, services))
