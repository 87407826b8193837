"""A flip's `also` names only answers the rules read: never a cost input, never a replaced one."""

from __future__ import annotations

from datetime import date
from typing import Any

from engine import assess
from engine.flips import COST_INPUTS

DAY = date(2026, 1, 1)
GEN: dict[str, Any] = {
    "deployment": "production",
    "domain": "general",
    "task": "generation",
    "knowledge": "none",
    "prompt_pass": "yes",
    "baseline_pct": 90,
    "gaps": [],
    "frontier_ok": "yes",
    "requests_per_day": 10,
}


def _flips(profile: dict[str, Any]) -> list[list[dict[str, Any]]]:
    return [w["flips"] for w in assess(profile, decided_on=DAY).to_json()["workloads"]]


def test_a_flip_into_generation_assumes_no_cost_input() -> None:
    """classification → generation asks volume and prices, yet `also` assumes none of them."""
    (flips,) = _flips(
        {
            "name": "a",
            "workloads": [
                {"deployment": "production", "domain": "general", "task": "classification"}
            ],
        }
    )
    task = next(f for f in flips if f["field"] == "task")
    assert task["to"] == "generation" and task["pattern"] == "prompting"
    assert task["also"]["knowledge"] == "none"
    assert not set(task["also"]) & COST_INPUTS


def test_the_assessments_engineer_cost_is_never_replaced() -> None:
    """With a shared engineer_quarter_usd of 90,000, no flip of any workload assumes another."""
    profile = {
        "name": "a",
        "engineer_quarter_usd": 90000,
        "workloads": [
            {"deployment": "research"},
            {"deployment": "production", "domain": "general", "task": "extraction"},
            {**GEN, "knowledge": "small_fixed"},
        ],
    }
    every = [f for flips in _flips(profile) for f in flips]
    assert any("also" in f for f in every)
    for flip in every:
        assert "engineer_quarter_usd" not in flip.get("also", {}), flip
        assert not set(flip.get("also", {})) & COST_INPUTS, flip
