"""The revisit duplicate window (B7): real `ragft clock` processes, a slow or dying sender."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Callable
from typing import Any

import pytest
import redis

from tests.e2e.test_revisit_clocks import (
    SlowStandIn,
    deliveries,
    seed,
    standin,
    start_clock,
    wait_delivered,
)

__all__ = ["standin", "start_clock"]  # the fixtures, used by name
pytestmark = pytest.mark.slow


def test_a_send_slower_than_the_lease_is_not_taken_over(
    standin: SlowStandIn, redis_client: redis.Redis, start_clock: Callable[..., Any]
) -> None:
    """Slack takes 3 s a post, the lease is 2 s: the sending clock renews its hold, so the
    other clock does not send the same nudge again."""
    standin.slow(3.0, {"chat.postMessage"})
    start_clock()
    start_clock()
    ids = seed(redis_client, 3, time.time() - 1)
    wait_delivered(standin, ids, timeout=90)
    counts = deliveries(standin)
    assert len(counts) == 6 and set(counts.values()) == {1}, counts


def test_a_clock_killed_after_posting_is_not_followed_by_a_second_post(
    standin: SlowStandIn, redis_client: redis.Redis, start_clock: Callable[..., Any]
) -> None:
    """A clock is killed while its DM is on its way to Slack (the post lands, the "sent" mark
    is never written). The next clock looks in the DM first and finds it: one DM, one reply."""
    standin.slow(2.0, {"chat.postMessage"})
    ids = seed(redis_client, 1, time.time() - 1)
    first = start_clock()
    standin.wait_for_call("conversations.open", timeout=30)
    time.sleep(0.5)  # the DM's chat.postMessage is in flight
    os.killpg(first.pid, signal.SIGKILL)
    first.wait(10)
    standin.wait_for(lambda: deliveries(standin), timeout=10)  # the post landed all the same
    standin.slow(0)
    start_clock()
    wait_delivered(standin, ids, timeout=60)
    counts = deliveries(standin)
    assert dict(counts) == {(ids[0], "dm"): 1, (ids[0], "thread"): 1}
