"""Rules declare the numbers they read and where: `decide` is a plain reading of the table."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine import RuleTableError, parse_workload
from engine import rules as rule_table
from engine.rules import EDGES, RULES, Decision, Draft, Rule, decide, number_edges, validate_rules
from engine.vocabulary import MODIFIERS, PATTERNS, SECTIONS
from tests.engine.test_properties import workloads

NUMBERS = ("baseline_pct", "quality_target_pct")


def _plain(facts: dict[str, Any], table: tuple[Rule, ...] = RULES) -> Decision:
    """The rule table read the slow, obvious way: a scope rule ends it, else every rule that
    holds applies, behaviour rules first, then knowledge, then distillation."""
    scope = [r for r in table if r.group == "scope" and r.condition(facts)]
    if scope:
        draft = Draft()
        scope[0].effect(draft, facts)
        return Decision(str(draft.pattern), None, None, (), (scope[0].id,), (), (), (), False)
    fired = [r for r in table if r.group != "scope" and r.condition(facts)]
    draft, setter = Draft(), None
    for group in ("B", "K", "D"):
        for r in (r for r in fired if r.group == group):
            before = draft.behaviour
            r.effect(draft, facts)
            setter = r.id if draft.behaviour != before else setter
    assert draft.behaviour is not None and draft.knowledge is not None
    return Decision(
        PATTERNS[(draft.behaviour, draft.knowledge)],
        draft.behaviour,
        draft.knowledge,
        tuple(m for m in MODIFIERS if m in draft.modifiers),
        tuple(r.id for r in fired),
        tuple(draft.warnings),
        tuple(draft.risks),
        tuple(draft.notes),
        draft.served_small,
        setter,
    )


@settings(max_examples=300, deadline=None)
@given(workloads)
def test_decide_is_the_plain_reading_of_the_table(w: dict[str, Any]) -> None:
    """On any valid workload, decide gives what evaluating every rule one by one gives."""
    facts = parse_workload(w).answers()
    assert decide(facts) == _plain(facts)


def _interval(value: int, edges: tuple[int, ...]) -> int:
    return sum(value >= e for e in edges)


@settings(max_examples=300, deadline=None)
@given(workloads, st.sampled_from(NUMBERS), st.integers(0, 100))
def test_a_number_moved_within_its_declared_interval_changes_no_decision(
    w: dict[str, Any], field: str, value: int
) -> None:
    """The declared edges are honest: between two edges, every value decides alike."""
    facts = parse_workload(w).answers()
    if field not in facts:
        return
    edges = EDGES[field]
    if _interval(value, edges) != _interval(facts[field], edges):
        return
    assert decide({**facts, field: value}) == decide(facts)


def _probe(decision_edges: tuple[int, ...] = (65, 80)) -> Rule:
    """The architecture review's probe: a rule on 65 <= baseline_pct < 80."""
    return Rule(
        "P1",
        "K",
        SECTIONS["debt"],
        "A probe rule reading the baseline between 65 and 80.",
        lambda f: f.get("prompt_pass") == "yes" and 65 <= f.get("baseline_pct", 0) < 80,
        lambda d, f: d.warnings.append("probe"),
        {"baseline_pct": decision_edges},
    )


PROBED = {
    "deployment": "production",
    "domain": "general",
    "task": "generation",
    "knowledge": "none",
    "prompt_pass": "yes",
    "gaps": ["format"],
    "frontier_ok": "yes",
    "requests_per_day": 100,
}


def test_a_rule_on_a_new_interval_fires_inside_it(monkeypatch: pytest.MonkeyPatch) -> None:
    """A new rule on 65 <= baseline_pct < 80 fires at 70 and 79, not at 64 or 80."""
    table = validate_rules((*RULES, _probe()))
    monkeypatch.setattr(rule_table, "RULES", table)
    for baseline, fires in ((64, False), (65, True), (70, True), (79, True), (80, False)):
        facts = parse_workload({**PROBED, "baseline_pct": baseline}).answers()
        assert ("P1" in decide(facts).fired) is fires, baseline
        assert decide(facts) == _plain(facts, table)
    assert number_edges(table)["baseline_pct"] == (50, 65, 80)


@pytest.mark.parametrize(
    ("edges", "match"),
    [
        ({"requests_per_day": (10,)}, "not a number rules read"),
        ({"baseline_pct": (80, 65)}, "must be increasing"),
        ({"baseline_pct": ()}, "must be increasing"),
        ({"baseline_pct": (0,)}, "outside 0..100"),
        ({"quality_target_pct": (101,)}, "outside 0..100"),
    ],
)
def test_malformed_edges_are_refused_when_the_table_loads(
    edges: dict[str, tuple[int, ...]], match: str
) -> None:
    """A rule declaring edges of a field no rule reads, or out of order or range, is refused."""
    with pytest.raises(RuleTableError, match=match):
        validate_rules((*RULES, dataclasses.replace(_probe(), edges=edges)))
