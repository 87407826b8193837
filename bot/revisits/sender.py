"""Sending one claimed revisit: a DM to the owner and a reply in the thread, each once.

Each target is sent under a "pending" mark that is renewed while the post is in flight,
so a slow Slack does not let another clock take it over. A target tried before (a clock
was killed after posting, or Slack's answer was lost) is first looked for in the DM or
the thread by its metadata (the assessment) and its buttons' block id (the occurrence),
and only posted if not found.
What remains is README's window: a post still on its way to Slack when the lookup runs.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Protocol

from slack_sdk.errors import SlackApiError

from bot.access import is_deactivated
from bot.log import get_logger
from bot.views.decision import take_over_blocks
from bot.views.revisit import EVENT_TYPE, nudge_message
from conversations.revisit_timing import utc_now
from conversations.state import AssessmentRecord
from conversations.storage.decisions import DecisionStore
from conversations.storage.revisits import MarkState, Revisit, RevisitQueue, Target

if TYPE_CHECKING:
    from slack_sdk import WebClient

    from bot.views import SlackMessage

OCCURRENCE_BLOCK = "ragft_revisit_actions:"  # + the occurrence: what a retry looks for
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

    def _retired(self, stored: Any) -> bool:
        """Whether the decision was retired (bot/listeners/decisions.py): no more revisits."""
        if not isinstance(stored, AssessmentRecord):
            return False
        return DecisionStore(self.queue.redis).get(stored).status() == "retired"

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
        if self._retired(stored):  # retired while this revisit was already on its way
            self.queue.complete(rev)
            log.info("revisit_retired", team=rev.team, assessment_id=rev.assessment_id)
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
        retried = not self.queue.first_try(rev, target)
        message = with_occurrence(message, rev)
        try:
            with self._renewing(rev, target):
                if retried and self._already_posted(client, rev, target, record):
                    log.info(
                        "revisit_found_posted",
                        team=rev.team,
                        assessment_id=rev.assessment_id,
                        target=target.value,
                    )
                elif target is Target.DM:
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

    @contextmanager
    def _renewing(self, rev: Revisit, target: Target) -> Iterator[None]:
        """Renew the target's mark and the lease every third of a lease while the body runs."""
        done = threading.Event()
        every = max(0.05, self.queue.lease_seconds / 3)

        def renew() -> None:
            while not done.wait(every):
                try:
                    if not self.queue.renew(rev, target):
                        return
                except Exception as exc:  # Redis away: the mark may lapse; the lookup covers it
                    log.warning("revisit_renew_failed", error=type(exc).__name__)

        thread = threading.Thread(target=renew, name="ragft-revisit-renew", daemon=True)
        thread.start()
        try:
            yield
        finally:
            done.set()
            thread.join(1.0)

    def _already_posted(
        self, client: WebClient, rev: Revisit, target: Target, record: Mapping[str, Any]
    ) -> bool:
        """Whether this occurrence's nudge is already in the DM or the thread."""
        if target is Target.DM:
            opened = client.conversations_open(users=str(record.get("owner") or ""))
            channel = str((opened.get("channel") or {}).get("id") or "")
            found = client.conversations_history(
                channel=channel, include_all_metadata=True, oldest=rev.occurrence_stamp, limit=100
            )
        else:
            found = client.conversations_replies(
                channel=str(record.get("channel")),
                ts=str(record.get("thread_ts")),
                include_all_metadata=True,
                limit=200,
            )
        for message in found.get("messages") or []:
            metadata = message.get("metadata") or {}
            payload = metadata.get("event_payload") or {}
            if (
                metadata.get("event_type") == EVENT_TYPE
                and payload.get("assessment_id") == rev.assessment_id
                and _occurrence_of(message) == str(rev.occurrence_stamp)
            ):
                return True
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


def with_occurrence(message: SlackMessage, rev: Revisit) -> SlackMessage:
    """The nudge with its occurrence in its buttons' block id, so that a retry can find it.

    The metadata stays exactly as INTERFACES.md pins it (`{"assessment_id"}`).
    """
    tag = f"{OCCURRENCE_BLOCK}{rev.occurrence_stamp}"
    blocks = [
        {**b, "block_id": tag} if b.get("block_id") == OCCURRENCE_BLOCK.rstrip(":") else b
        for b in message.blocks
    ]
    return replace(message, blocks=blocks)


def _occurrence_of(message: Mapping[str, Any]) -> str | None:
    for block in message.get("blocks") or []:
        block_id = str(block.get("block_id") or "")
        if block_id.startswith(OCCURRENCE_BLOCK):
            return block_id.removeprefix(OCCURRENCE_BLOCK)
    return None
