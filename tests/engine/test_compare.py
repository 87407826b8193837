"""The re-assessment diff: patterns, moved answers, rules and costs, on the real engine."""

from __future__ import annotations

from datetime import date
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from engine import assess
from engine.compare import compare
from engine.result import AssessmentResult

DECIDED = date(2025, 1, 15)


def workload(name: str = "billing", **changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "name": name,
        "deployment": "production",
        "domain": "general",
        "task": "generation",
        "knowledge": "corpus",
        "prompt_pass": "yes",
        "baseline_pct": 85,
        "gaps": ["tone"],
        "frontier_ok": "yes",
        "requests_per_day": 10_000,
    }
    return {**base, **changes}


def profile(*workloads: dict[str, Any]) -> dict[str, Any]:
    return {"name": "Support bot", "workloads": list(workloads)}


def run(p: dict[str, Any]) -> AssessmentResult:
    return AssessmentResult.model_validate(assess(p, decided_on=DECIDED).to_json())


def test_nothing_moved_means_no_change() -> None:
    """The same answers a year later give a comparison that reports no change."""
    p = profile(workload())
    result = compare(run(p), run(p))
    assert not result.changed
    (w,) = result.workloads
    assert w.pattern_before == w.pattern_after == "rag_prompting"
    assert w.costs is not None and w.costs.year_one_delta == (0.0, 0.0)


def test_a_falling_baseline_with_a_format_gap_changes_pattern_rules_and_cost() -> None:
    """Baseline 85 → 40 with a format gap moves RAG+prompting to RAG+format fine-tune."""
    before = profile(workload())
    after = profile(workload(baseline_pct=40, gaps=["format"]))
    (w,) = compare(run(before), run(after)).workloads
    assert (w.pattern_before, w.pattern_after) == ("rag_prompting", "rag_ft_format")
    assert [(a.field, a.before, a.after) for a in w.answers_moved] == [
        ("baseline_pct", 85, 40),
        ("gaps", ["tone"], ["format"]),
    ]
    assert "B3" in w.rules_now_firing and "B2" in w.rules_no_longer_firing
    assert w.costs is not None and w.costs.year_one_delta[0] > 0


def test_an_answer_left_to_its_default_is_not_a_change() -> None:
    """Writing out a default (freshness = weekly) that was implicit last year moves nothing."""
    before = profile(workload())
    after = profile(workload(freshness="weekly"))
    assert not compare(run(before), run(after)).changed


def test_workloads_are_matched_by_name_and_new_or_dropped_ones_show() -> None:
    """Workloads pair up by name; last year's only is dropped, this year's only is new."""
    before = profile(workload("billing"), workload("triage", task="classification"))
    after = profile(workload("search", task="document_search"), workload("billing"))
    result = compare(run(before), run(after))
    by_name = {w.name: w for w in result.workloads}
    assert by_name["billing"].pattern_before == by_name["billing"].pattern_after
    assert by_name["triage"].pattern_after is None
    assert by_name["search"].pattern_before is None and by_name["search"].pattern_after == "no_llm"
    assert result.changed


def test_the_fresh_result_and_the_stored_json_compare_alike() -> None:
    """A fresh result and the one read back from its JSON give the same diff."""
    before, after = profile(workload()), profile(workload(requests_per_day=50_000))
    a, b = assess(before, decided_on=DECIDED), assess(after, decided_on=DECIDED)
    stored = AssessmentResult.model_validate
    assert compare(a, b) == compare(stored(a.to_json()), stored(b.to_json()))


@settings(max_examples=100, deadline=None)
@given(
    base_b=st.integers(0, 100),
    base_a=st.integers(0, 100),
    rpd_a=st.integers(0, 2_000_000),
    gaps=st.sets(st.sampled_from(["tone", "format", "refusal", "reasoning", "knowledge"])),
)
def test_swapping_sides_mirrors_the_diff(
    base_b: int, base_a: int, rpd_a: int, gaps: set[str]
) -> None:
    """Comparing after→before is the mirror image of before→after."""
    before = profile(workload(baseline_pct=base_b))
    after = profile(workload(baseline_pct=base_a, requests_per_day=rpd_a, gaps=sorted(gaps)))
    rb, ra = run(before), run(after)
    (fwd,) = compare(rb, ra).workloads
    (back,) = compare(ra, rb).workloads
    assert (fwd.pattern_before, fwd.pattern_after) == (back.pattern_after, back.pattern_before)
    assert set(fwd.rules_now_firing) == set(back.rules_no_longer_firing)
    assert [a.field for a in fwd.answers_moved] == [a.field for a in back.answers_moved]
    assert fwd.costs is not None and back.costs is not None
    assert fwd.costs.steady_state_delta == tuple(-x for x in back.costs.steady_state_delta)
    assert fwd.changed == back.changed
