"""What the listeners and the revisit ticker use, built whole by `bot.bootstrap.build`."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

from conversations.revisit_timing import utc_now

if TYPE_CHECKING:
    from slack_sdk import WebClient

    from bot.oauth import RedisInstallationStore, RedisOAuthStateStore, Workspaces
    from bot.revisits.ticker import RevisitTicker
    from conversations.state import AssessmentRecord
    from conversations.storage.interviews import InterviewStore
    from conversations.storage.revisits import RevisitQueue

__all__ = ["CompletedAssessment", "Rescheduler", "Services"]


@dataclass(frozen=True)
class CompletedAssessment:
    """Handed to every `on_completed` hook once the recommendation is saved, before it is posted
    (so that a Slack failure while posting cannot cost the revisit)."""

    team_id: str
    channel: str
    thread_ts: str
    user_id: str
    assessment_id: str
    revisit_on: str | None
    record: AssessmentRecord  # the store's completed record (answers, assessment JSON, history)


class Rescheduler(Protocol):
    """What the nudge's buttons ask of the revisit scheduler (`RevisitScheduler`)."""

    def snooze(self, team: str, assessment_id: str, owner: str, code: str) -> datetime | None: ...

    def dismiss(self, team: str, assessment_id: str, owner: str) -> datetime: ...


@dataclass(frozen=True)
class Services:
    """The store, the revisit queue and scheduler, the ticker, the Web API client and a clock."""

    store: InterviewStore
    revisits: RevisitQueue  # the one revisit queue: scheduled, snoozed, cancelled, listed
    rescheduler: Rescheduler
    ticker: RevisitTicker  # idle until started: `ragft web`, `ragft clock`, the playground
    client: WebClient
    # Charts are drawn (about a second each) and uploaded here, one at a time, so that no
    # listener thread, and no one's next question, waits behind matplotlib.
    charts: Executor
    clock: Callable[[], datetime] = utc_now
    # Called once a recommendation is saved, before it is posted; the revisit scheduler's first.
    on_completed: tuple[Callable[[CompletedAssessment], None], ...] = ()
    # OAuth mode only (several workspaces); None with a single SLACK_BOT_TOKEN.
    installations: RedisInstallationStore | None = None
    oauth_states: RedisOAuthStateStore | None = None
    workspaces: Workspaces | None = None
    # Where charts are drawn (`bot.chart_process`): a process of its own; None: on `charts`.
    drawing: Executor | None = None
