"""Full assessments (rules, alternatives, break-even, flips, JSON) per second on one core.

The aim (issue 2) is measured on never-seen profiles: 6,000 distinct ones, every cache emptied
before each pass, each profile assessed once (caches help only across profiles), 3 passes.
Warm: 500 distinct profiles cycled, caches kept. Cleared: every cache emptied before each one.

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
from engine.costs import _rounded, components, workload_costs  # noqa: E402
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


def _rate(
    fn: Callable[[dict[str, Any]], object], items: list[dict[str, Any]], seconds: float
) -> float:
    done, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        for item in items:
            fn(item)
        done += len(items)
    return done / (time.perf_counter() - start)


def _clear_caches() -> None:
    for fn in (_decide_key, workload_costs, components, _rounded, _plan, _asked, _asked_at):
        fn.cache_clear()


def _unseen_rate(items: list[dict[str, Any]], full: Callable[[dict[str, Any]], object]) -> float:
    """One pass over profiles never seen before: every cache emptied first, each profile once."""
    _clear_caches()
    start = time.perf_counter()
    for item in items:
        full(item)
    return len(items) / (time.perf_counter() - start)


def main() -> None:
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 2.0
    profiles = _profiles(500)
    fresh = _profiles(6000, seed=11)  # each seen once per pass: caches only help across profiles
    day = date(2026, 1, 1)

    def full(p: dict[str, Any]) -> object:
        return assess(p, decided_on=day).to_json()

    def cold(p: dict[str, Any]) -> object:
        _clear_caches()
        return full(p)

    # Baseline and aim alternate, so that both see the same load on a busy machine.
    bases, unseen = [], []
    for _ in range(3):
        bases.append(_rate(parse_profile, fresh[:1000], seconds / 4))
        unseen.append(_unseen_rate(fresh, full))
    base, aim = statistics.median(bases), statistics.median(unseen)
    warm = _rate(full, profiles, seconds)
    uncached = _rate(cold, profiles, seconds)
    print(f"baseline parse_profile:            {base:9,.0f} /s  (median of 3)")
    print(f"full assessment, warm caches:      {warm:9,.0f} /s  ratio {warm / base:.3f}")
    print(f"full assessment, caches cleared:   {uncached:9,.0f} /s  ratio {uncached / base:.3f}")
    print(f"AIM: full assessment, {len(fresh):,} never-seen profiles (median of 3 passes):")
    print(
        f"                                   {aim:9,.0f} /s  ratio {aim / base:.3f} of baseline"
        f"  (passes: {', '.join(f'{u:,.0f}' for u in unseen)})"
    )
    verdict = "met" if aim >= TARGET else "NOT met"
    print(f"target {TARGET:,}/s on never-seen profiles, one core: {verdict}")


if __name__ == "__main__":
    main()
