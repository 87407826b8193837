"""Sending one claimed revisit: a DM to the owner and a reply in the thread, each once."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import UTC, datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Protocol

from slack_sdk.errors import SlackApiError

from bot.log import get_logger
from bot.team_register import is_deactivated
from bot.views.register import take_over_blocks
from bot.views.revisit import nudge_message
from conversations.revisit_timing import utc_now
from conversations.storage.revisits import MarkState, Revisit, RevisitQueue, Target

if TYPE_CHECKING:
    from slack_sdk import WebClient

    from bot.views._blocks import SlackMessage

log = get_logger(__name__)

# Slack answers that will not change on a retry: the person or the place is gone.
USER_GONE = frozenset(
    {"user_not_found", "account_inactive", "cannot_dm_bot", "user_disabled", "user_is_restricted"}
)
CHANNEL_GONE = frozenset(
    {"is_archived", "channel_not_found", "not_in_channel", "thread_not_found", "restricted_action"}
)


class AssessmentSource(Protocol):
    """What the sender needs of the interview store."""

    def get_assessment(self, team: str, assessment_id: str) -> Any: ...


class Delivery(StrEnum):
    """What happened to one claimed revisit."""

    DELIVERED = "delivered"  # every target sent (or gone for good)
    RETRY = "retry"  # something failed for now; back in the queue with a backoff
    DROPPED = "dropped"  # the assessment no longer exists
    STALE = "stale"  # snoozed, dismissed or rescheduled while we held it
    PAUSED = "paused"  # the workspace uninstalled the app: kept until it returns or is purged


# How often a paused workspace's revisit looks again for a reinstall.
PAUSED_RETRY_SECONDS = 300.0


class NudgeSender:
    """Delivers claimed revisits through the Web API; never drops one on a transient error."""

    def __init__(
        self,
        client: WebClient,
        queue: RevisitQueue,
        store: AssessmentSource,
        clock: Callable[[], datetime] = utc_now,
        clients: Callable[[str], WebClient | None] | None = None,
        paused_retry_seconds: float = PAUSED_RETRY_SECONDS,
    ) -> None:
        self.client = client
        self.queue = queue
        self.store = store
        self.clock = clock
        # OAuth mode: each workspace's own client (None: not installed); else `client` for all.
        self.clients = clients
        self.paused_retry_seconds = paused_retry_seconds

    def client_for(self, team: str) -> WebClient | None:
        return self.client if self.clients is None else self.clients(team)

    def deliver(self, rev: Revisit, now: float | None = None) -> Delivery:
        """Send what is missing of this occurrence, then settle it in the queue."""
        client = self.client_for(rev.team)
        if client is None:
            at = self.clock().timestamp() if now is None else now
            self.queue.retry_later(rev, at, self.paused_retry_seconds)
            log.info("revisit_paused", team=rev.team, assessment_id=rev.assessment_id)
            return Delivery.PAUSED
        stored = self.store.get_assessment(rev.team, rev.assessment_id)
        if stored is None:
            self.queue.complete(rev)
            log.info("revisit_dropped", team=rev.team, assessment_id=rev.assessment_id)
            return Delivery.DROPPED
        record = stored.model_dump(mode="json")
        message = nudge_message(stored)
        pending = False
        for target in (Target.DM, Target.THREAD):
            if target is Target.THREAD and self._owner_left(client, record):
                # The thread gets the nudge with a "Take it over" button instead of no one.
                owner = str(record.get("owner") or "")
                message = replace(
                    message, blocks=[*message.blocks, *take_over_blocks(owner, rev.assessment_id)]
                )
            if not self._send_once(client, rev, target, record, message):
                pending = True
        if pending:
            when = self.queue.retry_later(rev, self.clock().timestamp() if now is None else now)
            log.warning(
                "revisit_retry",
                team=rev.team,
                assessment_id=rev.assessment_id,
                attempt=rev.attempts,
                retry_at=datetime.fromtimestamp(when, UTC).isoformat(),
            )
            return Delivery.RETRY
        if not self.queue.complete(rev):
            return Delivery.STALE
        log.info("revisit_delivered", team=rev.team, assessment_id=rev.assessment_id)
        return Delivery.DELIVERED

    def _send_once(
        self,
        client: WebClient,
        rev: Revisit,
        target: Target,
        record: Mapping[str, Any],
        message: SlackMessage,
    ) -> bool:
        """True when this target is settled (sent now or before, or gone for good)."""
        state = self.queue.begin_send(rev, target)
        if state in (MarkState.SENT, MarkState.GONE):
            return True
        if state is MarkState.BUSY:
            return False
        gone = USER_GONE if target is Target.DM else CHANNEL_GONE
        if not self._has_address(record, target):
            self.queue.finish_send(rev, target, MarkState.GONE)
            log.warning(
                "revisit_target_missing",
                team=rev.team,
                assessment_id=rev.assessment_id,
                target=target.value,
            )
            return True
        try:
            if target is Target.DM:
                self._post_dm(client, str(record.get("owner") or ""), message)
            else:
                self._post_thread(client, record, message)
        except SlackApiError as exc:
            error = str(exc.response.get("error") or "")
            if error in gone:
                self.queue.finish_send(rev, target, MarkState.GONE)
                log.warning(
                    "revisit_target_gone",
                    team=rev.team,
                    assessment_id=rev.assessment_id,
                    target=target.value,
                    error=error,
                )
                return True
            failure = error or f"HTTP {exc.response.status_code}"
        except OSError as exc:  # connection refused/reset after the client's own retries
            failure = type(exc).__name__
        else:
            self.queue.finish_send(rev, target, MarkState.SENT)
            return True
        self.queue.abort_send(rev, target)
        log.warning(
            "revisit_send_failed",
            team=rev.team,
            assessment_id=rev.assessment_id,
            target=target.value,
            error=failure,
        )
        return False

    @staticmethod
    def _owner_left(client: WebClient, record: Mapping[str, Any]) -> bool:
        """True when the owner's account is deactivated (`users.info` says `deleted`)."""
        owner = str(record.get("owner") or "")
        if not owner:
            return False
        try:
            return is_deactivated(client, owner)
        except (SlackApiError, OSError):  # unknown: the nudge goes as usual
            return False

    @staticmethod
    def _has_address(record: Mapping[str, Any], target: Target) -> bool:
        if target is Target.DM:
            return bool(record.get("owner"))
        return bool(record.get("channel") and record.get("thread_ts"))

    def _post_dm(self, client: WebClient, owner: str, message: SlackMessage) -> None:
        opened = client.conversations_open(users=owner)
        channel = (opened.get("channel") or {}).get("id")
        if not channel:  # Slack said ok but gave no DM: treat it as the user being gone
            raise SlackApiError("conversations.open gave no channel", {"error": "user_not_found"})  # type: ignore[no-untyped-call]
        client.chat_postMessage(
            channel=channel,
            text=message.text,
            blocks=message.blocks,
            metadata=message.metadata,
        )

    def _post_thread(
        self, client: WebClient, record: Mapping[str, Any], message: SlackMessage
    ) -> None:
        channel, thread_ts = record.get("channel"), record.get("thread_ts")
        client.chat_postMessage(
            channel=str(channel),
            thread_ts=str(thread_ts),
            text=message.text,
            blocks=message.blocks,
            metadata=message.metadata,
        )
