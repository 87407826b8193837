"""What the app's answer to a typed line looks like, read from the stand-in's records (and,
for an interview step, from the store): each `Expect` is true once the answer is all there.

`Since` is where the records stood when the line was sent; only what came after counts.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bot.standin.server import TEAM_ID, SlackStandIn
from conversations.storage.interviews import InterviewStore
from conversations.storage.keys import ThreadKey

__all__ = ["Expect", "Since", "any_answer", "interview_started", "step_answered"]

Expect = Callable[[], bool]
# Calls that show an answer without a new message: an edit, an upload.
SHOWN_CALLS = ("chat.update", "files.completeUploadExternal")


@dataclass(frozen=True)
class Since:
    """Where the stand-in's records stood when a line was sent: how many calls, response_url
    replies and ephemerals it had, and the messages posted."""

    calls: int
    responses: int
    ephemerals: int
    posted: frozenset[str]

    @classmethod
    def now(cls, standin: SlackStandIn) -> Since:
        posted = frozenset(m["ts"] for m in standin.messages)
        return cls(len(standin.calls), len(standin.responses), len(standin.ephemerals), posted)

    def new_messages(self, standin: SlackStandIn) -> list[dict[str, Any]]:
        """The app's messages posted since."""
        return [m for m in standin.messages if m.get("bot_id") and m["ts"] not in self.posted]

    def private(self, standin: SlackStandIn) -> bool:
        """Whether an answer to the person alone came since."""
        return len(standin.responses) > self.responses or len(standin.ephemerals) > self.ephemerals


def any_answer(standin: SlackStandIn, mark: Since, shown: tuple[str, ...] = SHOWN_CALLS) -> Expect:
    """Any message, private answer or call in `shown` since the mark. Not any call: the app's
    own reads (auth.test, users.info) are no answer."""

    def answered() -> bool:
        return (
            mark.private(standin)
            or bool(mark.new_messages(standin))
            or any(c.method in shown for c in standin.calls[mark.calls :])
        )

    return answered


def interview_started(standin: SlackStandIn, mark: Since) -> Expect:
    """A first question posted (or a private answer: the interview did not start)."""

    def asked() -> bool:
        return mark.private(standin) or any(
            (m.get("metadata") or {}).get("event_type") == "ragft_question"
            for m in mark.new_messages(standin)
        )

    return asked


def step_answered(
    standin: SlackStandIn,
    store: InterviewStore | None,
    mark: Since,
    channel: str,
    thread: str | None,
) -> Expect:
    """All of an interview step posted in the thread (`thread` None: anything in `channel`)."""

    def answered() -> bool:
        if mark.private(standin):
            return True
        new = [
            m
            for m in mark.new_messages(standin)
            if m["channel"] == channel and (thread is None or m.get("thread_ts") == thread)
        ]
        return bool(new) and (thread is None or _step_done(store, channel, thread, new))

    return answered


def _step_done(
    store: InterviewStore | None, channel: str, thread: str, new: list[dict[str, Any]]
) -> bool:
    """Whether the app has posted all of an interview step: the stored state says what the
    step ends with (the open question's message recorded, the confirmation, the
    recommendation's last message with its buttons, or the note of a cancel)."""
    if store is None:
        return True
    where = ThreadKey(TEAM_ID, channel, thread)
    state = store.get_interview(where)
    if state is None or state.status == "cancelled":
        return True
    if state.status == "completed":
        return any("ragft_rec:" in str(m.get("blocks")) for m in new)
    if state.pending is not None:
        return any("ragft_confirm:" in str(m.get("blocks")) for m in new)
    if state.current is None:
        return True
    return store.question_message_ts(where, state.current.ask_id) is not None
