"""Redis storage: interviews and assessments (`InterviewStore`), due revisits
(`RevisitQueue`), the key layout (`ThreadKey`) and the connection (`connect`).

Every store method raises `conversations.errors.StoreUnavailable` when Redis is unreachable;
`redis_errors()` does the same for a caller's own Redis calls, and `as_str` reads a reply.
"""

from __future__ import annotations

from conversations.storage._redis import as_str, redis_errors
from conversations.storage.connection import RedisHandle, connect
from conversations.storage.interviews import InterviewStore
from conversations.storage.keys import ThreadKey
from conversations.storage.revisits import MarkState, Revisit, RevisitQueue, RevisitState, Target
from conversations.storage.thread_views import StepOutcome, ThreadView

__all__ = [
    "InterviewStore",
    "MarkState",
    "RedisHandle",
    "Revisit",
    "RevisitQueue",
    "RevisitState",
    "StepOutcome",
    "Target",
    "ThreadKey",
    "ThreadView",
    "as_str",
    "connect",
    "redis_errors",
]
