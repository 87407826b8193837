"""Errors of the Slack face; each message is fit to show the person who typed the command.

The whole error tree of ragft (engine, conversations, bot) is drawn once, in
`docs/ARCHITECTURE.md`.
"""

from __future__ import annotations

import redis
from slack_sdk.errors import SlackApiError

from bot.views import text as t
from conversations.errors import ParseError, StoreUnavailable
from conversations.parsing import escape

_NOT_IN_CHANNEL = frozenset({"not_in_channel", "channel_not_found", "is_archived"})
MAX_ID_SHOWN = 40  # ids are 8 hex digits; whatever else was typed is not echoed in full

__all__ = [
    "BotError",
    "NotInThread",
    "NothingToCancel",
    "SettingsError",
    "UnknownAssessment",
    "user_message",
]


class BotError(Exception):
    """Base class: `str(error)` is a plain sentence for the user."""


class SettingsError(BotError, ValueError):
    """A setting has a value the app cannot use; the message names the variable."""

    def __init__(self, variable: str, message: str) -> None:
        super().__init__(f"{variable}: {message}")
        self.variable = variable


class UnknownAssessment(BotError):
    """No assessment with this id belongs to this person in this workspace."""

    def __init__(self, assessment_id: str) -> None:
        self.assessment_id = assessment_id
        super().__init__(
            f"I can't find an assessment `{escape(assessment_id[:MAX_ID_SHOWN])}` of yours. "
            "`/ragft list` shows the ones you have."
        )


class NotInThread(BotError):
    """A command that needs an interview thread (or an id) was used without one."""

    def __init__(self, command: str) -> None:
        self.command = command
        message = (
            f"`/ragft {command}` needs an assessment id, for example `/ragft {command} a1b2c3`."
        )
        if command == "cancel":
            message += " Inside an interview thread you can also just reply `cancel`."
        super().__init__(message)


class NothingToCancel(BotError):
    """`/ragft cancel` without an id when the person has no interview open."""

    def __init__(self) -> None:
        super().__init__("You have no interview in progress. `/ragft list` shows your assessments.")


def user_message(error: Exception) -> str:
    """What the person sees when handling their request failed."""
    if isinstance(error, BotError | ParseError):
        return str(error)
    # The revisit queue speaks redis-py's errors directly; to a person both mean the same.
    if isinstance(error, StoreUnavailable | redis.ConnectionError | redis.TimeoutError):
        return t.ERROR_STORE
    if isinstance(error, SlackApiError) and error.response.get("error") in _NOT_IN_CHANNEL:
        return t.ERROR_NOT_IN_CHANNEL
    return t.ERROR_GENERIC
