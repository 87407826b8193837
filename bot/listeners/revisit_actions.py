"""The nudge's buttons: Re-assess now, Snooze (1 week, 1 month, 3 months), Dismiss.

Unlike the recommendation's Re-assess (`actions.on_reassess`, a new thread in the channel
it is pressed in), the nudge's re-opens the original thread and settles the nudge.
"""

from __future__ import annotations

from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING, Any

from slack_sdk.errors import SlackApiError

from bot import payload
from bot.access import refused
from bot.interview import render, start_assessment
from bot.log import get_logger
from bot.revisits.sender import CHANNEL_GONE
from bot.views import SlackMessage
from bot.views import revisit as v
from bot.views import text as t
from bot.views.action_ids import (
    REVISIT_DISMISS_ACTION,
    REVISIT_REASSESS_ACTION,
    REVISIT_SNOOZE_ACTION,
)
from conversations.errors import InterviewExists
from conversations.storage.keys import ThreadKey

if TYPE_CHECKING:
    from slack_sdk import WebClient

    from bot.listeners.lazily import Lazily
    from bot.services import Services
    from conversations.state import AssessmentRecord

log = get_logger(__name__)


def reassess_in_thread(
    client: WebClient, services: Services, record: AssessmentRecord, user: str
) -> None:
    """Start the re-assessment in the original thread; a new thread, or the DM, if that is gone."""
    where = ThreadKey(record.team, record.channel, record.thread_ts)
    try:
        outcome = services.store.start(where, user, previous=record)
    except InterviewExists:  # the thread still holds the finished interview: open a new one
        outcome = None
    try:
        if outcome is not None and outcome.state is not None:
            render(client, services, where, outcome.state, outcome.effects)
        else:
            start_assessment(
                client,
                services,
                team=record.team,
                channel=record.channel,
                user=user,
                previous=record,
            )
        return
    except SlackApiError as exc:
        if exc.response.get("error") not in CHANNEL_GONE:
            raise
        log.warning("revisit_thread_gone", assessment_id=record.assessment_id)
    dm = str((client.conversations_open(users=user).get("channel") or {}).get("id"))
    start_assessment(client, services, team=record.team, channel=dm, user=user, previous=record)


def _date(when: datetime) -> str:
    return when.date().isoformat()


def _settle(client: WebClient, body: dict[str, Any], aid: str, note: str) -> None:
    """Replace the clicked nudge's buttons by a note of what happened."""
    channel, ts = payload.channel_id(body), payload.message_ts(body)
    if not channel or not ts:
        return
    blocks = (body.get("message") or {}).get("blocks") or []
    current = SlackMessage(text="", blocks=list(blocks))
    message = v.settled_message(current, note, aid)
    client.chat_update(
        channel=channel, ts=ts, text=message.text, blocks=message.blocks, metadata=message.metadata
    )


def _load(
    services: Services, aid: str, body: dict[str, Any], client: WebClient
) -> AssessmentRecord | None:
    """The presser's own assessment; else None, and they are told it is gone or not theirs."""
    team, user = payload.team_id(body), payload.user_id(body)
    channel = str((body.get("container") or {}).get("channel_id") or "")
    record = services.store.get_assessment(team, aid)
    if record is None:
        if channel:
            client.chat_postEphemeral(channel=channel, user=user, text=t.NUDGE_GONE)
        return None
    if refused(client, owner=record.owner, user=user, channel=channel, note=t.NUDGE_NOT_OWNER):
        return None
    return record


def on_snooze(services: Services, body: dict[str, Any], client: WebClient) -> None:
    """Bring the nudge back after the chosen period."""
    team, user = payload.team_id(body), payload.user_id(body)
    aid, _, code = payload.action_value(body).partition("|")
    record = _load(services, aid, body, client)
    if record is None or code not in dict(t.SNOOZE_CHOICES):
        return
    until = services.rescheduler.snooze(team, aid, user, code)
    if until is None:  # nothing queued (it was cancelled): schedule afresh from now
        until = services.rescheduler.dismiss(team, aid, user)
    _settle(client, body, aid, t.NUDGE_SNOOZED.format(user=user, date=_date(until)))


def on_dismiss(services: Services, body: dict[str, Any], client: WebClient) -> None:
    """Reviewed: the next nudge is one more REVISIT_AFTER away."""
    team, user, aid = payload.team_id(body), payload.user_id(body), payload.action_value(body)
    if _load(services, aid, body, client) is None:
        return
    due = services.rescheduler.dismiss(team, aid, user)
    _settle(client, body, aid, t.NUDGE_DISMISSED.format(user=user, date=_date(due)))


def on_reassess_now(services: Services, body: dict[str, Any], client: WebClient) -> None:
    """Re-assess in the original thread, then say so on the nudge."""
    user, aid = payload.user_id(body), payload.action_value(body)
    record = _load(services, aid, body, client)
    if record is None:
        return
    reassess_in_thread(client, services, record, user)
    where = f"<#{record.channel}>"
    _settle(client, body, aid, t.NUDGE_REASSESSING.format(user=user, where=where))


def register(app: Lazily, services: Services) -> None:
    """Listen to the nudge's three buttons."""
    app.action(REVISIT_SNOOZE_ACTION)(partial(on_snooze, services))
    app.action(REVISIT_DISMISS_ACTION)(partial(on_dismiss, services))
    app.action(REVISIT_REASSESS_ACTION)(partial(on_reassess_now, services))
