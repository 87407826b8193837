"""When revisits fall due: after a completed assessment, after a snooze, after a dismissal."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from slack_sdk.errors import SlackApiError

from bot.log import get_logger
from conversations import revisit_timing as timing
from conversations.errors import StoreUnavailable
from conversations.faults import fault_point
from conversations.revisit_timing import Period, utc_now
from conversations.storage.outbox import RevisitOutbox
from conversations.storage.revisits import RevisitQueue

if TYPE_CHECKING:
    import redis
    from slack_sdk import WebClient

    from bot.services import CompletedAssessment
    from bot.settings import Settings

log = get_logger(__name__)


@dataclass(frozen=True)
class RevisitConfig:
    """The revisit knobs, taken from Settings once."""

    revisit_after: Period
    tick_seconds: float = 5.0
    lease_seconds: float = 60.0
    batch: int = 100
    # Test-only: multiplies snooze lengths (1 week × 1e-6 ≈ 0.6 s) so end-to-end tests can wait.
    snooze_scale: float = 1.0
    base_backoff: float = 5.0
    max_backoff: float = 3600.0

    @classmethod
    def from_settings(cls, settings: Settings) -> RevisitConfig:
        tick = settings.revisit_tick_seconds
        return cls(
            revisit_after=timing.parse_period(settings.revisit_after),
            tick_seconds=tick,
            # Long enough for a batch of sends, short enough that a dead clock's work returns soon.
            lease_seconds=settings.revisit_lease_seconds or min(60.0, max(2.0, 10 * tick)),
            base_backoff=min(5.0, tick),
            snooze_scale=settings.revisit_snooze_scale,
        )

    def queue(self, client: redis.Redis) -> RevisitQueue:
        return RevisitQueue(
            client,
            lease_seconds=self.lease_seconds,
            base_backoff=self.base_backoff,
            max_backoff=self.max_backoff,
        )


class RevisitScheduler:
    """Puts revisits in the queue at the right time for the owner (10:00 in their zone)."""

    def __init__(
        self,
        queue: RevisitQueue,
        client: WebClient,
        config: RevisitConfig,
        clock: Callable[[], datetime] = utc_now,
        clients: Callable[[str], WebClient | None] | None = None,
    ) -> None:
        self.queue = queue
        self.client = client
        self.config = config
        self.clock = clock
        self.outbox = RevisitOutbox(queue.redis)
        self.clients = clients  # OAuth mode: each workspace's own client

    def owner_tz(self, user_id: str, team: str | None = None) -> str | None:
        """The owner's zone from users.info; None (= UTC) when Slack can't tell us."""
        client = self.client if self.clients is None or team is None else self.clients(team)
        if client is None:
            return None
        try:
            user = client.users_info(user=user_id).get("user") or {}
        except SlackApiError as exc:
            log.warning("revisit_tz_unknown", user=user_id, error=exc.response.get("error"))
            return None
        except OSError as exc:  # Slack unreachable after the client's retries: 10:00 UTC will do
            log.warning("revisit_tz_unknown", user=user_id, error=type(exc).__name__)
            return None
        tz = user.get("tz")
        return str(tz) if tz else None

    def _tz(self, user_id: str, period: Period, team: str | None = None) -> str | None:
        return self.owner_tz(user_id, team) if timing.needs_zone(period) else None

    def on_completed(self, done: CompletedAssessment) -> None:
        """The `Services.on_completed` hook: move this completion's revisit from the team's
        outbox into the schedule now (the others waiting there are the clocks' work: a
        completion does not wait on other people's time zones).

        The completion already wrote the revisit into the outbox; should this fail or the
        process die, a clock moves it later.
        """
        try:
            self.drain_team(done.team_id, only=done.assessment_id)
        except StoreUnavailable as exc:
            log.warning("revisit_outbox_left_to_clock", team=done.team_id, error=str(exc))

    def drain_team(self, team: str, *, only: str | None = None) -> int:
        """Schedule every revisit waiting in the team's outbox (or `only` that assessment's);
        how many were new."""
        self.outbox.note(team)
        fault_point("after_outbox_index")
        scheduled = 0
        for entry, raw in self.outbox.entries(team):
            if only is not None and entry.assessment_id != only:
                continue
            completed_at = datetime.fromisoformat(entry.completed_at)
            period = self.config.revisit_after
            due = timing.completion_due(
                completed_at,
                period,
                self._tz(entry.owner, period, team),
                decided_on=entry.decided_on,
                revisit_on=entry.revisit_on,
            )
            if self.queue.schedule_once(team, entry.assessment_id, due.timestamp(), raw):
                scheduled += 1
                log.info(
                    "revisit_scheduled",
                    team=team,
                    assessment_id=entry.assessment_id,
                    due=due.isoformat(),
                )
            fault_point("after_revisit_scheduled")
            self.outbox.clear(team, entry, raw)
        return scheduled

    def drain_outboxes(self, *, scan: bool = False) -> int:
        """Drain every team's outbox (the clocks, each tick; `scan` finds unindexed teams)."""
        scheduled = 0
        for team in self.outbox.teams(scan=scan):
            try:
                scheduled += self.drain_team(team)
            except StoreUnavailable:
                raise
            except Exception:  # one bad entry must not stop the other teams
                log.exception("revisit_outbox_drain_failed", team=team)
        return scheduled

    def snooze(self, team: str, assessment_id: str, owner: str, code: str) -> datetime | None:
        """Bring the nudge back after `code` (P1W, P1M, P3M); None if there is no revisit."""
        now = self.clock()
        period = timing.snooze_period(code, scale=self.config.snooze_scale, now=now)
        until = timing.next_due(now, period, self._tz(owner, period, team))
        if not self.queue.snooze(team, assessment_id, until.timestamp()):
            return None
        log.info("revisit_snoozed", team=team, assessment_id=assessment_id, until=until.isoformat())
        return until

    def dismiss(self, team: str, assessment_id: str, owner: str) -> datetime:
        """Reviewed: the next revisit is one more REVISIT_AFTER from now."""
        period = self.config.revisit_after
        due = timing.next_due(self.clock(), period, self._tz(owner, period, team))
        self.queue.schedule(team, assessment_id, due.timestamp())
        log.info("revisit_dismissed", team=team, assessment_id=assessment_id, next=due.isoformat())
        return due
