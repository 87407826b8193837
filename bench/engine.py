"""Full assessments (rules, alternatives, break-even, flips, JSON) per second on one core.

An assessment runs once, after an interview's last answer, so the aim is that it stays a few
milliseconds: measured on 2,000 distinct profiles, each assessed once, 3 passes (the engine
keeps no cache, so a profile seen before costs what a new one does).

The baseline, measured in the same run between the passes, is a bare `parse_profile`.
Run: .venv/bin/python bench/engine.py [seconds-per-measure]
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

# Run as a script, this file's folder comes first on sys.path and its name would shadow `engine`.
sys.path[0] = str(Path(__file__).resolve().parents[1])

from engine import assess, parse_profile  # noqa: E402 (after the sys.path fix above)
from engine.profile import FIELDS  # noqa: E402

TARGET_MS = 5.0  # per one-workload assessment: a person waits on it after their last answer


def _profiles(n: int, seed: int = 7) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        w: dict[str, Any] = {"deployment": "production", "domain": "general", "task": "generation"}
        for spec in FIELDS[3:]:
            if spec.kind == "choice":
                w[spec.id] = rng.choice(spec.choices)
            elif spec.kind == "set":
                w[spec.id] = rng.sample(spec.choices, rng.randint(0, 3))
            elif spec.kind == "text":
                continue  # `model`: its default (custom); a catalogue model is priced apart
            elif spec.maximum is not None:
                w[spec.id] = rng.randint(0, 100) if spec.kind == "int" else rng.random()
            else:
                w[spec.id] = rng.randint(1, 100_000)
        if i % 10 == 0:
            w["task"] = "classification"
        out.append({"name": f"bench {i}", "workloads": [w]})
    return out


def _rate(
    fn: Callable[[dict[str, Any]], object], items: list[dict[str, Any]], seconds: float
) -> float:
    done, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        for item in items:
            fn(item)
        done += len(items)
    return done / (time.perf_counter() - start)


def _pass_rate(items: list[dict[str, Any]], full: Callable[[dict[str, Any]], object]) -> float:
    """One pass over the profiles, each once."""
    start = time.perf_counter()
    for item in items:
        full(item)
    return len(items) / (time.perf_counter() - start)


def main() -> None:
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 2.0
    fresh = _profiles(2000, seed=11)
    day = date(2026, 1, 1)

    def full(p: dict[str, Any]) -> object:
        return assess(p, decided_on=day).to_json()

    # Baseline and aim alternate, so that both see the same load on a busy machine.
    bases, passes = [], []
    for _ in range(3):
        bases.append(_rate(parse_profile, fresh[:1000], seconds / 4))
        passes.append(_pass_rate(fresh, full))
    base, aim = statistics.median(bases), statistics.median(passes)
    print(f"baseline parse_profile:            {base:9,.0f} /s  (median of 3)")
    print(f"AIM: full assessment, {len(fresh):,} distinct profiles (median of 3 passes):")
    print(
        f"                                   {aim:9,.0f} /s  ratio {aim / base:.3f} of baseline"
        f"  (passes: {', '.join(f'{u:,.0f}' for u in passes)})"
    )
    ms = 1000 / aim
    verdict = "met" if ms <= TARGET_MS else "NOT met"
    print(f"{ms:.2f} ms per assessment; target under {TARGET_MS:g} ms, one core: {verdict}")


if __name__ == "__main__":
    main()
