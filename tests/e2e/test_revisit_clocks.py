"""Real `ragft clock` processes on one Redis: every nudge goes out once, even through crashes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import redis

from bot.standin.server import SlackStandIn
from conversations.storage.interviews import InterviewStore
from conversations.storage.revisits import RevisitQueue
from tests.bot.test_revisit_sender import TEAM, make_record

pytestmark = pytest.mark.slow
REPO = Path(__file__).resolve().parents[2]


class SlowStandIn(SlackStandIn):
    """The stand-in, taking `delay` seconds per call so a clock is caught mid-batch."""

    delay = 0.0

    def handle(self, method: str, args: dict[str, Any], headers: dict[str, str]) -> Any:
        time.sleep(self.delay)
        return super().handle(method, args, headers)


@pytest.fixture
def standin() -> Iterator[SlowStandIn]:
    with SlowStandIn() as server:
        yield server


@pytest.fixture
def start_clock(
    standin: SlackStandIn, redis_url: str, tmp_path: Path
) -> Iterator[Callable[..., subprocess.Popen[bytes]]]:
    """Start `ragft clock` processes on the test Redis and the stand-in; killed afterwards."""
    procs: list[subprocess.Popen[bytes]] = []
    env = {
        **{
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("SLACK_", "REDIS_", "REVISIT_"))
        },
        "REDIS_URL": redis_url,
        "SLACK_API_URL": standin.api_url,
        "SLACK_BOT_TOKEN": "xoxb-fake-token",
        "REVISIT_TICK_SECONDS": "0.2",  # lease = 10 ticks = 2 s
        "LOG_FORMAT": "json",
        "RAGFT_DATA_DIR": str(tmp_path),
    }

    def start(**extra: str) -> subprocess.Popen[bytes]:
        log = open(tmp_path / f"clock-{len(procs)}.log", "wb")  # noqa: SIM115 - the child owns it
        proc = subprocess.Popen(
            [sys.executable, "-m", "bot.cli", "clock"],
            env={**env, **extra},
            cwd=REPO,
            stdout=log,
            stderr=log,
            start_new_session=True,
        )
        procs.append(proc)
        return proc

    yield start
    for proc in procs:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(5)


def seed(redis_client: redis.Redis, count: int, due: float) -> list[str]:
    store, queue = InterviewStore(redis_client), RevisitQueue(redis_client)
    ids = [f"r{i:03d}" for i in range(count)]
    for aid in ids:
        store.save_assessment(make_record(aid, owner=f"U{aid}"))
        queue.schedule(TEAM, aid, due)
    return ids


def deliveries(standin: SlackStandIn) -> Counter[tuple[str, str]]:
    """(assessment_id, "dm" | "thread") -> how many nudges were posted."""
    counts: Counter[tuple[str, str]] = Counter()
    for call in standin.calls_to("chat.postMessage"):
        if call.response.get("ok") and (call.args.get("metadata") or {}).get("event_type") == (
            "ragft_revisit"
        ):
            aid = call.args["metadata"]["event_payload"]["assessment_id"]
            counts[(aid, "thread" if call.args.get("thread_ts") else "dm")] += 1
    return counts


def wait_delivered(standin: SlackStandIn, ids: list[str], timeout: float = 60) -> None:
    wanted = {(aid, target) for aid in ids for target in ("dm", "thread")}
    standin.wait_for(lambda: wanted <= set(deliveries(standin)), timeout=timeout)
    standin.wait_quiet(quiet=1.0, timeout=timeout)


def test_two_clocks_send_each_of_200_revisits_exactly_once(
    standin: SlowStandIn, redis_client: redis.Redis, start_clock: Callable[[], Any]
) -> None:
    """Two clocks racing over 200 due revisits post each DM and each thread reply exactly once."""
    start_clock()
    start_clock()
    ids = seed(redis_client, 200, time.time() - 1)
    wait_delivered(standin, ids)
    counts = deliveries(standin)
    assert len(counts) == 400 and set(counts.values()) == {1}
    assert RevisitQueue(redis_client).pending_count() == 0


def test_a_clock_killed_mid_batch_leaves_its_work_to_another(
    standin: SlowStandIn, redis_client: redis.Redis, start_clock: Callable[[], Any]
) -> None:
    """After kill -9 mid-batch, another clock delivers what the dead one held, after its lease."""
    standin.delay = 0.01  # ~30 ms a revisit: the first batch takes seconds
    ids = seed(redis_client, 100, time.time() - 1)
    first = start_clock()
    standin.wait_for(lambda: len(deliveries(standin)) >= 20, timeout=30)
    os.killpg(first.pid, signal.SIGKILL)
    first.wait(10)
    held = RevisitQueue(redis_client).redis.zcard(RevisitQueue(redis_client).lease_key)
    assert held > 0  # the dead clock still held part of its batch
    standin.delay = 0.0
    start_clock()
    wait_delivered(standin, ids)
    counts = deliveries(standin)
    assert len(counts) == 200
    # Only a post in flight at the instant of the kill can be repeated.
    assert sum(counts.values()) - len(counts) <= 1


def test_revisits_due_while_every_clock_was_down_go_out_once_when_one_returns(
    standin: SlowStandIn, redis_client: redis.Redis, start_clock: Callable[[], Any]
) -> None:
    """Nothing is lost while no clock runs: the first clock back sends the backlog, once each."""
    ids = seed(redis_client, 30, time.time() + 0.5)
    time.sleep(1.0)  # the due time passes with no clock running
    assert deliveries(standin) == Counter()
    start_clock()
    wait_delivered(standin, ids)
    assert set(deliveries(standin).values()) == {1} and len(deliveries(standin)) == 60
