"""`/ragft ...`: one handler per verb of `bot.command_text.RAGFT_VERBS`, each marked with
`@handles(verb)` (help is answered in the ack, by `bot.app`)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any

from bot import payload
from bot.access import is_admin, owned_record
from bot.command_text import ONCE_PER_TRIGGER, RAGFT_VERBS, parse_command
from bot.errors import BotError, NothingToCancel, NotInThread, UnknownAssessment
from bot.interview import render, start_assessment
from bot.listeners import decisions
from bot.listeners._common import summaries
from bot.log import get_logger, log_context
from bot.owed import NEXT_KEY, PendingStart, Replayed, claim_start, decided, run_start
from bot.views import forget_confirmation, list_message, recommendation_messages
from bot.views import text as t
from bot.views.home import purge_confirmation, team_list_message
from conversations.storage.decisions import DecisionStore
from conversations.storage.keys import ThreadKey

if TYPE_CHECKING:
    from slack_bolt import BoltContext, Respond
    from slack_sdk import WebClient

    from bot.listeners.lazily import Lazily
    from bot.services import Services

log = get_logger(__name__)


@dataclass(frozen=True)
class Invocation:
    """One `/ragft` command: who typed it where, its argument, and what answers it."""

    services: Services
    client: WebClient
    respond: Respond
    team: str
    user: str
    channel: str
    argument: str
    trigger_id: str


def take_command(services: Services, command: dict[str, Any], context: BoltContext) -> None:
    """Before the ack: a verb that starts or changes something is claimed by its trigger, so
    that a replayed request does nothing; a start is listed for the sweeper with it."""
    parsed = parse_command(command.get("text"))
    trigger = str(command.get("trigger_id", ""))
    if parsed.verb not in ONCE_PER_TRIGGER or not trigger:
        return
    team, user, channel = payload.team_id(command), payload.user_id(command), command["channel_id"]
    if parsed.verb == "cancel":
        if not services.store.claim_trigger(team, trigger):
            context[NEXT_KEY] = Replayed()
        return
    previous = ""
    if parsed.verb == "revisit":
        if not parsed.argument:
            raise NotInThread("revisit")
        previous = owned_record(services.store, team, user, parsed.argument).assessment_id
    name = parsed.argument if parsed.verb == "assess" else ""
    start = PendingStart(team, trigger, channel, user, name=name, previous=previous)
    context[NEXT_KEY] = start if claim_start(services, start) else Replayed()


Handler = Callable[[Invocation], None]
# verb -> its handler, filled by `@handles`; checked against RAGFT_VERBS below.
VERBS: dict[str, Handler] = {}


def handles(verb: str) -> Callable[[Handler], Handler]:
    """Mark a function as the handler of `/ragft <verb>`."""

    def mark(handler: Handler) -> Handler:
        if verb in VERBS:
            raise TypeError(
                f"/ragft {verb} has two handlers: {VERBS[verb].__name__}, {handler.__name__}"
            )
        VERBS[verb] = handler
        return handler

    return mark


def on_ragft(
    services: Services,
    command: dict[str, Any],
    client: WebClient,
    respond: Respond,
    context: BoltContext,
) -> None:
    """After the ack: run the verb's handler, or the start the ack part claimed."""
    parsed = parse_command(command.get("text"))
    handler = VERBS[parsed.verb]
    if handler is on_help:
        return
    team, user, channel = payload.team_id(command), payload.user_id(command), command["channel_id"]
    with log_context(team=team, channel=channel, command=parsed.verb):
        log.info("command_received")
        start = decided(context)
        if isinstance(start, Replayed):
            log.info("command_replayed")
            return
        if isinstance(start, PendingStart):
            run_start(client, services, start)
            return
        trigger = str(command.get("trigger_id", ""))
        run = Invocation(services, client, respond, team, user, channel, parsed.argument, trigger)
        handler(run)


@handles("help")
def on_help(_: Invocation) -> None:
    """Nothing more to do: the ack carried the command list."""


@handles("assess")
def on_assess(run: Invocation) -> None:
    """Start a new interview in the channel."""
    start_assessment(
        run.client,
        run.services,
        team=run.team,
        channel=run.channel,
        user=run.user,
        name=run.argument,
    )


@handles("list")
def on_list(run: Invocation) -> None:
    """The person's assessments (`list all`: the workspace's), to them alone."""
    if run.argument.strip().lower() == "all":
        today = run.services.clock().date()
        rows = DecisionStore(run.services.store.client).listed(run.team, today)
        everyone = team_list_message(rows)
        run.respond(text=everyone.text, blocks=everyone.blocks, response_type="ephemeral")
        return
    message = list_message(summaries(run.services, run.team, run.user))
    run.respond(text=message.text, blocks=message.blocks, response_type="ephemeral")


@handles("show")
def on_show(run: Invocation) -> None:
    """One of the person's recommendations again, to them alone, with *Share in channel*."""
    record = owned_record(run.services.store, run.team, run.user, _needs_id(run, "show"))
    for message in recommendation_messages(
        record.result,
        assessment_id=record.assessment_id,
        revisit_on=record.revisit_on,
        share=True,
    ):
        run.respond(text=message.text, blocks=message.blocks, response_type="ephemeral")


@handles("revisit")
def on_revisit(run: Invocation) -> None:
    """Re-assess one of the person's assessments in a new thread of this channel."""
    record = owned_record(run.services.store, run.team, run.user, _needs_id(run, "revisit"))
    with log_context(assessment_id=record.assessment_id):
        start_assessment(
            run.client,
            run.services,
            team=run.team,
            channel=run.channel,
            user=run.user,
            previous=record,
            store_checked=True,  # the record was just read
        )


@handles("cancel")
def on_cancel(run: Invocation) -> None:
    """Cancel the named open interview, or the only one."""
    open_ones = run.services.store.list_interviews(run.team, run.user)
    if run.argument:
        chosen = [s for s in open_ones if s.assessment_id == run.argument]
        if not chosen:
            raise UnknownAssessment(run.argument)
    elif len(open_ones) == 1:
        chosen = open_ones
    elif not open_ones:
        raise NothingToCancel()
    else:
        raise NotInThread("cancel")
    state = chosen[0]
    where = ThreadKey(run.team, state.channel, state.thread_ts)
    # The command names the interview, so it is the confirmation: cancel, then say yes.
    run.services.store.apply(where, command="cancel", delivery_id=f"cmd:{run.trigger_id}")
    outcome = run.services.store.apply(
        where, command="confirm", delivery_id=f"cmd:{run.trigger_id}:yes"
    )
    if outcome.state is not None:
        render(run.client, run.services, where, outcome.state, outcome.effects)


@handles("forget-me")
def on_forget_me(run: Invocation) -> None:
    """Ask for a confirmation; the button does the forgetting (`actions.on_forget`)."""
    message = forget_confirmation(run.user)
    run.respond(text=message.text, blocks=message.blocks, response_type="ephemeral")


MENTION = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>")


@handles("transfer")
def on_transfer(run: Invocation) -> None:
    """`/ragft transfer ID @person`: by the owner or a workspace admin."""
    words = run.argument.split()
    person = MENTION.search(run.argument)
    if len(words) < 2 or person is None:
        raise BotError(t.TRANSFER_USAGE)
    assessment_id = words[0].strip("`'\"<>")
    record = run.services.store.get_assessment(run.team, assessment_id)
    if record is None:
        raise UnknownAssessment(assessment_id)
    if record.owner != run.user and not is_admin(run.client, run.user):
        raise BotError(t.TRANSFER_REFUSED)
    moved = DecisionStore(run.services.store.client).transfer(record, person.group(1))
    log.info("assessment_transferred", assessment_id=moved.assessment_id)
    text = t.TRANSFER_DONE.format(id=moved.assessment_id, name=moved.name, owner=moved.owner)
    run.respond(text=text, response_type="ephemeral")


@handles("purge-workspace")
def on_purge_workspace(run: Invocation) -> None:
    """Ask a workspace admin to confirm; the button deletes (`lifecycle.on_purge`)."""
    if not is_admin(run.client, run.user):
        raise BotError(t.PURGE_REFUSED)
    message = purge_confirmation(run.team)
    run.respond(text=message.text, blocks=message.blocks, response_type="ephemeral")


@handles("deciders")
def on_deciders(run: Invocation) -> None:
    """`/ragft deciders ID @person ...`: who besides the owner may accept or retire."""
    text = decisions.set_deciders(run.services, run.team, run.user, run.argument)
    run.respond(text=text, response_type="ephemeral")


def _needs_id(run: Invocation, verb: str) -> str:
    if not run.argument:
        raise NotInThread(verb)
    return run.argument


_unhandled = {v.name for v in RAGFT_VERBS} ^ set(VERBS)
if _unhandled:
    raise TypeError(f"/ragft verbs declared without a handler, or handled undeclared: {_unhandled}")


def register(app: Lazily, services: Services) -> None:
    """Listen to `/ragft`."""
    app.command("/ragft")(ack=partial(take_command, services), lazy=[partial(on_ragft, services)])
