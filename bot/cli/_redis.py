"""Connecting the processes to the Redis the settings name, and checking it is safe to use."""

from __future__ import annotations

from bot.log import get_logger
from bot.settings import Settings
from conversations.storage.connection import RedisHandle, connect, eviction_policies

log = get_logger(__name__)


def connect_redis(settings: Settings) -> RedisHandle:
    """The settings' Redis (standalone, cluster, sentinel, or embedded); warns when it may evict.

    Raises StoreUnavailable when it cannot be reached.
    """
    handle = connect(
        settings.redis_url,
        settings.data_dir,
        mode=settings.redis_mode,
        sentinel_master=settings.redis_sentinel_master,
        socket_timeout=settings.redis_socket_timeout,
    )
    warn_unless_noeviction(handle)
    return handle


def warn_unless_noeviction(handle: RedisHandle) -> None:
    """Log loudly when a primary's `maxmemory-policy` is not `noeviction`: under memory pressure
    Redis would then delete interviews, decisions and revisits without a word."""
    policies = eviction_policies(handle.client)
    if policies is None:
        log.info("redis_eviction_policy_unknown", hint="CONFIG GET is not allowed; set noeviction")
        return
    evicting = {node: policy for node, policy in policies.items() if policy != "noeviction"}
    if evicting:
        log.warning(
            "REDIS_MAY_EVICT_DATA",
            policies=evicting,
            hint="set maxmemory-policy noeviction, or Redis may delete decisions and revisits",
        )
