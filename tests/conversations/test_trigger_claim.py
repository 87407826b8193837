"""A start's trigger is claimed once, and a call sent again still owns its own claim (B8)."""

from __future__ import annotations

from typing import Any

import redis

from conversations import InterviewStore


class ResendingRedis(redis.Redis):
    """Sends every command twice, as redis-py does when the first send timed out after it
    had reached Redis (a frozen server that resumes): the caller sees the second answer."""

    def execute_command(self, *args: Any, **options: Any) -> Any:
        super().execute_command(*args, **options)
        return super().execute_command(*args, **options)


def test_a_resent_claim_finds_its_own_first_write(redis_url: str, redis_client: Any) -> None:
    """`/ragft assess` while Redis froze: the claim's retry is still the claim (was: a replay)."""
    store = InterviewStore(ResendingRedis.from_url(redis_url))
    assert store.claim_trigger("T1", "1.abc")


def test_a_second_call_for_the_same_trigger_is_refused(redis_client: redis.Redis) -> None:
    """Two deliveries of one start (a Slack retry, a double press): one wins."""
    store = InterviewStore(redis_client)
    assert store.claim_trigger("T1", "1.abc")
    assert not store.claim_trigger("T1", "1.abc")
    assert store.claim_trigger("T1", "1.other")
    assert store.claim_trigger("T2", "1.abc")  # another workspace's trigger
