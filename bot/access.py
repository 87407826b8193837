"""Who may act: the owner of an assessment (checked once, here), a workspace admin, and
anyone taking over a decision whose owner's account is deactivated."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bot.errors import UnknownAssessment

if TYPE_CHECKING:
    from slack_sdk import WebClient

    from conversations.state import AssessmentRecord
    from conversations.storage.interviews import InterviewStore

__all__ = ["is_admin", "is_deactivated", "owned_record", "refused"]


def owned_record(
    store: InterviewStore, team: str, user: str, assessment_id: str
) -> AssessmentRecord:
    """The completed assessment `assessment_id` of `user`, or UnknownAssessment.

    Someone else's reads as unknown: ids are not secrets, but whose they are is.
    """
    record = store.get_assessment(team, assessment_id) if assessment_id else None
    if record is None or record.owner != user:
        raise UnknownAssessment(assessment_id or "?")
    return record


def refused(
    client: WebClient,
    *,
    owner: str,
    user: str,
    channel: str,
    note: str,
    thread_ts: str | None = None,
) -> bool:
    """True when `user` is not `owner`; then `note` (with `{owner}`) is shown to them alone."""
    if user == owner:
        return False
    if channel:
        client.chat_postEphemeral(
            channel=channel, user=user, thread_ts=thread_ts, text=note.format(owner=owner)
        )
    return True


def is_admin(client: WebClient, user: str) -> bool:
    """True for a workspace admin or owner (`users.info`)."""
    found: dict[str, Any] = client.users_info(user=user).get("user") or {}
    return bool(found.get("is_admin") or found.get("is_owner"))


def is_deactivated(client: WebClient, user: str) -> bool:
    """True when Slack says the person's account is deactivated (`deleted: true`)."""
    found: dict[str, Any] = client.users_info(user=user).get("user") or {}
    return bool(found.get("deleted"))
