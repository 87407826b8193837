"""The nudge's buttons: Re-assess now, Snooze (1 week, 1 month, 3 months), Dismiss."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from bot.listeners._common import team_of
from bot.log import get_logger
from bot.views import revisit as v
from bot.views import text as t
from bot.views._blocks import SlackMessage
from bot.views.action_ids import (
    REVISIT_DISMISS_ACTION,
    REVISIT_REASSESS_ACTION,
    REVISIT_SNOOZE_ACTION,
)

if TYPE_CHECKING:
    from slack_bolt import Ack, App
    from slack_sdk import WebClient

    from bot.revisits.scheduler import RevisitScheduler
    from bot.services import Services

log = get_logger(__name__)

def reassess_in_thread(client: WebClient, services: Services, record: Any, user: str) -> None:
    """Start the re-assessment in the original thread; a new thread, or the DM, if that is gone."""
    from slack_sdk.errors import SlackApiError

    from bot.interview import render, start_assessment
    from bot.revisits.sender import CHANNEL_GONE
    from conversations.errors import InterviewExists
    from conversations.storage.keys import ThreadKey

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
                client, services, team=record.team, channel=record.channel, user=user,
                previous=record,
            )  # fmt: skip
        return
    except SlackApiError as exc:
        if exc.response.get("error") not in CHANNEL_GONE:
            raise
        log.warning("revisit_thread_gone", assessment_id=record.assessment_id)
    dm = str((client.conversations_open(users=user).get("channel") or {}).get("id"))
    start_assessment(client, services, team=record.team, channel=dm, user=user, previous=record)


def _ids(body: dict[str, Any]) -> tuple[str, str, str]:
    """(team, the pressed button's or chosen option's value, the user who pressed it)."""
    action = (body.get("actions") or [{}])[0]
    value = str(action.get("value") or (action.get("selected_option") or {}).get("value") or "")
    return team_of(body), value, str((body.get("user") or {}).get("id") or "")


def _date(when: datetime) -> str:
    return when.date().isoformat()


def _settle(client: WebClient, body: dict[str, Any], aid: str, note: str) -> None:
    """Replace the clicked nudge's buttons by a note of what happened."""
    container = body.get("container") or {}
    channel = container.get("channel_id") or (body.get("channel") or {}).get("id")
    ts = container.get("message_ts")
    if not channel or not ts:
        return
    blocks = (body.get("message") or {}).get("blocks") or []
    current = SlackMessage(text="", blocks=list(blocks))
    message = v.settled_message(current, note, aid)
    client.chat_update(
        channel=channel, ts=ts, text=message.text, blocks=message.blocks, metadata=message.metadata
    )


def register(
    app: App,
    services: Services,
    scheduler: RevisitScheduler,
) -> None:
    """Add the three revisit actions to the Bolt app."""

    def load(team: str, aid: str, user: str, client: WebClient, body: dict[str, Any]) -> Any:
        record = services.store.get_assessment(team, aid)
        channel = (body.get("container") or {}).get("channel_id")
        if record is None:
            if channel:
                client.chat_postEphemeral(channel=channel, user=user, text=t.NUDGE_GONE)
            return None
        if record.owner != user:
            if channel:
                text = t.NUDGE_NOT_OWNER.format(owner=record.owner)
                client.chat_postEphemeral(channel=channel, user=user, text=text)
            return None
        return record

    @app.action(REVISIT_SNOOZE_ACTION)
    def snooze(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        team, value, user = _ids(body)
        aid, _, code = value.partition("|")
        record = load(team, aid, user, client, body)
        if record is None or code not in dict(t.SNOOZE_CHOICES):
            return
        until = scheduler.snooze(team, aid, user, code)
        if until is None:  # nothing queued (it was cancelled): schedule afresh from now
            until = scheduler.dismiss(team, aid, user)
        _settle(client, body, aid, t.NUDGE_SNOOZED.format(user=user, date=_date(until)))

    @app.action(REVISIT_DISMISS_ACTION)
    def dismiss(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        team, aid, user = _ids(body)
        if load(team, aid, user, client, body) is None:
            return
        due = scheduler.dismiss(team, aid, user)
        _settle(client, body, aid, t.NUDGE_DISMISSED.format(user=user, date=_date(due)))

    @app.action(REVISIT_REASSESS_ACTION)
    def reassess(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        team, aid, user = _ids(body)
        record = load(team, aid, user, client, body)
        if record is None:
            return
        reassess_in_thread(client, services, record, user)
        where = f"<#{record.channel}>"
        _settle(client, body, aid, t.NUDGE_REASSESSING.format(user=user, where=where))
