"""Properties over generated profiles: one pattern each, flips that hold, costs that grow."""

from __future__ import annotations

from datetime import date
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from engine import assess, parse_workload
from engine.flips import COST_INPUTS
from engine.profile import FIELDS
from engine.rules import decide
from engine.vocabulary import PATTERNS

ALL_PATTERNS = set(PATTERNS.values()) | {
    "no_llm",
    "out_of_scope_research",
    "out_of_scope_specialized",
}


def _value(spec: Any) -> st.SearchStrategy[Any]:
    if spec.kind == "choice":
        return st.sampled_from(spec.choices)
    if spec.kind == "set":
        return st.lists(st.sampled_from(spec.choices), unique=True, max_size=5)
    if spec.kind == "text":  # `model`: catalogue models are tested with a catalogue of
        return st.just("custom")  # their own (tests/engine/test_prices.py)
    if spec.id == "output_share":
        return st.floats(0, 1, allow_nan=False)
    if spec.id in ("baseline_pct", "quality_target_pct"):
        return st.integers(0, 100)
    if spec.kind == "int":
        return st.integers(int(spec.minimum or 0), 1_000_000)
    return st.floats(0, 200_000, allow_nan=False)


# Scope fields lean toward generation so most examples reach the interesting rules.
workloads = st.fixed_dictionaries(
    {s.id: _value(s) for s in FIELDS if s.id not in ("deployment", "domain", "task")}
).flatmap(
    lambda rest: st.fixed_dictionaries(
        {
            "deployment": st.sampled_from(["production"] * 9 + ["research"]),
            "domain": st.sampled_from(["general"] * 9 + ["specialized"]),
            "task": st.sampled_from(
                ["generation"] * 7 + ["classification", "extraction", "document_search"]
            ),
        }
    ).map(lambda head: {**head, **rest})
)


@settings(max_examples=200, deadline=None)
@given(workloads)
def test_every_valid_profile_has_exactly_one_pattern(w: dict[str, Any]) -> None:
    """Any valid workload gets one known pattern; with a baseline exactly one of B2–B5 fires."""
    facts = parse_workload(w).answers()
    d = decide(facts)
    assert d.pattern in ALL_PATTERNS
    if facts.get("prompt_pass") == "yes":
        assert sum(r in d.fired for r in ("B2", "B3", "B4", "B5")) == 1


@settings(max_examples=150, deadline=None)
@given(workloads)
def test_each_flip_applied_gives_its_pattern(w: dict[str, Any]) -> None:
    """Applying a flip's change (with its `also` answers) yields exactly the pattern it claims.

    `also` never names a cost input, so those come from the workload as written (`w`).
    """
    result = assess({"name": "p", "workloads": [w]}, decided_on=date(2026, 1, 1))
    wl = result.workloads[0]
    assert len({f.field for f in wl.flips}) == len(wl.flips)
    for flip in wl.flips:
        assert not set(flip.also) & COST_INPUTS, flip
        answers = {**w, **wl.answers}
        changed = {**answers, flip.field: flip.to, **flip.also}
        assert flip.pattern != wl.pattern
        assert decide(parse_workload(changed).answers()).pattern == flip.pattern, flip


@settings(max_examples=100, deadline=None)
@given(workloads)
def test_baseline_flip_is_the_nearest(w: dict[str, Any]) -> None:
    """The baseline_pct flip is the nearest value (lower first on a tie) changing the pattern."""
    facts = parse_workload(w).answers()
    if "baseline_pct" not in facts or "gaps" not in facts:
        return
    pattern = decide(facts).pattern
    cur = facts["baseline_pct"]
    order = sorted((v for v in range(0, 100) if v != cur), key=lambda v: (abs(v - cur), v))
    want = next((v for v in order if decide({**facts, "baseline_pct": v}).pattern != pattern), None)
    result = assess({"name": "p", "workloads": [w]}, decided_on=date(2026, 1, 1))
    got = [f for f in result.workloads[0].flips if f.field == "baseline_pct"]
    if want is None:
        assert not got or got[0].to == 100
    else:
        assert got and got[0].to == want


@settings(max_examples=150, deadline=None)
@given(workloads, st.integers(0, 1_000_000), st.integers(1, 1_000_000))
def test_year_one_never_falls_as_volume_rises(w: dict[str, Any], low: int, more: int) -> None:
    """For the recommendation and every alternative, more requests per day never cost less."""
    runs = []
    for rpd in (low, low + more):
        a = assess(
            {"name": "p", "workloads": [{**w, "requests_per_day": rpd}]},
            decided_on=date(2026, 1, 1),
        )
        runs.append(a.to_json()["workloads"][0]["costs"])
    if runs[0] is None:
        return
    pairs = [(runs[0]["recommended"], runs[1]["recommended"])]
    pairs += list(zip(runs[0]["alternatives"], runs[1]["alternatives"], strict=True))
    for before, after in pairs:
        assert after["year_one_usd"][0] >= before["year_one_usd"][0]
        assert after["year_one_usd"][1] >= before["year_one_usd"][1]
