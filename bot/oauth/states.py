"""OAuth states in Redis (slack_sdk's `OAuthStateStore`): each state is used once (`GETDEL`)
and expires; a forged or replayed state is refused."""

from __future__ import annotations

import secrets
from logging import Logger
from typing import TYPE_CHECKING, Any

from slack_sdk.oauth.state_store import OAuthStateStore

from conversations.storage import keys, redis_errors

if TYPE_CHECKING:
    import redis

__all__ = ["STATE_TTL_SECONDS", "RedisOAuthStateStore"]

STATE_TTL_SECONDS = 600


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
