"""What the Slack listeners need, gathered once by whoever builds the app (web, tests)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    import redis

    from conversations.storage.interviews import InterviewStore


def utc_now() -> datetime:
    """The real clock; tests and the playground pass their own."""
    return datetime.now(UTC)


@dataclass(frozen=True)
class CompletedAssessment:
    """Handed to every `on_completed` hook once the recommendation is saved and posted."""

    team_id: str
    channel: str
    thread_ts: str
    user_id: str
    assessment_id: str
    revisit_on: str | None
    record: Any  # the store's completed record (answers, assessment JSON, history)


class RevisitStatus(Protocol):
    """Optional: the revisit engineer's view of one assessment's reminder (snoozes)."""

    def snoozed_until(self, team_id: str, assessment_id: str) -> str | None: ...


@dataclass
class Services:
    """The store, the Redis client, settings-derived values, hooks and a clock."""

    store: InterviewStore
    redis: redis.Redis
    clock: Callable[[], datetime] = utc_now
    # Hooks called after a recommendation is posted; the revisit scheduler adds itself here.
    on_completed: list[Callable[[CompletedAssessment], None]] = field(default_factory=list)
    # Hooks called after `forget-me` deleted a person's data (e.g. their revisit schedule).
    revisit_status: RevisitStatus | None = None
    revisit_scheduler: Any = None  # bot.revisits' scheduler, when the process runs one
