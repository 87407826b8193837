"""`/ragft ...`: assess, help, list, show, cancel, revisit, forget-me."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from bot.errors import NothingToCancel, NotInThread, UnknownAssessment
from bot.interview import render, start_assessment
from bot.listeners._common import owned_record, summaries, team_of
from bot.listeners.command_text import parse_command
from bot.log import get_logger, log_context
from bot.views import forget_confirmation, list_message, recommendation_messages
from bot.views import text as t
from conversations.storage.keys import ThreadKey
from engine import AssessmentResult

if TYPE_CHECKING:
    from slack_bolt import App
    from slack_sdk import WebClient

    from bot.services import Services

log = get_logger(__name__)


def command_ack(text: str | None) -> str:
    """The text the acknowledgement of `/ragft <text>` carries: the command list for `help`."""
    return t.HELP if parse_command(text).verb == "help" else ""


def register(app: App, services: Services) -> None:
    """Listen to `/ragft`. `bot.app` has already acknowledged it (see `command_ack`)."""

    @app.command("/ragft")
    def ragft(
        ack: Callable[..., None], command: dict[str, Any], client: WebClient, respond: Any
    ) -> None:
        parsed = parse_command(command.get("text"))
        ack(text=command_ack(command.get("text")))  # a no-op when `bot.app` acknowledged it
        if parsed.verb == "help":
            return
        if parsed.verb in ("show", "revisit") and not parsed.argument:
            raise NotInThread(parsed.verb)
        team, user, channel = team_of(command), command["user_id"], command["channel_id"]
        with log_context(team=team, channel=channel, command=parsed.verb):
            log.info("command_received")
            if parsed.verb == "assess":
                start_assessment(
                    client, services, team=team, channel=channel, user=user, name=parsed.argument
                )
            elif parsed.verb == "list":
                message = list_message(summaries(services, team, user))
                respond(text=message.text, blocks=message.blocks, response_type="ephemeral")
            elif parsed.verb == "show":
                record = owned_record(services, team, user, parsed.argument)
                for message in recommendation_messages(
                    AssessmentResult.from_json(record.result),
                    assessment_id=record.assessment_id,
                    revisit_on=record.revisit_on,
                ):
                    respond(text=message.text, blocks=message.blocks, response_type="ephemeral")
            elif parsed.verb == "cancel":
                _cancel(client, services, team, user, parsed.argument, command)
            elif parsed.verb == "revisit":
                record = owned_record(services, team, user, parsed.argument)
                with log_context(assessment_id=record.assessment_id):
                    start_assessment(
                        client, services, team=team, channel=channel, user=user, previous=record
                    )
            elif parsed.verb == "forget-me":
                message = forget_confirmation(user)
                respond(text=message.text, blocks=message.blocks, response_type="ephemeral")


def _cancel(
    client: WebClient,
    services: Services,
    team: str,
    user: str,
    assessment_id: str,
    command: dict[str, Any],
) -> None:
    open_ones = services.store.list_interviews(team, user)
    if assessment_id:
        chosen = [s for s in open_ones if s.assessment_id == assessment_id]
        if not chosen:
            raise UnknownAssessment(assessment_id)
    elif len(open_ones) == 1:
        chosen = open_ones
    elif not open_ones:
        raise NothingToCancel()
    else:
        raise NotInThread("cancel")
    state = chosen[0]
    where = ThreadKey(team, state.channel, state.thread_ts)
    outcome = services.store.apply(
        where,
        command="cancel",
        delivery_id=f"cmd:{command.get('trigger_id', '')}",
    )
    if outcome.state is not None:
        render(client, services, where, outcome.state, outcome.effects)
