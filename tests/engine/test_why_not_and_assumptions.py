"""Every alternative says why not, from fired rules; assumptions list every figure costs used."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from engine import assess, default_calibration, load_calibration
from engine.calibration import MARKS, UNITS, Assumption
from engine.why_not import WhyNot

ROOT = Path(__file__).resolve().parents[2]
DAY = date(2026, 1, 15)
EXAMPLES = {p.name: json.loads(p.read_text()) for p in sorted((ROOT / "examples").glob("*.json"))}
CASES = {
    c["id"]: {"name": "case", "workloads": [c["workload"]]}
    for f in sorted((ROOT / "tests" / "engine" / "cases").glob("*.json"))
    for c in json.loads(f.read_text())
}
PROFILES = {**EXAMPLES, **CASES}
BEHAVIOUR_RULES = {"B1", "B2", "B3", "B4", "B5", "K5", "D1"}


def _costed(profile: dict[str, Any], **kw: Any) -> list[dict[str, Any]]:
    out = assess(profile, decided_on=DAY, **kw).to_json()["workloads"]
    return [w for w in out if w["costs"] is not None]


@pytest.mark.parametrize("name", list(PROFILES))
def test_every_alternative_says_why_not_from_fired_rules(name: str) -> None:
    """Each alternative has a non-empty why_not; each rule fired, and matches what differs."""
    for w in _costed(PROFILES[name]):
        for alt in w["costs"]["alternatives"]:
            assert alt["why_not"], alt
            rules = [x["rule"] for x in alt["why_not"]]
            assert set(rules) <= set(w["rules_fired"]), (rules, w["rules_fired"])
            assert all(set(x) == {"rule", "reason"} and x["reason"] for x in alt["why_not"])
            behaviour_rules = BEHAVIOUR_RULES & set(rules)
            assert len(behaviour_rules) == (alt["behaviour"] != w["behaviour"])
            if "D2" in rules:
                assert alt["behaviour"] == "distillation"
            assert bool({"K2", "K3"} & set(rules)) == (alt["knowledge"] != w["knowledge"])


@pytest.mark.parametrize("name", list(PROFILES))
def test_a_cheaper_alternative_says_so_and_why_it_falls_short(name: str) -> None:
    """Where an alternative costs less over three years, its first reason opens by saying so;
    a further reason adds to it ("Also, …") instead of saying it again."""
    for w in _costed(PROFILES[name]):
        rec = sum(w["costs"]["recommended"]["three_year_usd"])
        for alt in w["costs"]["alternatives"]:
            cheaper = sum(alt["three_year_usd"]) < rec
            first, *more = alt["why_not"]
            assert first["reason"].startswith("Cheaper, but") == cheaper
            assert all(x["reason"].startswith("Also, ") for x in more)


def test_the_reviews_format_gap_case_quotes_the_persons_figures() -> None:
    """72 % with a format gap: prompting is cheaper, and its why_not cites 72 % and 80 % (B4)."""
    w = _costed(EXAMPLES["support-bot.json"])[0]
    assert w["pattern"] == "rag_ft_format"
    prompting = next(a for a in w["costs"]["alternatives"] if a["behaviour"] == "prompting")
    (why,) = prompting["why_not"]
    assert why["rule"] == "B4"
    assert why["reason"].startswith("Cheaper, but") and "72 %" in why["reason"]
    assert "80 %" in why["reason"]


def test_why_not_is_typed_on_the_result() -> None:
    """The result carries why_not and assumptions typed, and reads them back from its JSON."""
    result = assess(EXAMPLES["catalogue-at-scale.json"], decided_on=DAY)
    w = result.workloads[0]
    assert w.costs is not None
    assert all(isinstance(x, WhyNot) for a in w.costs.alternatives for x in a.why_not)
    assert all(isinstance(a, Assumption) for a in w.costs.assumptions)
    assert type(w).model_validate(w.to_json()) == w


def _costs_only(w: dict[str, Any]) -> list[Any]:
    c = w["costs"]
    lines = [c["recommended"], *c["alternatives"]]
    return [{k: v for k, v in line.items() if k != "why_not"} for line in lines]


def _perturbed(key: str) -> str:
    component, name = key.split(".")
    low, high = default_calibration()[key].pair
    return f"[{component}]\n{name} = [{low * 1.5 + 0.37}, {high * 1.5 + 0.37}]\n"


@pytest.mark.parametrize("name", [*EXAMPLES, *list(CASES)[::3]])
def test_assumptions_cover_every_figure_the_costs_depend_on(name: str) -> None:
    """Changing any calibration figure not in a workload's assumptions leaves its costs as they
    were: the list is complete. Each listed figure is shown with its unit, mark and source."""
    base = _costed(PROFILES[name])
    for key, _ in default_calibration().figures:
        if all(key in {a["name"] for a in w["costs"]["assumptions"]} for w in base):
            continue
        moved = _costed(PROFILES[name], calibration=load_calibration(_perturbed(key)))
        for before, after in zip(base, moved, strict=True):
            if key not in {a["name"] for a in before["costs"]["assumptions"]}:
                assert _costs_only(before) == _costs_only(after), key
    for w in base:
        for a in w["costs"]["assumptions"]:
            assert a["mark"] in MARKS and a["unit"] == UNITS[a["name"].split(".")[1]]
            assert a["source"] and a["source"] != "ours"
            fig = default_calibration()[a["name"]]
            assert a["value"] == (fig.low if fig.low == fig.high else [fig.low, fig.high])


def test_a_teams_override_is_marked_ours() -> None:
    """A figure from a team's calibration file is listed with source "ours" and its new value."""
    cal = load_calibration("[rag]\nbuild_eq = [2, 4]\n")
    (w,) = _costed(EXAMPLES["knowledge-assistant.json"], calibration=cal)
    listed = {a["name"]: a for a in w["costs"]["assumptions"]}
    want = {"name": "rag.build_eq", "value": [2.0, 4.0], "unit": "engineer-quarters", "mark": "A"}
    assert listed["rag.build_eq"] == {**want, "source": "ours"}
    assert listed["rag.ongoing_fte"]["source"] != "ours"


def test_every_shipped_figure_has_a_unit() -> None:
    """Each figure name of the shipped table has a unit to show."""
    assert {k.split(".")[1] for k, _ in default_calibration().figures} <= set(UNITS)
