"""Short cuts give what the plain path gives: answers without models, flips per interval."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from engine import assess, parse_profile, parse_workload
from engine.answers import profile_answers
from engine.flips import find_flips
from engine.profile import ASKED_EDGES
from engine.rules import EDGES, decide
from tests.engine.test_properties import workloads

DAY = date(2026, 1, 1)


@settings(max_examples=150, deadline=None)
@given(st.lists(workloads, min_size=1, max_size=3))
def test_profile_answers_are_the_parsed_models_answers(ws: list[dict[str, Any]]) -> None:
    """Assessing a mapping (no models built) equals assessing its parsed AssessmentProfile."""
    data = {"name": "p", "workloads": ws}
    parsed = parse_profile(data)
    name, answers = profile_answers(data)
    assert (name, answers) == (parsed.name, [(w.name, w.answers()) for w in parsed.workloads])
    from_mapping = assess(data, decided_on=DAY).to_json()
    # Only a mapping says which fields its workloads left to their defaults.
    for w, stated in zip(from_mapping["workloads"], ws, strict=True):
        assert w.pop("defaulted") == [k for k in w["answers"] if k not in stated]
    assert from_mapping == assess(parsed, decided_on=DAY).to_json()


def _nearest_flip(facts: dict[str, Any], field: str) -> int | None:
    """The contract spelt out: numbers searched outward, the lower one first on a tie."""
    pattern, cur = decide(facts).pattern, facts[field]
    order = sorted((v for v in range(0, 101) if v != cur), key=lambda v: (abs(v - cur), v))
    return next((v for v in order if decide({**facts, field: v}).pattern != pattern), None)


@settings(max_examples=150, deadline=None)
@given(workloads)
def test_quality_target_flip_is_the_nearest(w: dict[str, Any]) -> None:
    """quality_target_pct flips at the nearest value that changes the pattern, lower on a tie."""
    facts = parse_workload(w).answers()
    if "quality_target_pct" not in facts:
        return
    got = [f for f in find_flips(facts) if f["field"] == "quality_target_pct"]
    want = _nearest_flip(facts, "quality_target_pct")
    assert [f["to"] for f in got] == ([] if want is None else [want])
    assert all(f["from"] == facts["quality_target_pct"] for f in got)


@settings(max_examples=150, deadline=None)
@given(workloads, st.integers(0, 100), st.integers(0, 100))
def test_other_flips_do_not_depend_on_numbers_within_an_interval(
    w: dict[str, Any], baseline: int, quality: int
) -> None:
    """Numbers in one of the rules' intervals give the same flips for every other field."""
    facts = parse_workload(w).answers()
    other = dict(facts)
    for field, value in (("baseline_pct", baseline), ("quality_target_pct", quality)):
        cuts = (*EDGES[field], *ASKED_EDGES.get(field, ()))
        if field in facts and _interval(value, cuts) == _interval(facts[field], cuts):
            other[field] = value
    numbers = ("baseline_pct", "quality_target_pct")
    assert [f for f in find_flips(facts) if f["field"] not in numbers] == [
        f for f in find_flips(other) if f["field"] not in numbers
    ]


def _interval(value: int, edges: tuple[int, ...]) -> int:
    return sum(value >= e for e in edges)


def test_editing_one_result_leaves_the_next_alone() -> None:
    """Flips and break-evens are a result's own: a caller's edit never reaches another result."""
    w = {
        "deployment": "production",
        "domain": "general",
        "task": "generation",
        "knowledge": "small_fixed",
        "prompt_pass": "yes",
        "baseline_pct": 70,
        "gaps": ["format"],
        "frontier_ok": "yes",
        "requests_per_day": 100,
    }
    first = assess(w, decided_on=DAY).to_json()["workloads"][0]
    for flip in first["flips"]:
        for key in ("from", "to"):
            if isinstance(flip[key], list):
                flip[key].append("edited")
        flip.get("also", {})["edited"] = True
    for alt in first["costs"]["alternatives"]:
        if isinstance(alt["break_even_requests_per_day"], dict):
            alt["break_even_requests_per_day"]["edited"] = 1
    again = assess(w, decided_on=DAY).to_json()["workloads"][0]
    assert "edited" not in json.dumps(again)
    assert any("also" in f for f in again["flips"])
    assert any(
        isinstance(a["break_even_requests_per_day"], dict) for a in again["costs"]["alternatives"]
    )
