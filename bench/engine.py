"""Full assessments (rules, alternatives, break-even, flips, JSON) per second on one core.

Warm: 500 distinct profiles cycled, caches kept. Cleared: every cache emptied before each one.

The baseline, measured in the same run, is a bare `parse_profile` of the same profiles.
Run: .venv/bin/python bench/engine.py [seconds-per-measure]
"""

from __future__ import annotations

import random
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

# Run as a script, this file's folder comes first on sys.path and its name would shadow `engine`.
sys.path[0] = str(Path(__file__).resolve().parents[1])

from engine import assess, parse_profile  # noqa: E402 (after the sys.path fix above)
from engine.costs import workload_costs  # noqa: E402
from engine.flips import _asked, _asked_at, _plan  # noqa: E402
from engine.profile import FIELDS  # noqa: E402
from engine.rules import _decide_key  # noqa: E402

TARGET = 2000


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
            elif spec.id in ("baseline_pct", "quality_target_pct"):
                w[spec.id] = rng.randint(0, 100)
            else:
                w[spec.id] = rng.randint(1, 100_000)
        if i % 10 == 0:
            w["task"] = "classification"
        out.append({"name": f"bench {i}", "workloads": [w]})
    return out


def _rate(fn: Callable[[dict[str, Any]], object], items: list[dict[str, Any]],
          seconds: float) -> float:  # fmt: skip
    done, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        for item in items:
            fn(item)
        done += len(items)
    return done / (time.perf_counter() - start)


def main() -> None:
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 2.0
    profiles = _profiles(500)
    day = date(2026, 1, 1)

    def full(p: dict[str, Any]) -> object:
        return assess(p, decided_on=day).to_json()

    def cold(p: dict[str, Any]) -> object:
        _decide_key.cache_clear()
        workload_costs.cache_clear()
        _plan.cache_clear()
        _asked_at.cache_clear()
        _asked.cache_clear()
        return full(p)

    fresh = _profiles(6000, seed=11)  # each seen once: caches only help across profiles
    start = time.perf_counter()
    for p in fresh:
        full(p)
    unseen = len(fresh) / (time.perf_counter() - start)
    base = _rate(parse_profile, profiles, seconds)
    warm = _rate(full, profiles, seconds)
    uncached = _rate(cold, profiles, seconds)
    print(f"baseline parse_profile:          {base:10,.0f} /s")
    print(f"full assessment (warm caches):   {warm:10,.0f} /s  ratio {warm / base:.3f} of baseline")
    print(f"full assessment (unseen profiles):{unseen:9,.0f} /s  ratio {unseen / base:.3f}")
    print(f"full assessment (caches cleared):{uncached:10,.0f} /s  ratio {uncached / base:.3f}")
    print(f"target {TARGET:,}/s on unseen profiles: {'met' if unseen >= TARGET else 'NOT met'}")


if __name__ == "__main__":
    main()
