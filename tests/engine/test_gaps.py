"""Every gap a workload reported is answered: what in the chosen option closes it, and why."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings

from engine import AssessmentResult, assess, parse_workload, to_markdown
from engine.gaps import gaps_answered
from engine.rules import decide
from tests.engine.test_properties import workloads

DAY = date(2026, 1, 1)
EXAMPLES = sorted(Path(__file__).parents[2].joinpath("examples").glob("*.json"))
BASE: dict[str, Any] = {
    "deployment": "production",
    "domain": "general",
    "task": "generation",
    "knowledge": "corpus",
    "prompt_pass": "yes",
    "frontier_ok": "yes",
    "requests_per_day": 8000,
}


def _workload(**answers: Any) -> dict[str, Any]:
    data = assess({"name": "g", "workloads": [{**BASE, **answers}]}, decided_on=DAY).to_json()
    workload: dict[str, Any] = data["workloads"][0]
    return workload


def test_a_format_gap_at_85_percent_is_answered_by_structured_output() -> None:
    """The trial's case: B2 keeps prompting, and the answer names structured output, schema
    decoding and a format fine-tune only as the fallback, citing B2."""
    w = _workload(baseline_pct=85, gaps=["format", "knowledge"], quality_target_pct=92)
    assert w["pattern"] == "rag_prompting"
    by_gap = {g["gap"]: g for g in w["gaps_answered"]}
    assert list(by_gap) == ["format", "knowledge"]
    assert by_gap["format"]["rule"] == "B2"
    assert "schema-constrained decoding" in by_gap["format"]["answer"]
    assert "fallback" in by_gap["format"]["answer"]
    assert by_gap["knowledge"]["rule"] == "K3"


def test_a_tone_gap_says_why_it_is_not_structural() -> None:
    """At 40 % with only tone, prompting stays, and the answer says tone is not structural,
    as our reading rather than a rule."""
    (tone,) = _workload(baseline_pct=40, gaps=["tone"])["gaps_answered"]
    assert tone["gap"] == "tone" and tone["rule"] is None
    assert "not a structural gap" in tone["answer"] and "our reading" in tone["answer"]


def test_a_tuned_option_closes_the_structural_gaps_it_was_chosen_for() -> None:
    """Below 50 % with format and reasoning, the fine-tune closes both, citing B3."""
    answered = _workload(baseline_pct=40, gaps=["format", "reasoning"])["gaps_answered"]
    assert [(g["gap"], g["rule"]) for g in answered] == [("format", "B3"), ("reasoning", "B3")]
    assert all("fine-tune" in g["answer"] for g in answered)


def test_no_gap_reported_gives_an_empty_list() -> None:
    """A workload without gaps has `gaps_answered: []`; a no-LLM workload too."""
    assert _workload(baseline_pct=90, gaps=[])["gaps_answered"] == []
    assert _workload(task="classification")["gaps_answered"] == []


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_every_example_answers_each_reported_gap_everywhere(path: Path) -> None:
    """In every shipped example each reported gap has one answer, in the JSON, the result read
    back from it and the decision record."""
    data = assess(json.loads(path.read_text()), decided_on=DAY)
    typed = AssessmentResult.model_validate(data.to_json())
    record = to_markdown(typed)
    for w, t in zip(data.workloads, typed.workloads, strict=True):
        reported = set(w.answers.get("gaps") or ()) if w.behaviour else set()
        assert {g.gap for g in w.gaps_answered} == reported
        assert t.gaps_answered == w.gaps_answered
        for g in t.gaps_answered:
            assert g.answer in record


@settings(max_examples=300, deadline=None)
@given(workloads)
def test_every_reported_gap_has_exactly_one_answer(w: dict[str, Any]) -> None:
    """For any workload with a behaviour, one answer per reported gap in id order, each citing
    a rule that fired (or none, for our own reading)."""
    facts = parse_workload(w).answers()
    d = decide(facts)
    answered = gaps_answered(d, facts)
    if d.behaviour is None:
        assert answered == ()
        return
    order = ["tone", "format", "refusal", "reasoning", "knowledge"]
    assert [g.gap for g in answered] == [g for g in order if g in facts.get("gaps", ())]
    for g in answered:
        assert g.answer and (g.rule is None or g.rule in d.fired), g
