"""A workspace's data as a whole: deleting all of it (an admin's purge, or the end of the
retention period after an uninstall)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from conversations.storage import keys
from conversations.storage._redis import as_str, redis_errors

if TYPE_CHECKING:
    import redis

__all__ = ["purge_team"]


def purge_team(
    redis_client: redis.Redis, team: str, cancel_revisit: Callable[[str, str], None]
) -> int:
    """Delete every key of the workspace's data (not its installation) and its revisits;
    the number of keys deleted."""
    kept = (keys.installation_pattern(team).removesuffix("*"), keys.workspace(team))
    deleted = 0
    with redis_errors():
        found = [
            key
            for key in (as_str(k) for k in redis_client.scan_iter(match=keys.team_pattern(team)))
            if not key.startswith(kept)
        ]
        marker = keys.assessment(team, "")
        for key in found:
            if key.startswith(marker):
                cancel_revisit(team, key.removeprefix(marker))
        for start in range(0, len(found), 500):
            deleted += int(redis_client.delete(*found[start : start + 500]))
        redis_client.zrem(keys.DEPARTED, team)
        redis_client.hdel(keys.workspace(team), "departed_at")
    return deleted
