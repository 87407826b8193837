"""The `ragft assess` text report and decision record on long names: linear, not quadratic.

The interview takes answers of up to 2,000 characters (the answer limit), and a profile file
can hold any name. Each case renders the support-bot example with the assessment and every
workload named by a string of that length; the baseline, measured in the same run, is the
same render with the example's own short names. The ratio should stay near 1 up to the
answer limit, and grow no faster than the name beyond it.

Run: .venv/bin/python bench/report.py
"""

from __future__ import annotations

import io
import json
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

# Run as a script, this file's folder comes first on sys.path and its name would shadow `engine`.
sys.path[0] = str(Path(__file__).resolve().parents[1])

from bot.cli.assess import print_report, report_console  # noqa: E402 (after the sys.path fix above)
from conversations.parsing import MAX_ANSWER_CHARS  # noqa: E402
from engine import assess, to_markdown  # noqa: E402

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "support-bot.json"


def _profile(length: int | None) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(EXAMPLE.read_text())
    if length is not None:
        data["name"] = "n" * length
        data["workloads"] = [{**w, "name": "w" * length} for w in data["workloads"]]
    return data


def _render(profile: dict[str, Any]) -> float:
    """Seconds to assess and render the text report and the record (best of three)."""
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        result = assess(profile, decided_on=date(2026, 1, 1))
        print_report(result, report_console(io.StringIO()))
        to_markdown(result)
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    base = _render(_profile(None))
    print(f"baseline (the example's own names): {base * 1000:.1f} ms")
    for length in (200, MAX_ANSWER_CHARS, 10 * MAX_ANSWER_CHARS, 50 * MAX_ANSWER_CHARS):
        took = _render(_profile(length))
        print(f"names of {length:>7,} characters: {took * 1000:7.1f} ms  ×{took / base:.2f}")


if __name__ == "__main__":
    main()
