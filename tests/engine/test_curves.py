"""engine/curves: the series the cost chart draws agree with the engine's own cost table."""

from __future__ import annotations

import json
from datetime import date
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine import assess
from engine.curves import MONTHS, CostCurves, volume_range, workload_curves

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples").glob("*.json"))
CASES = sorted((ROOT / "tests" / "engine" / "cases").glob("*.json"))


def _profiles() -> list[tuple[str, dict[str, Any]]]:
    out = [(p.name, json.loads(p.read_text(encoding="utf-8"))) for p in EXAMPLES]
    for path in CASES:
        for case in json.loads(path.read_text(encoding="utf-8")):
            out.append(
                (f"{path.name}:{case['id']}", {"name": "c", "workloads": [case["workload"]]})
            )
    return out


PROFILES = _profiles()


def _costed(profile: dict[str, Any]) -> list[tuple[CostCurves, dict[str, Any]]]:
    a = assess(profile, decided_on=date(2026, 1, 1))
    out = []
    for w, js in zip(a.workloads, a.to_json()["workloads"], strict=True):
        curves = workload_curves(w)
        assert (curves is None) == (js["costs"] is None)
        if curves is not None:
            out.append((curves, js))
    return out


def test_examples_have_costs() -> None:
    """The examples exercise the curves: several costed workloads, some crossings."""
    examples = [json.loads(p.read_text(encoding="utf-8")) for p in EXAMPLES]
    costed = [c for profile in examples for c, _ in _costed(profile)]
    assert len(costed) >= 3
    assert sum(len(c.crossings) for c in costed) >= 3


@pytest.mark.parametrize(("label", "profile"), PROFILES, ids=[label for label, _ in PROFILES])
def test_crossings_are_the_engines_break_even_values(label: str, profile: dict[str, Any]) -> None:
    """Every crossing the chart marks is a break_even_requests_per_day of the JSON, and every
    "above"/"below" there is a crossing; the midpoint lines do cross there."""
    for curves, js in _costed(profile):
        alts = js["costs"]["alternatives"]
        expected = [
            (a["behaviour"], a["knowledge"], *next(iter(a["break_even_requests_per_day"].items())))
            for a in alts
            if isinstance(a["break_even_requests_per_day"], dict)
        ]
        got = [(c.behaviour, c.knowledge, c.side, c.requests_per_day) for c in curves.crossings]
        assert got == expected
        evens = [a["break_even_requests_per_day"] for a in alts]
        assert [o.break_even for o in curves.alternatives] == evens
        for c in curves.crossings:
            assert c.on_chart
            assert c.requests_per_day in curves.volumes  # the mark sits on the plotted line
            i = curves.volumes.index(c.requests_per_day)
            alt = next(
                o
                for o in curves.alternatives
                if (o.behaviour, o.knowledge) == (c.behaviour, c.knowledge)
            )
            rec_mid, alt_mid = curves.recommended.three_year_mid, alt.three_year_mid
            assert c.three_year_usd == pytest.approx(rec_mid[i])
            assert alt_mid[i] == pytest.approx(rec_mid[i], rel=1e-3)
            # the alternative is cheaper on its side of the crossing, dearer on the other
            far = [j for j in range(len(curves.volumes)) if abs(j - i) >= 2]
            for j in far:
                cheaper = alt_mid[j] < rec_mid[j]
                assert cheaper == ((j > i) if c.side == "above" else (j < i)), (label, j)


@pytest.mark.parametrize(("label", "profile"), PROFILES, ids=[label for label, _ in PROFILES])
def test_todays_volume_gives_the_json_figures(label: str, profile: dict[str, Any]) -> None:
    """At today's volume each option's three-year range is the one in the JSON."""
    for curves, js in _costed(profile):
        lines = [js["costs"]["recommended"], *js["costs"]["alternatives"]]
        if curves.requests_per_day == 0:
            continue
        i = curves.volumes.index(curves.requests_per_day)
        for option, line in zip(curves.options, lines, strict=True):
            assert [round(x, 2) for x in option.three_year_usd[i]] == line["three_year_usd"]
        assert curves.recommended.recommended
        assert not any(o.recommended for o in curves.alternatives)


@pytest.mark.parametrize(("label", "profile"), PROFILES, ids=[label for label, _ in PROFILES])
def test_cumulative_cost_ends_at_three_years(label: str, profile: dict[str, Any]) -> None:
    """36 months, non-decreasing, the build up front in month 1, ending at the three-year
    figure; after 12 months the year-one figure."""
    a = assess(profile, decided_on=date(2026, 1, 1))
    for w in a.workloads:
        curves = workload_curves(w)
        if curves is None or w.costs is None:
            continue
        lines = [w.costs.recommended, *w.costs.alternatives]
        for option, line in zip(curves.options, lines, strict=True):
            series = option.cumulative_usd
            assert len(series) == MONTHS == len(curves.months)
            assert series[-1] == line.three_year_usd
            assert series[11] == pytest.approx(line.year_one_usd)
            for end in (0, 1):
                values = [p[end] for p in series]
                assert values == sorted(values)
                build = line.year_one_usd[end] - line.steady_state_usd[end]
                assert values[0] == pytest.approx(build + line.steady_state_usd[end] / 12)
            assert all(lo <= hi for lo, hi in series)


def test_volume_range_around_today() -> None:
    """From today ÷ 100 to today × 100, log-spaced, today in it; 10 to 1,000,000 for 0."""
    r = volume_range(20_000)
    assert r[0] == 200 and r[-1] == 2_000_000 and 20_000 in r
    ratios = [b / a for a, b in pairwise(r)]
    assert max(ratios) < 1.3
    zero = volume_range(0)
    assert zero[0] == 10 and zero[-1] == 1_000_000
    small = volume_range(3)
    assert small[0] == 1 and small[-1] >= 10_000
    wide = volume_range(1000, include=[5, 400_000_000])
    assert wide[0] <= 5 and 5 in wide and 400_000_000 not in wide  # beyond a factor 1,000


def test_a_crossing_far_off_stays_listed_but_off_chart() -> None:
    """A break-even volume beyond the stretched range is listed with on_chart false."""
    profile = json.loads((ROOT / "examples" / "support-bot.json").read_text(encoding="utf-8"))
    a = assess(profile, decided_on=date(2026, 1, 1))
    curves = workload_curves(a.workloads[0], volumes=[1, 10, 100])
    assert curves is not None and curves.volumes == (1, 10, 100)
    assert [c.on_chart for c in curves.crossings] == [False]


GEN: dict[str, Any] = {
    "deployment": "production",
    "domain": "general",
    "task": "generation",
    "knowledge": "small_fixed",
    "prompt_pass": "yes",
    "gaps": ["format"],
    "frontier_ok": "yes",
}


@settings(max_examples=40, deadline=None)
@given(
    rpd=st.integers(0, 5_000_000),
    baseline=st.integers(0, 100),
    knowledge=st.sampled_from(["none", "small_fixed", "corpus"]),
    price=st.floats(0.05, 60),
    tokens=st.integers(1, 20_000),
)
def test_crossings_match_for_any_profile(
    rpd: int, baseline: int, knowledge: str, price: float, tokens: int
) -> None:
    """For arbitrary usage, the crossings are the JSON's break-even values, one per
    "above"/"below" alternative, and the recommendation's cumulative cost ends at its total."""
    workload = {
        **GEN,
        "knowledge": knowledge,
        "baseline_pct": baseline,
        "requests_per_day": rpd,
        "price_per_mtok": price,
        "tokens_per_request": tokens,
    }
    for curves, js in _costed({"name": "p", "workloads": [workload]}):
        alts = js["costs"]["alternatives"]
        expected = [a["break_even_requests_per_day"] for a in alts]
        marked = [{c.side: c.requests_per_day} for c in curves.crossings]
        assert marked == [e for e in expected if isinstance(e, dict)]
        assert list(curves.recommended.cumulative_usd[-1]) == pytest.approx(
            js["costs"]["recommended"]["three_year_usd"], abs=0.01
        )
