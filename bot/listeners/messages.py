"""Thread replies: answers and commands typed in an interview thread; and direct messages
to the bot outside an interview, which get a short help and a way to start one there."""

from __future__ import annotations

import time
from functools import partial
from typing import TYPE_CHECKING, Any

from bot import payload
from bot.access import refused
from bot.command_text import parse_command
from bot.interview import question_ts
from bot.listeners import agent
from bot.log import get_logger, log_context
from bot.owed import (
    NEXT_KEY,
    DirectMessage,
    PendingStart,
    Step,
    Stranger,
    claim_start,
    decided,
    deliver,
    run_start,
)
from bot.posting import post
from bot.views import direct_message_help
from bot.views import text as t
from conversations.storage.keys import ThreadKey

if TYPE_CHECKING:
    from slack_bolt import BoltContext
    from slack_sdk import WebClient

    from bot.listeners.lazily import Lazily
    from bot.services import Services
    from conversations.storage import ThreadView

log = get_logger(__name__)
RECORD_WAIT_STEPS = 40
RECORD_WAIT_SECONDS = 0.05
# Subtypes that are still a person typing a reply: "also send to #channel", a reply with a file.
PERSON_SUBTYPES = frozenset({"thread_broadcast", "file_share"})


def is_person_thread_reply(event: dict[str, Any]) -> bool:
    """A plain message a person typed as a reply in a thread (no edits, joins, bots, roots)."""
    return (
        event.get("type") == "message"
        and (not event.get("subtype") or event.get("subtype") in PERSON_SUBTYPES)
        and not event.get("bot_id")
        and bool(event.get("user"))
        and bool(event.get("thread_ts"))
        and event.get("thread_ts") != event.get("ts")
    )


def reply_target(
    services: Services, where: ThreadKey, view: ThreadView, reply_ts: str
) -> str | None:
    """The ask a reply answers: the latest question message before it.

    The open question's message may be posted but not yet recorded (the reply came
    between the post and its record, a trip later); then wait briefly for it. If it never
    got posted, the reply answers it.
    """
    state = view.state
    current = state.current.ask_id if state and state.current else None
    if current is None or current in view.asks:
        return view.ask_for_reply(reply_ts)
    for _ in range(RECORD_WAIT_STEPS):
        time.sleep(RECORD_WAIT_SECONDS)
        if question_ts(services, where, current) is not None:
            return services.store.ask_for_reply(where, reply_ts)
    return None  # the open question has no message: the reply can only be for it


def is_person_direct_message(event: dict[str, Any]) -> bool:
    """A plain message a person typed to the bot in their DM with it (a thread reply too)."""
    return (
        event.get("type") == "message"
        and event.get("channel_type") == "im"
        and (not event.get("subtype") or event.get("subtype") in PERSON_SUBTYPES)
        and not event.get("bot_id")
        and bool(event.get("user"))
    )


def take_direct_message(
    services: Services, event: dict[str, Any], body: dict[str, Any], context: BoltContext
) -> None:
    """Before the ack, a DM outside an open interview: `assess <name>` claims its start (a
    retry, or the same message under another event id, starts nothing); anything else is
    answered after the ack."""
    typed = parse_command(event.get("text"))
    if typed.verb != "assess":
        context[NEXT_KEY] = DirectMessage()
        return
    team, channel = payload.team_id(body), str(event["channel"])
    start = PendingStart(
        team, f"dm:{channel}:{event.get('ts')}", channel, str(event["user"]), typed.argument
    )
    if claim_start(services, start):
        context[NEXT_KEY] = start


def on_direct_message(
    services: Services, event: dict[str, Any], body: dict[str, Any], client: WebClient
) -> None:
    """A DM outside an open interview and not `assess`: a prompt of the Messages tab, or the
    short help with a button that starts one."""
    team, user, channel = payload.team_id(body), str(event["user"]), str(event["channel"])
    with log_context(team=team, channel=channel):
        prompt = agent.typed_prompt(event.get("text"))  # the Messages tab's suggested prompts
        if prompt is not None:
            agent.answer_prompt(services, client, team, user, channel, prompt)
            return
        log.info("direct_message_help")
        post(client, channel, direct_message_help(), event.get("thread_ts"))


def take_message(
    services: Services, event: dict[str, Any], body: dict[str, Any], context: BoltContext
) -> None:
    """Before the ack: a person's reply in an open interview's thread is stepped and
    committed with the effects it owes (`bot.owed`); a DM to the bot is looked at."""
    direct = is_person_direct_message(event)
    if not is_person_thread_reply(event):
        if direct:
            take_direct_message(services, event, body, context)
        return  # not a matcher: an event no listener matches would be answered 404
    team = payload.team_id(body)
    where = ThreadKey(team, event["channel"], event["thread_ts"])
    delivery = str(body.get("event_id") or f"msg:{event['ts']}")
    view = services.store.view(where, delivery)
    state = view.state
    if state is None or (state.status != "open" and not view.owed):
        if direct:
            take_direct_message(services, event, body, context)
        return  # not an interview thread (or one that is over, its effects delivered)
    with log_context(
        team=team, channel=where.channel, thread=where.thread_ts, assessment_id=state.assessment_id
    ):
        if state.owner != event["user"]:
            log.info("stranger_reply_refused")
            context[NEXT_KEY] = Stranger(state.owner)
            return
        outcome, view = services.store.apply_seen(
            where,
            delivery,
            view,
            lambda seen: {
                "text": event.get("text") or "",
                "ask_id": reply_target(services, where, seen, event["ts"]),
            },
        )
        if not outcome.applied or outcome.state is None:
            # "in_progress": another attempt delivers it, or the sweeper will
            log.info("reply_not_applied", reason=outcome.reason)
            return
        step = Step(
            where,
            delivery,
            outcome.state,
            outcome.effects,
            recorded=view.asks,
            redelivery=outcome.redelivery,
        )
        context[NEXT_KEY] = step


def on_message(
    services: Services,
    event: dict[str, Any],
    body: dict[str, Any],
    client: WebClient,
    context: BoltContext,
) -> None:
    """After the ack: deliver what `take_message` committed or decided."""
    what = decided(context)
    if isinstance(what, Step):
        with log_context(
            team=what.where.team,
            channel=what.where.channel,
            thread=what.where.thread_ts,
            assessment_id=what.state.assessment_id,
        ):
            deliver(client, services, what)
    elif isinstance(what, PendingStart):
        with log_context(team=what.team, channel=what.channel):
            log.info("direct_message_assess")
            run_start(client, services, what)
    elif isinstance(what, Stranger):
        refused(
            client,
            owner=what.owner,
            user=event["user"],
            channel=event["channel"],
            note=t.STRANGER_NOTE,
            thread_ts=event.get("thread_ts"),
        )
    elif isinstance(what, DirectMessage):
        on_direct_message(services, event, body, client)


def register(app: Lazily, services: Services) -> None:
    """Listen to every message event; act only on people's replies in interview threads."""
    app.event("message")(ack=partial(take_message, services), lazy=[partial(on_message, services)])
