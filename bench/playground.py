"""The playground's reply time: how long each typed line takes to be answered on screen.

Run: .venv/bin/python bench/playground.py [--rounds 3]

Drives the real playground (the `ragft web` child, the stand-in, the embedded Redis) with a
scripted interview, timing each line from `say()` to its answer being printed: median and
worst. The baseline, measured in the same run against the same app, is the raw signed
request round trip (`/ragft help`: signed, sent, acknowledged), so the ratio says what the
playground adds on any machine. Nothing here is asserted; the figures are printed.
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import tempfile
import time
from pathlib import Path

# Run as a script, bench/ comes first on sys.path and bench/engine.py would shadow `engine`.
sys.path[0] = str(Path(__file__).resolve().parents[1])

from bot.log import configure_logging  # noqa: E402 (after the sys.path fix above)
from bot.playground.chat import CHANNEL, PLAYER, Playground  # noqa: E402
from bot.settings import Settings  # noqa: E402

# A full interview (a costed RAG workload), then the commands that answer privately.
SCRIPT = [
    "/ragft assess Bench bot",
    "answer questions from the help centre",
    "1",  # production
    "1",  # general
    "1",  # open-ended answers
    "3",  # a large collection
    "2",  # daily
    "1",  # measured
    "70",
    "1",  # tick: tone
    "5",  # tick: missing or stale facts
    "6",  # Done
    "skip",  # quality target 85 %
    "1",  # frontier acceptable
    "1",  # often repeated
    "5k",
    "2000",
    "7",  # my own price
    "$3",
    "60k",
    "2",  # no other workload: the recommendation
    "/ragft list",
    "/ragft help",
]


def baseline(playground: Playground, repeat: int) -> list[float]:
    """Signed `/ragft help` round trips: the app's quickest full answer over HTTP."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        response = playground.sender.command("help", user_id=PLAYER, channel_id=CHANNEL)
        times.append(time.perf_counter() - start)
        assert response.status == 200
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="scripted interviews to time")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ragft-bench-pg-") as tmp:
        data_dir = Path(tmp)
        configure_logging("json", stream=(data_dir / "bench.log").open("a"))
        settings = Settings.from_env({"RAGFT_DATA_DIR": str(data_dir)}, None)
        out = io.StringIO()
        playground = Playground(settings, out=out).start({})
        try:
            playground.say("/ragft help")  # warm up: the app's first request runs auth.test
            replies: list[float] = []
            ticks: list[float] = []
            for _ in range(args.rounds):
                for line in SCRIPT:
                    is_tick = line in ("1", "5") and any(
                        c.is_checkbox and c.key == line for c in playground.choices
                    )
                    start = time.perf_counter()
                    playground.say(line)
                    (ticks if is_tick else replies).append(time.perf_counter() - start)
            base = baseline(playground, repeat=max(20, len(replies)))
        finally:
            playground.close()
    timeouts = out.getvalue().count("no answer from the app")
    median, worst = statistics.median(replies), max(replies)
    base_median = statistics.median(base)
    print(f"lines answered:         {len(replies)} ({args.rounds} scripted interviews)")
    print(f"reply median:           {median * 1e3:.1f} ms")
    print(f"reply worst:            {worst * 1e3:.1f} ms")
    print(f"baseline (signed round trip, /ragft help) median: {base_median * 1e3:.1f} ms")
    print(f"ratio median/baseline:  {median / base_median:.1f}")
    print(f"ratio worst/baseline:   {worst / base_median:.1f}")
    print(f"lines that got no answer in time: {timeouts} (aim 0)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
