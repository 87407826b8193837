"""Distribution over OAuth: installations and OAuth states in Redis, tokens kept fresh.

- `RedisInstallationStore` (slack_sdk's `InstallationStore`): one JSON per installation under
  the owner's hash tag, `ragft:{T…}:installation:…`, or `ragft:{E<enterprise>}:…` for an
  org-wide install, so every key of one workspace sits in one Cluster slot.
- `RedisOAuthStateStore` (slack_sdk's `OAuthStateStore`): each state is used once (`GETDEL`)
  and expires; a forged or replayed state is refused.
- `LockingAuthorize`: Bolt's installation-store authorize, with the app's client (so refreshes
  go to SLACK_API_URL), a cache of `auth.test` per token, and expiring tokens refreshed by one
  process at a time under a Redis lock per installation. The inbox workers' one raises
  `NotInstalled` for a workspace that has no installation (it uninstalled the app).
- `Workspaces`: a workspace's bot token for work outside a request (revisit nudges), its org,
  and its lifecycle (uninstalled, reinstalled, purged after the retention period).
"""

from __future__ import annotations

import json
import secrets
import threading
import time
from collections.abc import Callable
from logging import Logger
from typing import TYPE_CHECKING, Any

from slack_bolt.authorization import AuthorizeResult
from slack_bolt.authorization.authorize import InstallationStoreAuthorize
from slack_sdk.oauth.installation_store import Bot, Installation, InstallationStore
from slack_sdk.oauth.state_store import OAuthStateStore
from slack_sdk.oauth.token_rotation import TokenRotator

from bot.log import get_logger
from conversations.storage import keys
from conversations.storage._redis import as_str, redis_errors
from conversations.storage.workspaces import purge_team

if TYPE_CHECKING:
    import redis
    from slack_bolt.context import BoltContext
    from slack_sdk import WebClient

    from bot.settings import Settings

__all__ = [
    "LockingAuthorize",
    "NotInstalled",
    "RedisInstallationStore",
    "RedisOAuthStateStore",
    "Refresher",
    "Workspaces",
    "bolt_oauth",
]

log = get_logger(__name__)
STATE_TTL_SECONDS = 600
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


class RedisOAuthStateStore(OAuthStateStore):
    """OAuth states in Redis: issued with an expiry, consumed at most once."""

    def __init__(
        self,
        client: redis.Redis,
        *,
        expiration_seconds: int = STATE_TTL_SECONDS,
        logger: Logger | None = None,
    ) -> None:
        self.redis = client
        self.expiration_seconds = expiration_seconds
        self._logger = logger

    @property
    def logger(self) -> Logger:
        import logging

        return self._logger or logging.getLogger(__name__)

    def issue(self, *args: Any, **kwargs: Any) -> str:
        state = secrets.token_urlsafe(24)
        with redis_errors():
            self.redis.set(keys.oauth_state(state), "1", ex=self.expiration_seconds)
        return state

    def consume(self, state: str) -> bool:
        if not state or len(state) > 200:
            return False
        with redis_errors():
            return self.redis.getdel(keys.oauth_state(state)) is not None


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


class NotInstalled(Exception):
    """A request from a workspace with no installation: the app was uninstalled there."""

    def __init__(self, enterprise_id: str | None, team_id: str | None) -> None:
        super().__init__(f"not installed: {team_id or enterprise_id}")
        self.enterprise_id = enterprise_id
        self.team_id = team_id


class AuthorizeFailed(Exception):
    """The workspace is installed, yet its token could not be checked (auth.test failed):
    the inbox worker tries the request again later, and nobody is told to reinstall."""


class LockingAuthorize(InstallationStoreAuthorize):
    """Bolt's authorize on our store, refreshing expiring tokens through `Refresher`.

    With `not_installed_raises`, a workspace with neither an installation nor a bot raises
    `NotInstalled` instead of Bolt's answer (a "please reinstall" reply to the person), and
    an installed one whose token could not be checked raises `AuthorizeFailed` (retried).
    """

    def __init__(
        self, *, refresher: Refresher, not_installed_raises: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)
        self.refresher = refresher
        self.token_rotator = refresher.rotator
        self.token_rotation_expiration_minutes = refresher.minutes
        self.not_installed_raises = not_installed_raises

    def __call__(
        self,
        *,
        context: BoltContext,
        enterprise_id: str | None,
        team_id: str | None,
        user_id: str | None,
        **kwargs: Any,
    ) -> AuthorizeResult | None:
        result = super().__call__(
            context=context,
            enterprise_id=enterprise_id,
            team_id=team_id,
            user_id=user_id,
            **kwargs,
        )
        if result is None and self.not_installed_raises:
            # None also means Slack refused the token; only a missing installation is final.
            org_wide = context.is_enterprise_install
            store = self.installation_store
            if (
                store.find_installation(
                    enterprise_id=enterprise_id, team_id=team_id, is_enterprise_install=org_wide
                )
                is None
                and store.find_bot(
                    enterprise_id=enterprise_id, team_id=team_id, is_enterprise_install=org_wide
                )
                is None
            ):
                raise NotInstalled(enterprise_id, team_id)
            raise AuthorizeFailed(f"the token of {team_id or enterprise_id} was not checked")
        return result

    def _rotate_and_save_tokens_if_necessary(
        self, installation: Installation | None
    ) -> Installation | None:
        if installation is None:
            return None
        refreshed = self.refresher.fresh(installation)
        self._prime(refreshed or installation)
        return refreshed

    def _prime(self, installation: Installation) -> None:
        """What `auth.test` would say of the bot token, from the installation that holds it.

        Bolt calls `auth.test` once per token it has not seen; the installation already names
        the bot, so a workspace's first request (and the first after each token rotation)
        does not wait on a Web API call.
        """
        token = installation.bot_token
        if not (self.cache_enabled and token and installation.bot_user_id):
            return
        if token not in self.authorize_result_cache:
            self.authorize_result_cache[token] = AuthorizeResult(
                enterprise_id=installation.enterprise_id,
                team_id=installation.team_id,
                bot_id=installation.bot_id,
                bot_user_id=installation.bot_user_id,
                bot_token=token,
                bot_scopes=installation.bot_scopes,
            )


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


def bolt_oauth(
    settings: Settings,
    workspaces: Workspaces | None,
    states: OAuthStateStore | None,
    client: WebClient,
    *,
    not_installed_raises: bool = False,
) -> dict[str, Any]:
    """`App(**bolt_oauth(...))`'s OAuth arguments; {} with a single SLACK_BOT_TOKEN.

    The installation store goes to `App` itself too, and `authorize` is ours: Bolt 1.30's
    `OAuthSettings` would otherwise refresh tokens with a default client on slack.com.
    `not_installed_raises`: see `LockingAuthorize`.
    """
    if workspaces is None or not (settings.slack_client_id and settings.slack_client_secret):
        return {}
    import logging

    from slack_bolt.oauth.oauth_settings import OAuthSettings

    oauth_settings = OAuthSettings(
        client_id=settings.slack_client_id,
        client_secret=settings.slack_client_secret,
        scopes=settings.scopes,
        installation_store=workspaces.store,
        state_store=states,
        state_expiration_seconds=STATE_TTL_SECONDS,
        authorization_url=settings.slack_web_url + "oauth/v2/authorize",
        token_rotation_expiration_minutes=settings.token_refresh_minutes,
    )
    authorize = LockingAuthorize(
        refresher=workspaces.refresher,
        logger=logging.getLogger("slack_bolt.authorize"),
        installation_store=workspaces.store,
        client_id=settings.slack_client_id,
        client_secret=settings.slack_client_secret,
        client=client,
        cache_enabled=True,  # one auth.test per token, not one per request
        not_installed_raises=not_installed_raises,
    )
    return {
        "oauth_settings": oauth_settings,
        "installation_store": workspaces.store,
        "authorize": authorize,
    }
