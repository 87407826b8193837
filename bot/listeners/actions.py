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
from bot.completion import post_charts
from bot.interview import question_ts
from bot.log import get_logger, log_context
from bot.owed import (
    NEXT_KEY,
    PendingStart,
    Stale,
    Step,
    Stranger,
    claim_start,
    decided,
    deliver,
    run_start,
)
from bot.posting import post
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
    from slack_bolt import BoltContext, Respond
    from slack_sdk import WebClient

    from bot.listeners.lazily import Lazily
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


def take_press(services: Services, body: dict[str, Any], context: BoltContext, **inp: Any) -> None:
    """Before the ack: a press on a question message, stepped and committed with the effects
    it owes (`bot.owed`), if the presser owns the interview."""
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
        if state.owner != user:
            context[NEXT_KEY] = Stranger(state.owner)
            return
        outcome, view = services.store.apply_seen(where, press, view, lambda _: inp)
        if not outcome.applied or outcome.state is None:
            # "in_progress": another attempt delivers it, or the sweeper will
            log.info("action_not_applied", reason=outcome.reason)
            if outcome.reason == "stale" and outcome.state is not None:
                context[NEXT_KEY] = Stale(outcome.state)
            return
        known = {str(inp["ask_id"]): payload.message_ts(body)} if inp.get("ask_id") else {}
        step = Step(
            where,
            press,
            outcome.state,
            outcome.effects,
            recorded=view.asks,
            known_ts=known,
            redelivery=outcome.redelivery,
        )
        context[NEXT_KEY] = step


def on_press(
    services: Services, body: dict[str, Any], client: WebClient, context: BoltContext
) -> None:
    """After the ack: deliver what `take_press` committed, or tell the presser why not."""
    what = decided(context)
    where = ThreadKey(payload.team_id(body), payload.channel_id(body), payload.thread_ts(body))
    user = payload.user_id(body)
    if isinstance(what, Step):
        with log_context(
            team=where.team,
            channel=where.channel,
            thread=where.thread_ts,
            assessment_id=what.state.assessment_id,
        ):
            deliver(client, services, what)
    elif isinstance(what, Stranger):
        refused(
            client,
            owner=what.owner,
            user=user,
            channel=where.channel,
            note=t.STRANGER_NOTE,
            thread_ts=where.thread_ts,
        )
    elif isinstance(what, Stale):
        point_at_current(client, services, where, what.state, user)


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


def take_answer(services: Services, body: dict[str, Any], context: BoltContext) -> None:
    """A choice button of a question."""
    ask_id, value = read_button_value(payload.action(body)["value"])
    take_press(services, body, context, ask_id=ask_id, value=value)


def on_gaps_tick() -> None:
    """Nothing to do: the ticks are read from the message state when Done is pressed."""


def take_gaps_done(services: Services, body: dict[str, Any], context: BoltContext) -> None:
    """Done under the gaps checkboxes: the ticked ones are the answer."""
    ask_id, _ = read_button_value(payload.action(body)["value"])
    take_press(services, body, context, ask_id=ask_id, value=selected_gaps(body, ask_id))


def take_control(services: Services, body: dict[str, Any], context: BoltContext) -> None:
    """Back, skip, why, cancel and the like under a question."""
    ask_id, command = read_button_value(payload.action(body)["value"])
    take_press(services, body, context, ask_id=ask_id, command=command)


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


def take_reassess(services: Services, body: dict[str, Any], context: BoltContext) -> None:
    """Re-assess under a recommendation: claimed before the ack (a double press of the same
    button starts one), then a new interview thread in the same channel."""
    team, user, channel = payload.team_id(body), payload.user_id(body), payload.channel_id(body)
    record = owned_record(services.store, team, user, payload.action(body)["value"])
    start = PendingStart(team, _press_trigger(body), channel, user, previous=record.assessment_id)
    if claim_start(services, start):
        context[NEXT_KEY] = start


def take_start(services: Services, body: dict[str, Any], context: BoltContext) -> None:
    """*Start an assessment here* under the DM help: claimed before the ack, then a new
    interview in that conversation."""
    team, user, channel = payload.team_id(body), payload.user_id(body), payload.channel_id(body)
    start = PendingStart(team, _press_trigger(body), channel, user)
    if claim_start(services, start):
        context[NEXT_KEY] = start


def on_claimed_start(services: Services, client: WebClient, context: BoltContext) -> None:
    """After the ack: run the start the ack part claimed (nothing for a replay)."""
    start = decided(context)
    if isinstance(start, PendingStart):
        with log_context(team=start.team, channel=start.channel, assessment_id=start.previous):
            run_start(client, services, start)


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


def register(app: Lazily, services: Services) -> None:
    """Listen to every ragft button but the nudge's."""
    press = [partial(on_press, services)]
    app.action(re.compile(f"^{ANSWER_ACTION}_"))(ack=partial(take_answer, services), lazy=press)
    app.action(GAPS_ACTION)(on_gaps_tick)
    app.action(GAPS_DONE_ACTION)(ack=partial(take_gaps_done, services), lazy=press)
    app.action(re.compile(f"^{CONTROL_ACTION}_"))(ack=partial(take_control, services), lazy=press)
    app.action(EXPORT_ACTION)(partial(on_export, services))
    app.action(ASSUMPTIONS_ACTION)(partial(on_assumptions, services))
    started = [partial(on_claimed_start, services)]
    app.action(REASSESS_ACTION)(ack=partial(take_reassess, services), lazy=started)
    app.action(SHARE_ACTION)(partial(on_share, services))
    app.action(START_ACTION)(ack=partial(take_start, services), lazy=started)
    app.action(FORGET_CONFIRM_ACTION)(partial(on_forget, services))
