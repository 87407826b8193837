"""Errors of the interview package; each message names what went wrong in plain words."""

from __future__ import annotations


class ConversationError(Exception):
    """Base class for everything the conversations package raises."""


class StoreUnavailable(ConversationError):
    """Redis could not be reached or answered with a connection error; nothing was written."""

    def __init__(self, detail: str) -> None:
        self.detail = detail
        super().__init__(
            f"The interview store (Redis) is not reachable right now: {detail}. "
            "Nothing was saved; please try again in a moment."
        )


class InterviewExists(ConversationError):
    """An interview is already running in this thread."""

    def __init__(self, channel: str, thread_ts: str) -> None:
        self.channel = channel
        self.thread_ts = thread_ts
        super().__init__(f"An interview is already running in thread {thread_ts} of {channel}.")


class ParseError(ConversationError):
    """An answer could not be read; `accepted` says what would be."""

    def __init__(self, question_id: str, accepted: str, message: str | None = None) -> None:
        self.question_id = question_id
        self.accepted = accepted
        super().__init__(message or f"I couldn't read that. {accepted}")
