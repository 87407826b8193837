"""Buttons: answers, the gaps checkboxes, controls, export, re-assess, forget-me."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import engine
from bot.interview import render, start_assessment
from bot.listeners._common import owned_record, team_of
from bot.log import get_logger, log_context
from bot.views import text as t
from bot.views.action_ids import (
    ANSWER_ACTION,
    CONTROL_ACTION,
    EXPORT_ACTION,
    FORGET_CONFIRM_ACTION,
    GAPS_ACTION,
    GAPS_DONE_ACTION,
    REASSESS_ACTION,
)
from bot.views.questions import read_button_value
from conversations.storage.keys import ThreadKey
from conversations.storage.revisits import RevisitQueue

if TYPE_CHECKING:
    from slack_bolt import App
    from slack_sdk import WebClient

    from bot.services import Services

log = get_logger(__name__)
Ack = Callable[..., None]


def message_thread(body: dict[str, Any]) -> tuple[str, str, str]:
    """(channel, thread_ts, message_ts) of the message a button sits on."""
    message = body.get("message") or {}
    container = body.get("container") or {}
    channel = (body.get("channel") or {}).get("id") or container.get("channel_id")
    message_ts = message.get("ts") or container.get("message_ts")
    thread_ts = message.get("thread_ts") or container.get("thread_ts") or message_ts
    return str(channel), str(thread_ts), str(message_ts)


def selected_gaps(body: dict[str, Any], ask_id: str) -> list[str]:
    """The ticked checkboxes of the gaps question, from the message's state."""
    values = ((body.get("state") or {}).get("values") or {}).get(f"ragft_q:{ask_id}") or {}
    picked = (values.get(GAPS_ACTION) or {}).get("selected_options") or []
    return [str(option["value"]) for option in picked]


def delivery_id(body: dict[str, Any]) -> str:
    """Stable for one press: Slack sends the same action_ts again only for the same press."""
    action = (body.get("actions") or [{}])[0]
    return f"act:{action.get('action_id')}:{action.get('action_ts') or body.get('trigger_id')}"


def register(app: App, services: Services) -> None:
    """Listen to every ragft button."""

    def answer(body: dict[str, Any], client: WebClient, **inp: Any) -> None:
        team, user = team_of(body), body["user"]["id"]
        channel, thread_ts, message_ts = message_thread(body)
        where = ThreadKey(team, channel, thread_ts)
        state = services.store.get_interview(where)
        if state is None or state.status != "open":
            return
        with log_context(
            team=team, channel=channel, thread=thread_ts, assessment_id=state.assessment_id
        ):
            if user != state.owner:
                client.chat_postEphemeral(
                    channel=channel,
                    user=user,
                    thread_ts=thread_ts,
                    text=t.STRANGER_NOTE.format(owner=state.owner),
                )
                return
            outcome = services.store.apply(where, delivery_id=delivery_id(body), **inp)
            if not outcome.applied or outcome.state is None:
                log.info("action_not_applied", reason=outcome.reason)
                return
            known = {str(inp["ask_id"]): message_ts} if inp.get("ask_id") else {}
            render(client, services, where, outcome.state, outcome.effects, known_ts=known)

    @app.action(re.compile(f"^{ANSWER_ACTION}_"))
    def on_answer(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient
    ) -> None:
        ack()
        ask_id, value = read_button_value(action["value"])
        answer(body, client, ask_id=ask_id, value=value)

    @app.action(GAPS_ACTION)
    def on_gaps_tick(ack: Ack) -> None:
        ack()  # the ticks are read from the message state when Done is pressed

    @app.action(GAPS_DONE_ACTION)
    def on_gaps_done(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient
    ) -> None:
        ack()
        ask_id, _ = read_button_value(action["value"])
        answer(body, client, ask_id=ask_id, value=selected_gaps(body, ask_id))

    @app.action(re.compile(f"^{CONTROL_ACTION}_"))
    def on_control(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient
    ) -> None:
        ack()
        ask_id, command = read_button_value(action["value"])
        answer(body, client, ask_id=ask_id, command=command)

    @app.action(EXPORT_ACTION)
    def on_export(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient
    ) -> None:
        ack()
        team = team_of(body)
        channel, thread_ts, _ = message_thread(body)
        record = services.store.get_assessment(team, action["value"])
        if record is None:
            raise_unknown(action["value"])
            return
        with log_context(
            team=team, channel=channel, thread=thread_ts, assessment_id=record.assessment_id
        ):
            client.files_upload_v2(
                channel=channel,
                thread_ts=thread_ts,
                content=engine.to_markdown(engine.AssessmentResult.from_json(record.result)),
                filename=f"ragft-{record.assessment_id}.md",
                title=t.EXPORT_TITLE.format(name=record.name),
                initial_comment=t.EXPORT_COMMENT,
            )
            log.info("decision_record_exported")

    @app.action(REASSESS_ACTION)
    def on_reassess(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient
    ) -> None:
        ack()
        team, user = team_of(body), body["user"]["id"]
        channel, _, _ = message_thread(body)
        record = owned_record(services, team, user, action["value"])
        with log_context(team=team, channel=channel, assessment_id=record.assessment_id):
            start_assessment(
                client, services, team=team, channel=channel, user=user, previous=record
            )

    @app.action(FORGET_CONFIRM_ACTION)
    def on_forget(ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Any) -> None:
        ack()
        team, user = team_of(body), body["user"]["id"]
        if action.get("value") != user:
            respond(text=t.FORGET_NOT_YOURS, response_type="ephemeral", replace_original=False)
            return
        with log_context(team=team):
            ids = [r.assessment_id for r in services.store.list_assessments(team, user)]
            queue = RevisitQueue(services.redis)
            for assessment_id in ids:
                queue.cancel(team, assessment_id)
            services.store.forget_user(team, user)
            log.info("user_forgotten", assessments=len(ids))
            respond(text=t.FORGET_DONE.format(count=len(ids)), replace_original=True)


def raise_unknown(assessment_id: str) -> None:
    """Raise the error the person sees when an assessment is gone."""
    from bot.errors import UnknownAssessment

    raise UnknownAssessment(assessment_id)
