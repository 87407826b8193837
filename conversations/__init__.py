"""The interview: a pure state machine (`start`, `step`) over questions as data, and its
Redis storage (`InterviewStore`, `RevisitQueue`). No Slack; the bot renders the effects.

Deeper names (questions, parsing, revisit timing, storage details) are imported from
their modules.
"""

from __future__ import annotations

from conversations.errors import ConversationError, InterviewExists, ParseError, StoreUnavailable
from conversations.machine import start, step
from conversations.state import (
    Answered,
    Ask,
    AssessmentRecord,
    Cancelled,
    Completed,
    Confirm,
    Effect,
    Input,
    InterviewState,
    Reply,
)
from conversations.storage import (
    InterviewStore,
    RedisHandle,
    RevisitQueue,
    StepOutcome,
    ThreadKey,
    connect,
)

__all__ = [
    "Answered",
    "Ask",
    "AssessmentRecord",
    "Cancelled",
    "Completed",
    "Confirm",
    "ConversationError",
    "Effect",
    "Input",
    "InterviewExists",
    "InterviewState",
    "InterviewStore",
    "ParseError",
    "RedisHandle",
    "Reply",
    "RevisitQueue",
    "StepOutcome",
    "StoreUnavailable",
    "ThreadKey",
    "connect",
    "start",
    "step",
]
