"""The calibration table and the cost model of §4."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from engine import CalibrationError, assess, default_calibration, load_calibration
from engine.costs import CostLine, Usage, break_even

GEN: dict[str, Any] = {
    "deployment": "production",
    "domain": "general",
    "task": "generation",
    "knowledge": "small_fixed",
    "prompt_pass": "yes",
    "baseline_pct": 40,
    "gaps": ["format"],
    "frontier_ok": "yes",
    "requests_per_day": 5000,
}


def _costs(workload: dict[str, Any], **kw: Any) -> dict[str, Any]:
    a = assess({"name": "c", "workloads": [workload]}, decided_on=date(2026, 1, 1), **kw)
    costs: dict[str, Any] = a.to_json()["workloads"][0]["costs"]
    return costs


def test_every_figure_is_marked_f_d_or_a() -> None:
    """Each figure of the shipped table carries an F, D or A mark (F/A for a split range)."""
    for key, fig in default_calibration().figures:
        assert set(fig.mark.split("/")) <= {"F", "D", "A"}, key
        assert fig.low <= fig.high, key


def test_team_calibration_overrides_one_figure() -> None:
    """A team's TOML replaces the figures it names and keeps the others."""
    cal = load_calibration('[rag]\nbuild_eq = { range = [2, 4], mark = "A" }\n')
    assert cal["rag.build_eq"].pair == (2.0, 4.0)
    assert cal["fine_tune.build_eq"] == default_calibration()["fine_tune.build_eq"]
    rec = _costs({**GEN, "knowledge": "corpus", "baseline_pct": 85}, calibration=cal)
    assert rec["recommended"]["build_eq"] == [2.25, 4.5]


@pytest.mark.parametrize(
    "text",
    [
        "[rag]\nspeed = 3\n",
        "[rag]\nbuild_eq = [3, 1]\n",
        "[rag\n",
        "[rag]\nbuild_eq = { range = [1, 2], mark = 'Q' }\n",
        "[nope]\nx = 1\n",
        "rag = 3\n",
        "[rag]\nbuild_eq = { value = true }\n",
        "[rag]\nbuild_eq = [nan, 2]\n",
    ],
)
def test_bad_calibration_is_a_clear_error(text: str) -> None:
    """Unknown figures, reversed ranges, bad marks and bad TOML raise CalibrationError."""
    with pytest.raises(CalibrationError):
        load_calibration(text)


def test_alternatives_follow_the_framework_order() -> None:
    """small_fixed lists lookup then rag for each behaviour, without the recommended pair."""
    alts = _costs(GEN)["alternatives"]
    pairs = [(a["behaviour"], a["knowledge"]) for a in alts]
    assert pairs == [
        ("prompting", "lookup"),
        ("prompting", "rag"),
        ("fine_tune_format", "rag"),
        ("fine_tune", "lookup"),
        ("fine_tune", "rag"),
        ("distillation", "lookup"),
        ("distillation", "rag"),
    ]
    assert [a["pattern"] for a in alts][:2] == ["lookup_prompting", "rag_prompting"]


def test_lookup_fine_tune_beats_rag_prompting_above_a_volume() -> None:
    """Hand check: ft_lookup against rag_prompting, break-even at the midpoint three-year totals."""
    costs = _costs(GEN)
    rec = costs["recommended"]
    # fine_tune_format 1–1.25 + lookup 0.5–1; ongoing 0.15–0.20 + upgrades 0.0625–0.25 + 0.05–0.10
    assert rec["build_eq"] == [1.5, 2.25]
    assert rec["ongoing_fte"] == pytest.approx([0.2625, 0.55])
    inference = 5000 * 365 * 1500 / 1e6 * 5.0
    assert rec["year_one_usd"][0] == pytest.approx(1.5 * 60000 + 0.2625 * 4 * 60000 + inference)
    rag = next(a for a in costs["alternatives"] if a["pattern"] == "rag_prompting")
    # rag_prompting is cheaper to build but pays ×2–×10 context on every request
    fixed = (1.25 + 3.5) / 2 * 60000 + 3 * (0.25 + 0.4) / 2 * 240000
    fixed_rec = (1.5 + 2.25) / 2 * 60000 + 3 * (0.2625 + 0.55) / 2 * 240000
    per_req = 3 * 365 * 1500 / 1e6 * 5.0
    n = (fixed_rec - fixed) / (per_req * (6.0 - 1.1))
    assert rag["break_even_requests_per_day"] == {"below": int(-(-n // 1))}


def test_break_even_has_four_outcomes() -> None:
    """An option is cheaper always, never, above or below a volume, by the midpoint lines."""
    usage = Usage(1000, 1000, 10.0, 60000.0, None)

    def line(build: float, ongoing: float, mult: float) -> CostLine:
        p = (build, build), (ongoing, ongoing), (mult, mult)
        return CostLine(*p, (0, 0), (0, 0), (0, 0))

    rec = line(1, 0.1, 2)
    assert break_even(rec, line(0.5, 0.1, 1), usage) == "always"
    assert break_even(rec, line(2, 0.1, 3), usage) == "never"
    assert break_even(rec, line(2, 0.1, 1), usage) == {"above": 5480}  # 60000 / (3·365·1000/1e6·10)
    assert break_even(rec, line(0.5, 0.1, 3), usage) == {"below": 2740}  # 30000 / 10.95


def test_no_llm_has_no_costs() -> None:
    """no_llm and out-of-scope workloads carry costs = null."""
    assert _costs({"deployment": "research"}) is None
    assert _costs({"deployment": "production", "domain": "general", "task": "extraction"}) is None


def test_break_even_beyond_any_float_is_never_or_always() -> None:
    """A crossing too far out to count (absurd figures) reads never/always, not a crash."""
    usage = Usage(1000, 1000, 10.0, 1e306, None)

    def line(build: float, mult: float) -> CostLine:
        return CostLine((build, build), (0, 0), (mult, mult), (0, 0), (0, 0), (0, 0))

    assert break_even(line(1, 2), line(2, 1.99999999), usage) == "never"
    assert break_even(line(2, 1.99999999), line(1, 2), usage) == "always"


def test_texts_quote_the_calibration_in_use() -> None:
    """Risk and measure-next texts state the team's figures, not the shipped ones."""
    cal = load_calibration("[upgrades]\nretrainings_per_year = 0\n[prompt_caching]\nshare = 0.3\n")
    w = {**GEN, "knowledge": "corpus", "repeat_queries": "often", "baseline_pct": 40}
    a = assess({"name": "c", "workloads": [w]}, decided_on=date(2026, 1, 1), calibration=cal)
    result = a.workloads[0]
    assert result.behaviour == "fine_tune_format"
    assert any("costed as 0 re-trainings a year" in r for r in result.risks)
    assert any("about 30% of the context" in m for m in result.measure_next)
