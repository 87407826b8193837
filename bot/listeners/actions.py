"""Buttons: answers, the gaps checkboxes, controls, export, all assumptions, re-assess, share,
forget-me.

`bot.app` has acknowledged every press before these run.
"""

from __future__ import annotations

import re
from functools import partial
from typing import TYPE_CHECKING, Any

from bot import payload
from bot.access import owned_record, refused
from bot.inbox import defer
from bot.interview import post, post_charts, question_ts, render, start_assessment
from bot.listeners._common import first_start
from bot.log import get_logger, log_context
from bot.views import shared_messages
from bot.views import text as t
from bot.views.action_ids import (
    ANSWER_ACTION,
    ASSUMPTIONS_ACTION,
    CONTROL_ACTION,
    EXPORT_ACTION,
    FORGET_CONFIRM_ACTION,
    GAPS_ACTION,
    GAPS_DONE_ACTION,
    REASSESS_ACTION,
    SHARE_ACTION,
    START_ACTION,
)
from bot.views.assumptions import all_assumptions_messages
from bot.views.decision import decision_record
from bot.views.questions import (
    read_button_value,
)
from conversations.storage.decisions import DecisionStore
from conversations.storage.keys import ThreadKey

if TYPE_CHECKING:
    from slack_bolt import App, Respond
    from slack_sdk import WebClient

    from bot.services import Services
    from conversations.state import InterviewState

log = get_logger(__name__)


def selected_gaps(body: dict[str, Any], ask_id: str) -> list[str]:
    """The ticked checkboxes of the gaps question, from the message's state."""
    values = ((body.get("state") or {}).get("values") or {}).get(f"ragft_q:{ask_id}") or {}
    picked = (values.get(GAPS_ACTION) or {}).get("selected_options") or []
    return [str(option["value"]) for option in picked]


def delivery_id(body: dict[str, Any]) -> str:
    """Stable for one press: Slack sends the same action_ts again only for the same press."""
    action = payload.action(body)
    return f"act:{action.get('action_id')}:{action.get('action_ts') or body.get('trigger_id')}"


def answer(services: Services, body: dict[str, Any], client: WebClient, **inp: Any) -> None:
    """Apply a press on a question message to its interview, if the presser owns it."""
    team, user = payload.team_id(body), payload.user_id(body)
    channel, thread_ts = payload.channel_id(body), payload.thread_ts(body)
    where = ThreadKey(team, channel, thread_ts)
    press = delivery_id(body)
    view = services.store.view(where, press)
    state = view.state
    if state is None or (state.status != "open" and not view.owed):
        return  # an interview that is over, unless this press's effects are still owed
    with log_context(
        team=team, channel=channel, thread=thread_ts, assessment_id=state.assessment_id
    ):
        if refused(
            client,
            owner=state.owner,
            user=user,
            channel=channel,
            note=t.STRANGER_NOTE,
            thread_ts=thread_ts,
        ):
            return
        outcome, view = services.store.apply_seen(where, press, view, lambda _: inp)
        if not outcome.applied or outcome.state is None:
            log.info("action_not_applied", reason=outcome.reason)
            if outcome.reason == "in_progress":
                defer(outcome.retry_after)  # from the inbox: look again once it is delivered
            if outcome.reason == "stale" and outcome.state is not None:
                point_at_current(client, services, where, outcome.state, user)
            return
        known = {str(inp["ask_id"]): payload.message_ts(body)} if inp.get("ask_id") else {}
        render(
            client,
            services,
            where,
            outcome.state,
            outcome.effects,
            known_ts=known,
            recorded=view.asks,
            delivery_id=press,
            redelivery=outcome.redelivery,
        )


def point_at_current(
    client: WebClient, services: Services, where: ThreadKey, state: InterviewState, user: str
) -> None:
    """A press on a question that is no longer the open one: say so, privately, and point at
    the open question (a link to its message, or that it is on its way)."""
    current = state.current.ask_id if state.current else None
    ts = question_ts(services, where, current) if current else None
    if ts is not None:
        link = client.chat_getPermalink(channel=where.channel, message_ts=ts)["permalink"]
        text = t.STALE_PRESS.format(link=link)
    else:
        text = t.STALE_PRESS_PENDING
    client.chat_postEphemeral(
        channel=where.channel, user=user, text=text, thread_ts=where.thread_ts
    )


def on_answer(
    services: Services, body: dict[str, Any], action: dict[str, Any], client: WebClient
) -> None:
    """A choice button of a question."""
    ask_id, value = read_button_value(action["value"])
    answer(services, body, client, ask_id=ask_id, value=value)


def on_gaps_tick() -> None:
    """Nothing to do: the ticks are read from the message state when Done is pressed."""


def on_gaps_done(
    services: Services, body: dict[str, Any], action: dict[str, Any], client: WebClient
) -> None:
    """Done under the gaps checkboxes: the ticked ones are the answer."""
    ask_id, _ = read_button_value(action["value"])
    answer(services, body, client, ask_id=ask_id, value=selected_gaps(body, ask_id))


def on_control(
    services: Services, body: dict[str, Any], action: dict[str, Any], client: WebClient
) -> None:
    """Back, skip, why, cancel and the like under a question."""
    ask_id, command = read_button_value(action["value"])
    answer(services, body, client, ask_id=ask_id, command=command)


def on_export(
    services: Services, body: dict[str, Any], action: dict[str, Any], client: WebClient
) -> None:
    """Upload the decision record of the recommendation into its thread."""
    team, user = payload.team_id(body), payload.user_id(body)
    channel, thread_ts = payload.channel_id(body), payload.thread_ts(body)
    record = owned_record(services.store, team, user, action["value"])
    with log_context(
        team=team, channel=channel, thread=thread_ts, assessment_id=record.assessment_id
    ):
        client.files_upload_v2(
            channel=channel,
            thread_ts=thread_ts,
            content=decision_record(record, DecisionStore(services.store.client).get(record)),
            filename=f"ragft-{record.assessment_id}.md",
            title=t.EXPORT_TITLE.format(name=record.name),
            initial_comment=t.EXPORT_COMMENT,
        )
        log.info("decision_record_exported")


def on_assumptions(
    services: Services, body: dict[str, Any], action: dict[str, Any], respond: Respond
) -> None:
    """*Show all assumptions* under a recommendation: every figure behind its costs, to the
    person who pressed it (the recommendation itself shows those that weigh most)."""
    team, user = payload.team_id(body), payload.user_id(body)
    record = owned_record(services.store, team, user, action["value"])
    with log_context(team=team, assessment_id=record.assessment_id):
        result = record.result
        for message in all_assumptions_messages(result):
            respond(
                text=message.text,
                blocks=message.blocks,
                response_type="ephemeral",
                replace_original=False,
            )
        log.info("assumptions_shown")


def on_reassess(
    services: Services, body: dict[str, Any], action: dict[str, Any], client: WebClient
) -> None:
    """Re-assess under a recommendation: a new interview thread in the same channel."""
    team, user, channel = payload.team_id(body), payload.user_id(body), payload.channel_id(body)
    record = owned_record(services.store, team, user, action["value"])
    with log_context(team=team, channel=channel, assessment_id=record.assessment_id):
        if not first_start(services, team, _press_trigger(body)):
            return  # a double press of the same button
        start_assessment(client, services, team=team, channel=channel, user=user, previous=record)


def on_start(
    services: Services, body: dict[str, Any], action: dict[str, Any], client: WebClient
) -> None:
    """*Start an assessment here* under the DM help: a new interview in that conversation."""
    team, user, channel = payload.team_id(body), payload.user_id(body), payload.channel_id(body)
    with log_context(team=team, channel=channel):
        if not first_start(services, team, _press_trigger(body)):
            return  # a double press of the same button
        start_assessment(client, services, team=team, channel=channel, user=user)


def _press_trigger(body: dict[str, Any]) -> str:
    """What a start button's presses share: the button on its message, by this person. Two
    presses within the claim's life (ten minutes) start one interview."""
    button = payload.action(body).get("action_id")
    where = f"{payload.channel_id(body)}:{payload.message_ts(body)}"
    return f"press:{button}:{where}:{payload.user_id(body)}"


def on_share(
    services: Services,
    body: dict[str, Any],
    action: dict[str, Any],
    client: WebClient,
    respond: Respond,
) -> None:
    """*Share in channel* under `/ragft show`: the owner posts the decision, its costs and
    (in the new message's thread) its cost chart, for everyone in the channel."""
    team, user, channel = payload.team_id(body), payload.user_id(body), payload.channel_id(body)
    record = owned_record(services.store, team, user, action["value"])
    result = record.result
    with log_context(team=team, channel=channel, assessment_id=record.assessment_id):
        messages = shared_messages(
            result,
            user=user,
            decided_on=record.decided_on,
            revisit_on=record.revisit_on,
            assessment_id=record.assessment_id,
        )
        first = post(client, channel, messages[0], None)
        for message in messages[1:]:
            post(client, channel, message, first)
        post_charts(client, services, ThreadKey(team, channel, first), result)
        log.info("recommendation_shared", messages=len(messages))
        respond(
            text=t.SHARED_DONE.format(channel=channel),
            response_type="ephemeral",
            replace_original=False,
        )


def on_forget(
    services: Services, body: dict[str, Any], action: dict[str, Any], respond: Respond
) -> None:
    """The confirmed forget-me: every assessment, interview and revisit of the person."""
    team, user = payload.team_id(body), payload.user_id(body)
    if action.get("value") != user:
        respond(text=t.FORGET_NOT_YOURS, response_type="ephemeral", replace_original=False)
        return
    with log_context(team=team):
        ids = [r.assessment_id for r in services.store.list_assessments(team, user)]
        for assessment_id in ids:
            services.revisits.cancel(team, assessment_id)
        services.store.forget_user(team, user)
        log.info("user_forgotten", assessments=len(ids))
        # Deleted keys stay in the append-only file until it is rewritten.
        if not services.store.rewrite_log():
            log.warning("append_only_file_not_rewritten")
        respond(text=t.FORGET_DONE.format(count=len(ids)), replace_original=True)


def register(app: App, services: Services) -> None:
    """Listen to every ragft button but the nudge's."""
    app.action(re.compile(f"^{ANSWER_ACTION}_"))(partial(on_answer, services))
    app.action(GAPS_ACTION)(on_gaps_tick)
    app.action(GAPS_DONE_ACTION)(partial(on_gaps_done, services))
    app.action(re.compile(f"^{CONTROL_ACTION}_"))(partial(on_control, services))
    app.action(EXPORT_ACTION)(partial(on_export, services))
    app.action(ASSUMPTIONS_ACTION)(partial(on_assumptions, services))
    app.action(REASSESS_ACTION)(partial(on_reassess, services))
    app.action(SHARE_ACTION)(partial(on_share, services))
    app.action(START_ACTION)(partial(on_start, services))
    app.action(FORGET_CONFIRM_ACTION)(partial(on_forget, services))
