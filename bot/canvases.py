"""A canvas per decision, the Slack side: create it in a channel (`canvases.create` with
`channel_id`, the record as Markdown), rewrite it in place (`canvases.edit`, `replace`) when
the decision changes, and say why when Slack refuses. The button is `bot.listeners.canvas`;
a re-assessment's recommendation calls `refresh` (`bot.interview`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from slack_sdk.errors import SlackApiError

from bot.log import get_logger
from bot.views import text as t
from bot.views.canvas import canvas_markdown
from conversations.storage.decisions import DecisionStore, Lifecycle

if TYPE_CHECKING:
    from slack_sdk import WebClient

    from bot.services import Services
    from conversations.state import AssessmentRecord

__all__ = ["GONE", "canvas_link", "publish", "refresh", "refusal_reason"]

log = get_logger(__name__)
# canvases.edit answers these when the canvas itself is gone: publish a new one.
GONE = frozenset({"canvas_not_found", "canvas_deleted", "file_not_found"})


def canvas_link(client: WebClient, canvas_id: str) -> str:
    """The canvas's address in the workspace (`auth.test` gives the workspace's URL)."""
    answer = client.auth_test()
    base = str(answer.get("url") or "https://slack.com/").rstrip("/")
    return f"{base}/docs/{answer.get('team_id', '')}/{canvas_id}"


def _write(client: WebClient, lifecycle: Lifecycle, markdown: str) -> bool:
    """Rewrite the decision's canvas; False when it is gone (deleted in Slack)."""
    assert lifecycle.canvas_id is not None
    try:
        client.canvases_edit(
            canvas_id=lifecycle.canvas_id,
            changes=[
                {
                    "operation": "replace",
                    "document_content": {"type": "markdown", "markdown": markdown},
                }
            ],
        )
    except SlackApiError as exc:
        if exc.response.get("error") in GONE:
            return False
        raise
    return True


def publish(
    client: WebClient, services: Services, record: AssessmentRecord, channel: str, user: str
) -> tuple[str, bool]:
    """Create the decision's canvas in `channel`, or rewrite the one it has: its link, and
    whether it was created. Raises SlackApiError when Slack refuses."""
    decisions = DecisionStore(services.store.client)
    lifecycle = decisions.get(record)
    markdown = canvas_markdown(record, lifecycle)
    if lifecycle.canvas_id and _write(client, lifecycle, markdown):
        return canvas_link(client, lifecycle.canvas_id), False
    created = client.canvases_create(
        title=t.CANVAS_TITLE.format(name=record.name or t.ROOT_UNNAMED),
        channel_id=channel,
        document_content={"type": "markdown", "markdown": markdown},
    )
    canvas_id = str(created["canvas_id"])
    decisions.set_canvas(record, canvas_id, channel)
    log.info("canvas_created", canvas_id=canvas_id, by=user)
    return canvas_link(client, canvas_id), True


def refresh(
    client: WebClient, services: Services, record: AssessmentRecord, *, note: str | None = None
) -> None:
    """Rewrite the decision's canvas, if it has one, after its record or status changed;
    with `note` (holding `{link}`), say so in the record's thread. Best effort: a canvas
    that cannot be written is logged and the caller goes on."""
    try:
        lifecycle = DecisionStore(services.store.client).get(record)
        if not lifecycle.canvas_id:
            return
        if not _write(client, lifecycle, canvas_markdown(record, lifecycle)):
            log.info("canvas_gone", canvas_id=lifecycle.canvas_id)
            return
        if note:
            link = canvas_link(client, lifecycle.canvas_id)
            client.chat_postMessage(
                channel=record.channel, thread_ts=record.thread_ts, text=note.format(link=link)
            )
        log.info("canvas_updated", canvas_id=lifecycle.canvas_id)
    except Exception as exc:  # the canvas never costs the recommendation or the status
        log.warning("canvas_update_failed", error=f"{exc.__class__.__name__}: {exc}")


def refusal_reason(error: str) -> str:
    return t.CANVAS_REASONS.get(error) or t.CANVAS_REASON_OTHER.format(error=error)
