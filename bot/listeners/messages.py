"""Thread replies: answers and commands typed in an interview thread."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bot.listeners._common import team_of
from bot.listeners.interview import Thread, render
from bot.logging import get_logger, log_context
from bot.views import text as t

if TYPE_CHECKING:
    from slack_bolt import App
    from slack_sdk import WebClient

    from bot.services import Services

log = get_logger(__name__)


def is_person_thread_reply(event: dict[str, Any]) -> bool:
    """A plain message a person typed as a reply in a thread (no edits, joins, bots, roots)."""
    return (
        event.get("type") == "message"
        and not event.get("subtype")
        and not event.get("bot_id")
        and bool(event.get("user"))
        and bool(event.get("thread_ts"))
        and event.get("thread_ts") != event.get("ts")
    )


def register(app: App, services: Services) -> None:
    """Listen to every message event; act only on people's replies in interview threads."""

    @app.event("message")
    def on_message(event: dict[str, Any], body: dict[str, Any], client: WebClient) -> None:
        if not is_person_thread_reply(event):
            return
        team = team_of(body)
        where = Thread(team, event["channel"], event["thread_ts"])
        state = services.store.get_interview(team, where.channel, where.thread_ts)
        if state is None or state.status != "open":
            return  # not an interview thread (or one that is over)
        with log_context(
            team=team,
            channel=where.channel,
            thread=where.thread_ts,
            assessment_id=state.assessment_id,
        ):
            if event["user"] != state.owner:
                client.chat_postEphemeral(
                    channel=where.channel,
                    user=event["user"],
                    thread_ts=where.thread_ts,
                    text=t.STRANGER_NOTE.format(owner=state.owner),
                )
                log.info("stranger_reply_refused")
                return
            ask_id = services.store.ask_for_reply(team, where.channel, where.thread_ts, event["ts"])
            outcome = services.store.apply(
                team,
                where.channel,
                where.thread_ts,
                text=event.get("text") or "",
                ask_id=ask_id,
                delivery_id=str(body.get("event_id") or f"msg:{event['ts']}"),
            )
            if not outcome.applied or outcome.state is None:
                log.info("reply_not_applied", reason=outcome.reason)
                return
            render(client, services, where, outcome.state, outcome.effects)
