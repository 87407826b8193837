"""A decision's lifecycle: Accept and Retire under a recommendation, `/ragft deciders`, and
Take over (a decision whose owner's account is deactivated).

The owner, or a decider they named, accepts the recommendation's version (who and when are
kept); an accepted re-assessment supersedes the version accepted before it, and each thread
gets a link to the other. Retiring cancels the revisits. See conversations/storage/decisions.py.
"""

from __future__ import annotations

import re
from datetime import UTC
from functools import partial
from typing import TYPE_CHECKING, Any

from slack_sdk.errors import SlackApiError

from bot import payload
from bot.access import is_deactivated
from bot.canvases import refresh
from bot.errors import BotError, UnknownAssessment
from bot.log import get_logger, log_context
from bot.views import text as t
from bot.views.action_ids import ACCEPT_ACTION, RETIRE_ACTION, TAKE_OVER_ACTION
from conversations.storage.decisions import DecisionStore, Lifecycle

if TYPE_CHECKING:
    from slack_sdk import WebClient

    from bot.listeners.lazily import Lazily
    from bot.services import Services
    from conversations.state import AssessmentRecord

log = get_logger(__name__)
MENTION = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>")


def _tell(client: WebClient, body: dict[str, Any], text: str) -> None:
    """A note to the presser alone, where they pressed."""
    channel = payload.channel_id(body)
    if channel:
        client.chat_postEphemeral(
            channel=channel,
            user=payload.user_id(body),
            text=text,
            thread_ts=payload.thread_ts(body) or None,
        )


def _link(client: WebClient, channel: str, ts: str) -> str:
    if not (channel and ts):
        return ""
    return str(client.chat_getPermalink(channel=channel, message_ts=ts)["permalink"])


def _decidable(
    services: Services, body: dict[str, Any], action: dict[str, Any], client: WebClient
) -> tuple[AssessmentRecord, Lifecycle, DecisionStore] | None:
    """The record and its lifecycle when the presser may decide on it, from this message;
    else a note to them and None."""
    team, user = payload.team_id(body), payload.user_id(body)
    record = services.store.get_assessment(team, str(action.get("value") or ""))
    if record is None:
        _tell(client, body, str(UnknownAssessment(str(action.get("value") or "?"))))
        return None
    decisions = DecisionStore(services.store.client)
    lifecycle = decisions.get(record)
    if not lifecycle.may_decide(record.owner, user):
        _tell(client, body, t.NOT_A_DECIDER.format(owner=record.owner))
        return None
    pressed_in = payload.thread_ts(body)
    if pressed_in and pressed_in != record.thread_ts:  # an earlier version's recommendation
        link = _link(client, record.channel, record.thread_ts)
        _tell(client, body, t.OLDER_VERSION.format(link=link))
        return None
    return record, lifecycle, decisions


def _notify_old_thread(client: WebClient, *, channel: str, thread_ts: str, text: str) -> None:
    """Tell the superseded decision's thread; an archived channel or a bot removed from it
    must not keep the new decision's own message from being posted."""
    try:
        client.chat_postMessage(channel=channel, thread_ts=thread_ts, text=text)
    except SlackApiError as exc:
        log.warning("superseded_notice_failed", error=str(exc.response.get("error")))


def on_accept(
    services: Services,
    body: dict[str, Any],
    action: dict[str, Any],
    client: WebClient,
) -> None:
    """Accept the recommendation's version; link it and the version it supersedes."""
    found = _decidable(services, body, action, client)
    if found is None:
        return
    record, before, decisions = found
    if before.status() == "retired":
        _tell(client, body, t.RETIRED_NOT_ACCEPTED)
        return
    user, now = payload.user_id(body), services.clock().astimezone(UTC)
    with log_context(team=record.team, assessment_id=record.assessment_id):
        lifecycle, fresh = decisions.accept(record, user, now.isoformat())
        mark = lifecycle.accepted[lifecycle.current]
        told = f"accepted:{lifecycle.current}"
        # A press again after Slack refused the announcement announces it now.
        if not fresh and (mark.by != user or decisions.was_announced(record, told)):
            _tell(client, body, t.ALREADY_ACCEPTED.format(user=mark.by, date=mark.at[:10]))
            return
        lines = [t.ACCEPTED.format(user=user, date=mark.at[:10])]
        earlier = lifecycle.supersedes()
        if earlier is not None:
            old = lifecycle.accepted[earlier]
            old_link = _link(client, old.channel, old.thread_ts)
            lines.append(
                t.ACCEPTED_SUPERSEDES.format(version=earlier, date=old.at[:10], link=old_link)
            )
            if old.channel and old.thread_ts:
                _notify_old_thread(
                    client,
                    channel=old.channel,
                    thread_ts=old.thread_ts,
                    text=t.SUPERSEDED_BY.format(
                        user=user,
                        version=lifecycle.current,
                        date=mark.at[:10],
                        link=_link(client, record.channel, record.thread_ts),
                    ),
                )
        client.chat_postMessage(
            channel=record.channel, thread_ts=record.thread_ts, text="\n".join(lines)
        )
        decisions.announced(record, told)
        log.info("decision_accepted", version=lifecycle.current, supersedes=earlier)
        refresh(client, services, record)  # the canvas, if published, shows the status


def on_retire(
    services: Services,
    body: dict[str, Any],
    action: dict[str, Any],
    client: WebClient,
) -> None:
    """Retire the decision: the workload is gone, so its revisits are cancelled."""
    found = _decidable(services, body, action, client)
    if found is None:
        return
    record, before, decisions = found
    user = payload.user_id(body)
    again = before.retired is not None and before.retired.by == user
    if before.status() == "retired" and not (
        again and not decisions.was_announced(record, "retired")
    ):
        _tell(client, body, t.ALREADY_RETIRED)
        return
    now = services.clock().astimezone(UTC)
    with log_context(team=record.team, assessment_id=record.assessment_id):
        services.revisits.cancel(record.team, record.assessment_id)
        decisions.retire(record, user, now.isoformat())
        client.chat_postMessage(
            channel=record.channel,
            thread_ts=record.thread_ts,
            text=t.RETIRED.format(user=user, date=now.date().isoformat()),
        )
        decisions.announced(record, "retired")
        log.info("decision_retired")
        refresh(client, services, record)


def set_deciders(services: Services, team: str, user: str, argument: str) -> str:
    """`/ragft deciders ID @person ...`: the owner names who else may accept or retire."""
    words = argument.split()
    if not words:
        raise BotError(t.DECIDERS_USAGE)
    assessment_id = words[0].strip("`'\"<>")
    record = services.store.get_assessment(team, assessment_id)
    if record is None:
        raise UnknownAssessment(assessment_id)
    if record.owner != user:
        raise BotError(t.DECIDERS_REFUSED)
    people = MENTION.findall(" ".join(words[1:]))
    lifecycle = DecisionStore(services.store.client).set_deciders(record, people)
    named = ", ".join(f"<@{p}>" for p in lifecycle.deciders)
    return t.DECIDERS_DONE.format(
        id=record.assessment_id,
        name=record.name,
        people=f"<@{record.owner}>, {named}" if named else t.DECIDERS_NOBODY,
    )


def on_take_over(
    services: Services, body: dict[str, Any], action: dict[str, Any], client: WebClient
) -> None:
    """Someone takes over a decision whose owner's account is deactivated."""
    team, user, channel = payload.team_id(body), payload.user_id(body), payload.channel_id(body)
    record = services.store.get_assessment(team, str(action.get("value") or ""))
    if record is None or record.owner == user or not is_deactivated(client, record.owner):
        return
    moved = DecisionStore(services.store.client).transfer(record, user)
    log.info("assessment_transferred", team=team, assessment_id=moved.assessment_id)
    client.chat_postMessage(
        channel=channel,
        thread_ts=payload.thread_ts(body) or None,
        text=t.TAKEN_OVER.format(owner=user, id=moved.assessment_id, name=moved.name),
    )


def register(app: Lazily, services: Services) -> None:
    """Listen to Accept, Retire and Take over."""
    app.action(ACCEPT_ACTION)(partial(on_accept, services))
    app.action(RETIRE_ACTION)(partial(on_retire, services))
    app.action(TAKE_OVER_ACTION)(partial(on_take_over, services))
