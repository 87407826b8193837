"""Known-good cases (tests/engine/cases/*.json) run through the engine, one parametrized test."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from engine import assess
from engine.rules import RULES
from engine.vocabulary import PATTERNS

CASES_DIR = Path(__file__).parent / "cases"
CASES: list[dict[str, Any]] = [
    c for f in sorted(CASES_DIR.glob("*.json")) for c in json.loads(f.read_text())
]


def _run(workload: dict[str, Any]) -> dict[str, Any]:
    result = assess({"name": "case", "workloads": [workload]}, decided_on=date(2026, 1, 15))
    out: dict[str, Any] = result.to_json()["workloads"][0]
    return out


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_case(case: dict[str, Any]) -> None:
    """Each known case gives the expected pattern, rules, modifiers and hand-checked costs."""
    got = _run(case["workload"])
    expect = case["expect"]
    assert got["pattern"] == expect["pattern"]
    assert got["rules_fired"] == expect["rules_fired"]
    assert got["modifiers"] == expect["modifiers"]
    for key in ("behaviour", "knowledge"):
        if key in expect:
            assert got[key] == expect[key]
    for key in ("warnings", "risks", "notes"):
        if f"{key}_count" in expect:
            assert len(got[key]) == expect[f"{key}_count"], got[key]
    if "costs" not in expect:
        return
    if expect["costs"] is None:
        assert got["costs"] is None
        return
    for figure, pair in expect["costs"].get("recommended", {}).items():
        assert got["costs"]["recommended"][figure] == pytest.approx(pair), figure
    alts = {f"{a['behaviour']}/{a['knowledge']}": a for a in got["costs"]["alternatives"]}
    for key, even in expect["costs"].get("break_even", {}).items():
        assert alts[key]["break_even_requests_per_day"] == even, key


def test_cases_cover_every_rule_and_pattern() -> None:
    """The case files exercise every rule of the table and every pattern name at least once."""
    fired = {r for c in CASES for r in c["expect"]["rules_fired"]}
    patterns = {c["expect"]["pattern"] for c in CASES}
    assert {r.id for r in RULES} <= fired
    all_patterns = set(PATTERNS.values()) | {
        "no_llm",
        "out_of_scope_research",
        "out_of_scope_specialized",
    }
    assert all_patterns <= patterns


def test_cases_cover_the_boundaries() -> None:
    """Baselines 49/50/79/80 and quality targets 85/86/90/91 each appear in a case."""
    baselines = {c["workload"].get("baseline_pct") for c in CASES}
    qualities = {c["workload"].get("quality_target_pct") for c in CASES}
    assert {49, 50, 79, 80} <= baselines
    assert {85, 86, 90, 91} <= qualities
