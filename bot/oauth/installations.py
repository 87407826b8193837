"""Installations in Redis, and their tokens kept fresh.

- `RedisInstallationStore` (slack_sdk's `InstallationStore`): one JSON per installation under
  the owner's hash tag, `ragft:{T…}:installation:…`, or `ragft:{E<enterprise>}:…` for an
  org-wide install, so every key of one workspace sits in one Cluster slot. Each process keeps
  a workspace's installation a moment (`CACHE_SECONDS`), never while its token is due for a
  refresh.
- `Refresher`: an installation's expiring tokens refreshed by one process at a time, under a
  Redis lock per installation.
"""

from __future__ import annotations

import json
import threading
import time
from logging import Logger
from typing import TYPE_CHECKING, Any

from slack_sdk.oauth.installation_store import Bot, Installation, InstallationStore

from bot.log import get_logger
from conversations.storage import as_str, keys, redis_errors

if TYPE_CHECKING:
    import redis
    from slack_sdk.oauth.token_rotation import TokenRotator

__all__ = ["CACHE_SECONDS", "RedisInstallationStore", "Refresher"]

log = get_logger(__name__)
LOCK_SECONDS = 30.0


def _load(raw: bytes | str | None) -> dict[str, Any] | None:
    return None if raw is None else dict(json.loads(as_str(raw)))


CACHE_SECONDS = 2.0  # how long a process keeps a workspace's installation between reads


class RedisInstallationStore(InstallationStore):
    """Installations in Redis, one owner (workspace, or enterprise for org-wide) per hash tag."""

    def __init__(
        self,
        client: redis.Redis,
        *,
        user_tokens: bool = False,
        logger: Logger | None = None,
        cache_seconds: float = CACHE_SECONDS,
        fresh_for_seconds: float = 0.0,
    ) -> None:
        self.redis = client
        # A workspace's installation is read on every request: each process keeps it a moment
        # (not while its token is near the refresh window), and forgets it on any change here.
        self.cache_seconds = cache_seconds
        self.fresh_for_seconds = fresh_for_seconds
        self._cache: dict[tuple[Any, ...], tuple[float, dict[str, Any]]] = {}
        self._cache_lock = threading.Lock()
        # ragft asks for bot scopes only: no person has a token of their own, so Bolt's lookup
        # of "this person's installation" (on every request but the installer's) is answered
        # without a Redis round trip on the request's path.
        self.user_tokens = user_tokens
        self._logger = logger

    @property
    def logger(self) -> Logger:
        import logging

        return self._logger or logging.getLogger(__name__)

    def _forget_cached(self) -> None:
        with self._cache_lock:
            self._cache.clear()

    def _cached(self, key: tuple[Any, ...]) -> Installation | None:
        with self._cache_lock:
            hit = self._cache.get(key)
        if hit is None or hit[0] < time.monotonic():
            return None
        return Installation(**hit[1])

    def _remember(self, key: tuple[Any, ...], installation: Installation) -> None:
        expires_at = installation.bot_token_expires_at
        if expires_at is not None and expires_at - time.time() < self.fresh_for_seconds:
            return  # near its refresh: always read the newest token
        with self._cache_lock:
            self._cache[key] = (time.monotonic() + self.cache_seconds, dict(installation.__dict__))

    # --- writing ---------------------------------------------------------------------
    def save(self, installation: Installation) -> None:
        self._forget_cached()
        owner = keys.install_owner(
            installation.enterprise_id, installation.team_id, installation.is_enterprise_install
        )
        data = json.dumps(installation.__dict__)
        with redis_errors():
            pipe = self.redis.pipeline(transaction=True)
            pipe.set(keys.installation(owner), data)
            if installation.user_id:
                pipe.set(keys.installation_user(owner, installation.user_id), data)
            if installation.bot_token:
                pipe.set(keys.installation_bot(owner), json.dumps(installation.to_bot().__dict__))
            pipe.execute()
            if installation.team_id:  # back within the retention period: nothing is purged
                self.redis.hdel(keys.workspace(installation.team_id), "departed_at")
                self.redis.zrem(keys.DEPARTED, installation.team_id)

    def save_bot(self, bot: Bot) -> None:
        self._forget_cached()
        owner = keys.install_owner(bot.enterprise_id, bot.team_id, bot.is_enterprise_install)
        with redis_errors():
            self.redis.set(keys.installation_bot(owner), json.dumps(bot.__dict__))

    # --- reading ---------------------------------------------------------------------
    def _owners(
        self, enterprise_id: str | None, team_id: str | None, org_wide: bool | None
    ) -> list[str]:
        """Where to look: the workspace's own install first, then its org's."""
        first = keys.install_owner(enterprise_id, team_id, bool(org_wide))
        owners = [first] if first else []
        if enterprise_id and f"E{enterprise_id}" not in owners:
            owners.append(f"E{enterprise_id}")
        return owners

    def find_bot(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        is_enterprise_install: bool | None = False,
    ) -> Bot | None:
        for owner in self._owners(enterprise_id, team_id, is_enterprise_install):
            with redis_errors():
                data = _load(self.redis.get(keys.installation_bot(owner)))
            if data is not None:
                return Bot(**data)
        return None

    def find_installation(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        user_id: str | None = None,
        is_enterprise_install: bool | None = False,
        fresh: bool = False,
    ) -> Installation | None:
        """The installation, from this process's copy kept a moment unless `fresh`: as Redis
        has it now (what the refresher reads under its lock, where a kept copy may predate
        another thread's refresh)."""
        if user_id and not self.user_tokens:
            return None
        cache_key = (enterprise_id, team_id, user_id, bool(is_enterprise_install))
        cached = None if fresh else self._cached(cache_key)
        if cached is not None:
            return cached
        found = self._read_installation(enterprise_id, team_id, user_id, is_enterprise_install)
        if found is not None:
            self._remember(cache_key, found)
        return found

    def _read_installation(
        self,
        enterprise_id: str | None,
        team_id: str | None,
        user_id: str | None,
        is_enterprise_install: bool | None,
    ) -> Installation | None:
        for owner in self._owners(enterprise_id, team_id, is_enterprise_install):
            key = keys.installation_user(owner, user_id) if user_id else keys.installation(owner)
            with redis_errors():  # one round trip: the installation and the latest bot token
                raw, raw_bot = self.redis.mget([key, keys.installation_bot(owner)])
            data, bot = _load(raw), _load(raw_bot)
            if data is None:
                continue
            installation = Installation(**data)
            if bot is not None:  # the bot's token is the workspace's latest, whoever installed
                installation.bot_token = bot.get("bot_token")
                installation.bot_refresh_token = bot.get("bot_refresh_token")
                installation.bot_token_expires_at = bot.get("bot_token_expires_at")
                installation.bot_scopes = bot.get("bot_scopes")
                installation.bot_id = bot.get("bot_id")
                installation.bot_user_id = bot.get("bot_user_id")
            return installation
        return None

    # --- deleting --------------------------------------------------------------------
    def _owner_of(self, enterprise_id: str | None, team_id: str | None) -> str | None:
        """The owner whose installation serves this workspace now (its own, else its org's)."""
        for owner in self._owners(enterprise_id, team_id, False):
            with redis_errors():
                if self.redis.exists(keys.installation(owner), keys.installation_bot(owner)):
                    return owner
        return None

    def delete_bot(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        self._forget_cached()
        owner = self._owner_of(enterprise_id, team_id)
        if owner is not None:
            with redis_errors():
                self.redis.delete(keys.installation_bot(owner))

    def delete_installation(
        self, *, enterprise_id: str | None, team_id: str | None, user_id: str | None = None
    ) -> None:
        self._forget_cached()
        owner = self._owner_of(enterprise_id, team_id)
        if owner is None:
            return
        with redis_errors():
            if user_id:
                self.redis.delete(keys.installation_user(owner, user_id))
                return
            doomed = [
                k
                for k in self.redis.scan_iter(match=keys.installation_pattern(owner), count=1000)
                if not as_str(k).endswith(":installation:bot")
            ]
            if doomed:
                self.redis.delete(*doomed)

    def delete_all(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        self._forget_cached()
        owner = self._owner_of(enterprise_id, team_id)
        if owner is None:
            return
        with redis_errors():
            doomed = list(self.redis.scan_iter(match=keys.installation_pattern(owner), count=1000))
            if doomed:
                self.redis.delete(*doomed)


def _expiring(installation: Installation, minutes: int) -> bool:
    """True when a rotating token of the installation expires within `minutes`."""
    horizon = time.time() + minutes * 60
    bot = installation.bot_refresh_token and installation.bot_token_expires_at
    user = installation.user_refresh_token and installation.user_token_expires_at
    return bool((bot and bot <= horizon) or (user and user <= horizon))


class Refresher:
    """Refreshes an installation's expiring tokens, one process at a time per installation."""

    def __init__(
        self,
        redis_client: redis.Redis,
        store: RedisInstallationStore,
        rotator: TokenRotator,
        minutes_before_expiration: int,
    ) -> None:
        self.redis = redis_client
        self.store = store
        self.rotator = rotator
        self.minutes = minutes_before_expiration

    def fresh(self, installation: Installation) -> Installation | None:
        """The installation with tokens that do not expire soon; None when nothing changed."""
        if not _expiring(installation, self.minutes):
            return None
        owner = keys.install_owner(
            installation.enterprise_id, installation.team_id, installation.is_enterprise_install
        )
        lock = self.redis.lock(
            keys.installation_lock(owner), timeout=LOCK_SECONDS, blocking_timeout=LOCK_SECONDS
        )
        with lock:
            # Another process may have refreshed while this one waited for the lock.
            current = self.store.find_installation(
                enterprise_id=installation.enterprise_id,
                team_id=installation.team_id,
                is_enterprise_install=installation.is_enterprise_install,
                fresh=True,
            )
            if current is None:
                return None
            refreshed = self.rotator.perform_token_rotation(
                installation=current, minutes_before_expiration=self.minutes
            )
            if refreshed is not None:
                self.store.save(refreshed)
                log.info("tokens_refreshed", owner=owner)
                return refreshed
            return current if current.bot_token != installation.bot_token else None
