"""*Publish as canvas* under a recommendation: the decision's canvas in the channel, linked
in the thread (`bot.canvases`). A workspace that refuses canvases (its plan, its settings, a
missing scope) gets a plain reason and the Markdown record as a file instead."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any

from slack_sdk.errors import SlackApiError

from bot import payload
from bot.canvases import publish, refusal_reason
from bot.errors import BotError, UnknownAssessment
from bot.log import get_logger, log_context
from bot.owed import retry_delay
from bot.views import text as t
from bot.views.action_ids import CANVAS_ACTION
from bot.views.decision import decision_record
from conversations.storage.decisions import DecisionStore

if TYPE_CHECKING:
    from slack_sdk import WebClient

    from bot.listeners.lazily import Lazily
    from bot.services import Services

log = get_logger(__name__)


def on_publish(
    services: Services, body: dict[str, Any], action: dict[str, Any], client: WebClient
) -> None:
    """*Publish as canvas*: by the owner or a named decider."""
    team, user = payload.team_id(body), payload.user_id(body)
    channel, thread_ts = payload.channel_id(body), payload.thread_ts(body)
    record = services.store.get_assessment(team, str(action.get("value") or ""))
    if record is None:
        raise UnknownAssessment(str(action.get("value") or "?"))
    lifecycle = DecisionStore(services.store.client).get(record)
    if not lifecycle.may_decide(record.owner, user):
        client.chat_postEphemeral(
            channel=channel,
            user=user,
            thread_ts=thread_ts or None,
            text=t.CANVAS_NOT_DECIDER.format(owner=record.owner),
        )
        return
    where = thread_ts or None
    with log_context(team=team, channel=channel, assessment_id=record.assessment_id):
        try:
            link, created = publish(client, services, record, channel, user)
        except SlackApiError as exc:
            error = str(exc.response.get("error") or "unknown")
            if retry_delay(exc, 1) is not None:  # a passing failure (429, 5xx): no refusal
                raise BotError(t.CANVAS_SLACK_BUSY) from exc
            log.info("canvas_refused", error=error)
            client.files_upload_v2(
                channel=channel,
                thread_ts=where,
                content=decision_record(record, lifecycle),
                filename=f"ragft-{record.assessment_id}.md",
                title=t.EXPORT_TITLE.format(name=record.name),
                initial_comment=t.CANVAS_REFUSED.format(reason=refusal_reason(error)),
            )
            return
        text = (t.CANVAS_PUBLISHED if created else t.CANVAS_UPDATED).format(user=user, link=link)
        client.chat_postMessage(channel=channel, thread_ts=where, text=text)


def register(app: Lazily, services: Services) -> None:
    """Listen to *Publish as canvas*."""
    app.action(CANVAS_ACTION)(partial(on_publish, services))
