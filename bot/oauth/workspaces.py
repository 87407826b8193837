"""A workspace's bot token for work outside a request (revisit nudges), its org, and its
lifecycle with the app: uninstalled (or its bot token revoked), reinstalled, purged after the
retention period."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from conversations.storage import as_str, keys, redis_errors
from conversations.storage.workspaces import purge_team

if TYPE_CHECKING:
    import redis
    from slack_sdk import WebClient

    from bot.oauth.installations import RedisInstallationStore, Refresher

__all__ = ["Workspaces"]


class Workspaces:
    """A workspace's token for work outside a request, its org, and its lifecycle marks."""

    def __init__(
        self,
        redis_client: redis.Redis,
        store: RedisInstallationStore,
        refresher: Refresher,
        make_client: Callable[[str], WebClient],
    ) -> None:
        self.redis = redis_client
        self.store = store
        self.refresher = refresher
        self.make_client = make_client
        self._orgs_seen: set[tuple[str, str]] = set()

    def note_org(self, team: str, enterprise: str | None) -> None:
        """Remember the workspace's org (once per process), so its org install can be found."""
        if not team or not enterprise or (team, enterprise) in self._orgs_seen:
            return
        with redis_errors():
            self.redis.hset(keys.workspace(team), "enterprise", enterprise)
            self.redis.sadd(keys.org_teams(enterprise), team)
        self._orgs_seen.add((team, enterprise))

    def org_teams(self, enterprise: str) -> list[str]:
        """The org's workspaces this app has served."""
        with redis_errors():
            return sorted(as_str(t) for t in self.redis.smembers(keys.org_teams(enterprise)))

    def enterprise_of(self, team: str) -> str | None:
        with redis_errors():
            raw = self.redis.hget(keys.workspace(team), "enterprise")
        return None if raw is None else as_str(raw)

    def bot_token(self, team: str) -> str | None:
        """The workspace's bot token, refreshed first if it expires soon; None: not installed."""
        enterprise = self.enterprise_of(team)
        installation = self.store.find_installation(enterprise_id=enterprise, team_id=team)
        if installation is None or not installation.bot_token:
            return None
        refreshed = self.refresher.fresh(installation)
        return (refreshed or installation).bot_token

    def client_for(self, team: str) -> WebClient | None:
        """A Web API client with the workspace's own bot token; None when not installed."""
        token = self.bot_token(team)
        return None if token is None else self.make_client(token)

    # --- lifecycle -------------------------------------------------------------------
    def departed(self, team: str, at: float) -> None:
        """The app was uninstalled (or its bot token revoked): keep the data until purged."""
        with redis_errors():
            self.redis.hset(keys.workspace(team), "departed_at", repr(at))
            self.redis.zadd(keys.DEPARTED, {team: at}, nx=True)

    def is_departed(self, team: str) -> bool:
        with redis_errors():
            return bool(self.redis.hexists(keys.workspace(team), "departed_at"))

    def due_for_purge(self, before: float) -> list[str]:
        """Workspaces uninstalled before `before` whose data is still kept."""
        with redis_errors():
            return [as_str(t) for t in self.redis.zrangebyscore(keys.DEPARTED, "-inf", before)]

    def purge(self, team: str, cancel_revisit: Callable[[str, str], None]) -> int:
        """Delete the workspace's data and its revisits (the retention period is over)."""
        return purge_team(self.redis, team, cancel_revisit)
