"""Turns the interview's effects into Slack messages, and starts interviews.

The store has already saved each transition when these run, with its effects beside it,
so a failed post loses no answer: the step stays listed for the sweeper (`bot.owed`), which
delivers again later; the store then hands back the effects still owed
(`StepOutcome.redelivery`) and `render` delivers them, skipping what already reached
Slack: a question already recorded, or found in the thread by its metadata.
"""

from __future__ import annotations

import contextlib
import socket
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING
from urllib.error import URLError

from slack_sdk.errors import SlackApiError

from bot.completion import post_recommendation, working
from bot.log import get_logger, log_context
from bot.posting import find_in_thread, post
from bot.services import Services
from bot.views import (
    QuestionView,
    SlackMessage,
    answered_message,
    plain_reply,
    question_message,
)
from bot.views import text as t
from bot.views.questions import confirm_message, question_view
from bot.workflow_steps import step_completed, step_failed
from conversations.errors import StoreUnavailable
from conversations.parsing import escape, read_name
from conversations.questions import question
from conversations.state import (
    Answered,
    Ask,
    AssessmentRecord,
    Cancelled,
    Completed,
    Confirm,
    Effect,
    InterviewState,
    Reply,
)
from conversations.storage.keys import ThreadKey
from conversations.storage.thread_views import StepOutcome

if TYPE_CHECKING:
    from slack_sdk import WebClient

log = get_logger(__name__)


def question_ts(services: Services, where: ThreadKey, ask_id: str) -> str | None:
    """The ts of the message that asked `ask_id`, or None if it was never posted."""
    return services.store.question_message_ts(where, ask_id)


def render(
    client: WebClient,
    services: Services,
    where: ThreadKey,
    state: InterviewState,
    effects: Iterable[Effect],
    *,
    known_ts: Mapping[str, str] | None = None,
    recorded: Mapping[str, str] | None = None,
    delivery_id: str | None = None,
    redelivery: bool = False,
) -> None:
    """Post, update or reply for each effect, in order; then tell the store they were
    delivered, with the question messages posted (one trip). With `redelivery`, what
    already reached Slack is not posted again.

    `recorded`: every question message the thread had recorded when it was read before
    this transition (`ThreadView.asks`); without it the store is asked for each.
    """
    posted: dict[str, str] = {}
    try:
        _render(
            client,
            services,
            where,
            state,
            effects,
            {**(recorded or {}), **(known_ts or {})},
            None if redelivery else recorded,
            posted,
            redelivery,
        )
    except BaseException as exc:
        # A call whose answer never came may still be carried out by Slack: the next
        # attempt looks for it in the thread only after Slack has had as long again.
        owed = delivery_id is not None  # a start's effects are not kept for another attempt
        hold = float(client.timeout) if owed and unanswered(exc) else 0.0
        with contextlib.suppress(Exception):  # else the next attempt may deliver at once
            services.store.release(where, delivery_id, posted, hold=hold)
        raise
    try:
        services.store.delivered(where, delivery_id, posted)
    except StoreUnavailable:
        # Everything reached Slack: telling the person "nothing was changed" would be
        # wrong. An unrecorded question is still answered by a reply (see reply_target).
        log.warning("delivery_not_recorded", questions=len(posted))


def unanswered(error: BaseException) -> bool:
    """Whether a Web API call failed by timing out: Slack may have done it all the same."""
    if isinstance(error, URLError):
        error = error.reason if isinstance(error.reason, BaseException) else error
    return isinstance(error, TimeoutError | socket.timeout)


def _recorded(
    services: Services, where: ThreadKey, ask_id: str, recorded: Mapping[str, str] | None
) -> bool:
    """Whether the question's message is recorded; with Redis away, post it (the answer is
    saved, and the person needs the question more than the record)."""
    if recorded is not None:
        return ask_id in recorded
    try:
        return question_ts(services, where, ask_id) is not None
    except StoreUnavailable:
        return False


def _render(
    client: WebClient,
    services: Services,
    where: ThreadKey,
    state: InterviewState,
    effects: Iterable[Effect],
    known_ts: Mapping[str, str],
    recorded: Mapping[str, str] | None,
    posted: dict[str, str],
    redelivery: bool,
) -> None:
    for effect in effects:
        if isinstance(effect, Ask):
            if _recorded(services, where, effect.ask_id, recorded):
                continue  # posted and recorded by an earlier attempt
            found = (
                find_in_thread(client, where, "ragft_question", ask_id=effect.ask_id)
                if redelivery
                else None
            )
            if found is None and effect.intro_text:
                post(client, where.channel, plain_reply(effect.intro_text), where.thread_ts)
            view = question_view(effect, state.assessment_id)
            posted[effect.ask_id] = found or post(
                client, where.channel, question_message(view), where.thread_ts
            )
            log.info("question_asked", question_id=effect.question_id, workload=effect.workload)
        elif isinstance(effect, Answered):
            _redraw(client, services, where, state, effect, {**known_ts, **posted})
        elif isinstance(effect, Reply):
            post(client, where.channel, plain_reply(effect.text), where.thread_ts)
        elif isinstance(effect, Confirm):
            message = confirm_message(effect, state.assessment_id)
            post(client, where.channel, message, where.thread_ts)
        elif isinstance(effect, Completed):
            record = AssessmentRecord(**effect.record)
            found = (
                find_in_thread(
                    client, where, "ragft_recommendation", assessment_id=record.assessment_id
                )
                if redelivery
                else None
            )
            if found:
                log.info("recommendation_already_posted")
                step_completed(client, services, where, record, str(found))
                continue
            working(client, where)
            sent = post_recommendation(client, services, where, record)
            step_completed(client, services, where, record, sent[0] if sent else None)
        elif isinstance(effect, Cancelled):
            post(client, where.channel, plain_reply(t.CANCELLED), where.thread_ts)
            log.info("interview_cancelled")
            step_failed(services, where, t.STEP_CANCELLED)


def _redraw(
    client: WebClient,
    services: Services,
    where: ThreadKey,
    state: InterviewState,
    effect: Answered,
    known_ts: Mapping[str, str],
) -> None:
    ts = known_ts.get(effect.ask_id) or question_ts(services, where, effect.ask_id)
    if ts is None:  # the question's post had failed; the answer is saved all the same
        log.warning("answered_question_has_no_message", ask_id=effect.ask_id)
        return
    q = question(effect.question_id)
    workloads = state.answers.workloads
    workload_name = (
        workloads[effect.workload].get("workload_name")
        if effect.workload < len(workloads)
        else None
    )
    view = QuestionView(
        ask_id=effect.ask_id,
        assessment_id=state.assessment_id,
        question_id=effect.question_id,
        workload=effect.workload,
        prompt=q.prompt,
        kind=q.kind,
        workload_name=workload_name,
    )
    message = answered_message(
        view,
        user=state.owner,
        answer=effect.answer_label,
        kept_default=effect.kept_default,
        kept_previous=effect.kept_previous,
    )
    client.chat_update(
        channel=where.channel,
        ts=ts,
        text=message.text,
        blocks=message.blocks,
        metadata=message.metadata,
    )


def start_assessment(
    client: WebClient,
    services: Services,
    *,
    team: str,
    channel: str,
    user: str,
    name: str | None = None,
    previous: AssessmentRecord | None = None,
    store_checked: bool = False,
) -> ThreadKey:
    """Post the root message in the channel and ask the first question in its thread."""
    where, outcome = open_interview(
        client,
        services,
        team=team,
        channel=channel,
        user=user,
        name=name,
        previous=previous,
        store_checked=store_checked,
    )
    assert outcome.state is not None  # start always yields a state
    with log_context(
        team=team,
        channel=channel,
        thread=where.thread_ts,
        assessment_id=outcome.state.assessment_id,
    ):
        # a new interview: no question of its thread is recorded yet
        render(client, services, where, outcome.state, outcome.effects, recorded={})
    return where


def open_interview(
    client: WebClient,
    services: Services,
    *,
    team: str,
    channel: str,
    user: str,
    name: str | None = None,
    previous: AssessmentRecord | None = None,
    store_checked: bool = False,
    delivery_id: str | None = None,
) -> tuple[ThreadKey, StepOutcome]:
    """Post the root message and store the interview in its thread; its first question is
    the outcome's effect, not yet posted (owed under `delivery_id` when one is given).

    The store is asked first (unless the caller has just reached it: `store_checked`), and
    the root message is deleted again if the interview cannot be stored: no root message
    stands for an interview that never started.
    """
    given = read_name(name) or (previous.name if previous else None)
    shown = escape(given) if given else t.ROOT_UNNAMED
    root = SlackMessage(text=t.ROOT_STARTED.format(user=user, name=shown), blocks=[])
    if not store_checked:  # Redis just answered the caller: no need to ask again
        services.store.ping()
    response = client.chat_postMessage(channel=channel, text=root.text)
    where = ThreadKey(team, channel, str(response["ts"]))
    try:
        outcome = services.store.start(
            where, user, name=name or None, previous=previous, delivery_id=delivery_id
        )
    except Exception:
        _withdraw(client, where)
        raise
    assert outcome.state is not None  # start always yields a state
    log.info(
        "interview_started",
        team=team,
        channel=channel,
        thread=where.thread_ts,
        assessment_id=outcome.state.assessment_id,
        reassessment=previous is not None,
    )
    return where, outcome


def _withdraw(client: WebClient, where: ThreadKey) -> None:
    """Delete a root message whose interview could not be stored (best effort)."""
    try:
        client.chat_delete(channel=where.channel, ts=where.thread_ts)
    except SlackApiError as exc:
        log.warning("root_message_not_withdrawn", error=exc.response.get("error"))
