"""The Messages tab (agent view): opening it greets the person once a day with three
suggested prompts (assess a workload, my decisions, what is due); the interview then runs
in a thread there like in a channel (`actions.on_start`), with a status while the
recommendation is worked out (`bot.interview`).

Registered before `home`: Bolt runs the first listener that matches, and this one takes
only `app_home_opened` with `tab: messages`.
"""

from __future__ import annotations

import contextlib
from datetime import timedelta
from functools import partial
from typing import TYPE_CHECKING, Any

from bot import payload
from bot.listeners._common import summaries
from bot.log import get_logger, log_context
from bot.views.action_ids import AGENT_DUE_ACTION, AGENT_MINE_ACTION
from bot.views.agent import agent_greeting, due_message
from bot.views.home import list_message
from conversations.storage import keys, redis_errors

if TYPE_CHECKING:
    from slack_sdk import WebClient

    from bot.listeners.lazily import Lazily
    from bot.services import Services

log = get_logger(__name__)
GREET_EVERY = timedelta(days=1)
DUE_WITHIN = timedelta(days=30)


def messages_tab(event: dict[str, Any]) -> bool:
    return event.get("tab") == "messages"


def on_messages_opened(
    services: Services, event: dict[str, Any], body: dict[str, Any], client: WebClient
) -> None:
    """Greet the person in the Messages tab, at most once a day."""
    team, user, channel = payload.team_id(body), str(event["user"]), str(event["channel"])
    with log_context(team=team, channel=channel):
        with redis_errors():
            first = services.store.client.set(
                keys.greeted(team, user), "1", nx=True, ex=int(GREET_EVERY.total_seconds())
            )
        if not first:
            return
        message = agent_greeting(user)
        try:
            client.chat_postMessage(channel=channel, text=message.text, blocks=message.blocks)
        except Exception:
            # Not greeted after all: a retry (or the next visit) greets again.
            with contextlib.suppress(Exception):
                services.store.client.delete(keys.greeted(team, user))
            raise
        log.info("messages_tab_greeted")


def answer_prompt(
    services: Services, client: WebClient, team: str, user: str, channel: str, which: str
) -> None:
    """Post the person's decisions (`mine`) or what is due for a revisit (`due`: overdue,
    then due within 30 days) in the conversation where they asked."""
    items = summaries(services, team, user)
    if which == "due":
        today = services.clock().date()
        message = due_message(items, today.isoformat(), (today + DUE_WITHIN).isoformat())
    else:
        message = list_message(items)
    client.chat_postMessage(channel=channel, text=message.text, blocks=message.blocks)


def typed_prompt(text: str | None) -> str | None:
    """A suggested prompt typed (or sent by Slack's prompt list): `mine`, `due` or None."""
    words = " ".join((text or "").lower().replace("?", " ").split())
    if "due" in words.split() or "revisit" in words:
        return "due"
    if words in ("my decisions", "decisions", "mine", "list", "my assessments"):
        return "mine"
    return None


def on_mine(services: Services, body: dict[str, Any], client: WebClient) -> None:
    """*My decisions* pressed."""
    team, user, channel = payload.team_id(body), payload.user_id(body), payload.channel_id(body)
    answer_prompt(services, client, team, user, channel, "mine")


def on_due(services: Services, body: dict[str, Any], client: WebClient) -> None:
    """*What is due for a revisit* pressed."""
    team, user, channel = payload.team_id(body), payload.user_id(body), payload.channel_id(body)
    answer_prompt(services, client, team, user, channel, "due")


def register(app: Lazily, services: Services) -> None:
    """Listen to the Messages tab opening and to the greeting's prompts."""
    app.event("app_home_opened", matchers=[messages_tab])(partial(on_messages_opened, services))
    app.action(AGENT_MINE_ACTION)(partial(on_mine, services))
    app.action(AGENT_DUE_ACTION)(partial(on_due, services))
