"""The interview: questions as data, a pure state machine, answer parsing and the Redis store."""

from __future__ import annotations

from conversations.errors import (
    ConversationError,
    InterviewExists,
    InterviewNotFound,
    ParseError,
    StoreUnavailable,
)
from conversations.machine import start, step
from conversations.parsing import parse_answer
from conversations.questions import MAX_WORKLOADS, QUESTIONS, Question, question
from conversations.revisit_timing import DEFAULT_REVISIT_AFTER
from conversations.state import (
    Answered,
    Ask,
    AssessmentRecord,
    Cancelled,
    Completed,
    Effect,
    Input,
    InterviewState,
    Reply,
)
from conversations.storage.connection import RedisHandle, connect
from conversations.storage.interviews import InterviewStore, Outcome
from conversations.storage.keys import ThreadKey
from engine import VOLATILE_FIELDS

__all__ = [
    "DEFAULT_REVISIT_AFTER",
    "MAX_WORKLOADS",
    "QUESTIONS",
    "VOLATILE_FIELDS",
    "Answered",
    "Ask",
    "AssessmentRecord",
    "Cancelled",
    "Completed",
    "ConversationError",
    "Effect",
    "Input",
    "InterviewExists",
    "InterviewNotFound",
    "InterviewState",
    "InterviewStore",
    "Outcome",
    "ParseError",
    "Question",
    "RedisHandle",
    "Reply",
    "StoreUnavailable",
    "ThreadKey",
    "connect",
    "parse_answer",
    "question",
    "start",
    "step",
]
