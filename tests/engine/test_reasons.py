"""Each fired rule's reason fits the path the decision took: no reason contradicts the pattern."""

from __future__ import annotations

from datetime import date
from typing import Any

from hypothesis import given, settings

from engine import assess, parse_workload
from engine.rules import decide, explain
from tests.engine.test_properties import workloads

DAY = date(2026, 1, 1)
BASE: dict[str, Any] = {
    "deployment": "production",
    "domain": "general",
    "task": "generation",
    "knowledge": "corpus",
    "prompt_pass": "yes",
    "frontier_ok": "yes",
    "requests_per_day": 3000,
}


def _reasons(**answers: Any) -> dict[str, str]:
    w = assess({"name": "r", "workloads": [{**BASE, **answers}]}, decided_on=DAY).workloads[0]
    return {t.rule: t.reason for t in w.trace}


def test_b4_with_a_refusal_gap_keeps_prompting_in_its_reason() -> None:
    """At 65 % with a refusal gap the decision is prompting, and B4's reason says so."""
    reason = _reasons(baseline_pct=65, gaps=["refusal"])["B4"]
    assert "keep prompting" in reason
    assert "format-only fine-tune" not in reason


def test_b4_reason_names_k5_when_the_quality_target_widens_the_fine_tune() -> None:
    """The shipped knowledge assistant ends in a full fine-tune: B4 hands over to K5 in words."""
    reasons = _reasons(baseline_pct=65, gaps=["refusal", "reasoning"], quality_target_pct=95)
    assert "(K5)" in reasons["B4"]
    assert "refusal and reasoning gaps you reported" in reasons["K5"]


def test_k5_reason_names_only_the_gaps_that_were_reported() -> None:
    """K5 widens to a full fine-tune with only a format gap: its reason never speaks of a
    reasoning gap that nobody reported (the trial's K5 slip)."""
    reasons = _reasons(baseline_pct=65, gaps=["format"], quality_target_pct=95)
    assert "output-format gap you reported" in reasons["K5"]
    assert "reasoning" not in reasons["K5"]
    no_gap = _reasons(baseline_pct=60, gaps=["tone"], quality_target_pct=95)["K5"]
    assert "reasoning" not in no_gap and "format" not in no_gap


def test_k5_reason_has_no_fine_tune_when_the_baseline_is_80_or_more() -> None:
    """With an 85 % baseline K5 adds no fine-tune, and its reason says it adds none."""
    reason = _reasons(baseline_pct=85, gaps=[], quality_target_pct=95)["K5"]
    assert "no fine-tune" in reason


@settings(max_examples=300, deadline=None)
@given(workloads)
def test_an_overridden_behaviour_rule_names_the_rule_that_took_over(w: dict[str, Any]) -> None:
    """A B rule whose behaviour K5 or D1 replaced says so, naming that rule, in its reason."""
    facts = parse_workload(w).answers()
    d = decide(facts)
    for rule, reason in zip(d.fired, explain(d, facts), strict=True):
        if rule in ("B1", "B2", "B3", "B4", "B5") and d.behaviour_rule not in (rule, None):
            assert f"({d.behaviour_rule})" in reason, (rule, reason)
        if rule == "K5":
            assert ("fine-tune on" in reason) == (d.behaviour_rule == "K5"), reason
