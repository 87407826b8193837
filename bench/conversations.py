"""Benchmark the interview store: Redis round trips per answer and answers/second.

Run: `.venv/bin/python bench/conversations.py [interviews]`. Starts its own embedded Redis.
The baseline is a raw GET+SET loop on the same server, measured in the same run; the
aim is <= 3 round trips per answer and >= 1/3 of the baseline's rate.
"""

from __future__ import annotations

import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

# Run as a script, bench/ comes first on sys.path and this file would shadow `conversations`.
sys.path[0] = str(Path(__file__).resolve().parents[1])

import redis  # noqa: E402 (after the sys.path fix above)

from conversations import InterviewStore, ThreadKey, connect  # noqa: E402

SCRIPT = {
    "workload_name": "billing answers",
    "deployment": "prod",
    "domain": "general",
    "task": "generation",
    "knowledge": "corpus",
    "freshness": "daily",
    "prompt_pass": "yes",
    "baseline_pct": "about 70",
    "gaps": "format and refusal",
    "quality_target_pct": "88%",
    "frontier_ok": "yes",
    "repeat_queries": "often",
    "requests_per_day": "10k",
    "tokens_per_request": "skip",
    "model": "my own price",
    "price_per_mtok": "$4.50",
    "engineer_quarter_usd": "60k",
    "another_workload": "no",
}


class CountingConnection(redis.UnixDomainSocketConnection):
    """Counts every write of a command batch to the socket: one per round trip."""

    sent = 0

    def send_packed_command(self, command: Any, check_health: bool = True) -> None:
        CountingConnection.sent += 1
        super().send_packed_command(command, check_health)


def baseline(client: redis.Redis, n: int) -> float:
    """Seconds for n raw GET+SET pairs (one read-modify-write each, no transaction)."""
    client.set("bench:raw", "x" * 2000)
    began = time.perf_counter()
    for _ in range(n):
        value = client.get("bench:raw")
        client.set("bench:raw", value or b"")
    return time.perf_counter() - began


def run_interviews(store: InterviewStore, count: int, *, as_bot: bool) -> tuple[int, float, int]:
    """Answer `count` whole interviews; returns (answers, seconds, round trips while answering)."""
    answers, spent, trips = 0, 0.0, 0
    for index in range(count):
        thread = ThreadKey("TBENCH", "C1", f"{1_700_000_000 + index}.000100")
        outcome = store.start(thread, "U1", name=f"bench {index}")
        tick = 0
        while outcome.state is not None and outcome.state.current is not None:
            current = outcome.state.current
            tick += 1
            began, sent = time.perf_counter(), CountingConnection.sent
            ask_id, delivery = current.ask_id, f"Ev{index}-{tick}"
            view = None
            if as_bot:  # the Slack path: the thread's view, the reply matched to its question
                view = store.view(thread, delivery)
                reply_ts = f"{1_700_000_000 + index}.{tick * 10 + 5:06d}"
                ask_id = view.ask_for_reply(reply_ts) or ask_id
            outcome = store.apply(
                thread,
                text=SCRIPT[current.question_id],
                ask_id=ask_id,
                delivery_id=delivery,
                view=view,
            )
            if as_bot:  # delivered: the next question's message recorded with the mark
                asked = {}
                if outcome.state is not None and outcome.state.current is not None:
                    next_ts = f"{1_700_000_000 + index}.{(tick + 1) * 10:06d}"
                    asked = {outcome.state.current.ask_id: next_ts}
                store.delivered(thread, delivery, asked)
            spent += time.perf_counter() - began
            trips += CountingConnection.sent - sent
            answers += 1
    return answers, spent, trips


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    with tempfile.TemporaryDirectory(prefix="ragft-bench-") as tmp:
        handle = connect(None, Path(tmp))
        try:
            socket = handle.url.removeprefix("unix://")
            pool = redis.ConnectionPool(connection_class=CountingConnection, path=socket)
            client = redis.Redis(connection_pool=pool)
            store = InterviewStore(client, clock=lambda: datetime(2026, 3, 5, tzinfo=UTC))
            run_interviews(store, 5, as_bot=False)  # warm up: scripts loaded, engine imported
            client.flushall()

            answers, seconds, sent = run_interviews(store, count, as_bot=False)
            trips, rate = sent / answers, answers / seconds
            bot_answers, bot_seconds, bot_sent = run_interviews(store, count, as_bot=True)
            bot_trips = bot_sent / bot_answers

            raw_seconds = baseline(client, answers)
            raw_rate = answers / raw_seconds
            client.close()
        finally:
            handle.close()
    print(f"answers: {answers} in {count} interviews")
    print(f"round trips per answer (store.apply): {trips:.2f}  (aim <= 3)")
    print(f"round trips per answer as the bot does it (view, apply, delivered): {bot_trips:.2f}")
    print(f"answers/second: {rate:,.0f}; with the bot's lookups: {bot_answers / bot_seconds:,.0f}")
    print(f"raw GET+SET pairs/second (baseline, same run): {raw_rate:,.0f}")
    print(f"ratio answers/baseline: {rate / raw_rate:.2f}  (aim >= 0.33)")


if __name__ == "__main__":
    main()
