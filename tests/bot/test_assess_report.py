"""The `ragft assess` report's cost tables fit 80 columns with every option named in full."""

from __future__ import annotations

import io
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

from bot.cli.assess import print_report
from engine import AssessmentResult, assess, words
from engine.record import CHEAPER_NOTE

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
CATALOGUE = json.loads((EXAMPLES / "catalogue-at-scale.json").read_text())["workloads"][0]
# The longest chosen name ("Format-only fine-tune + lookup (chosen)") and billions of dollars.
LONGEST: dict[str, Any] = {
    **CATALOGUE,
    "baseline_pct": 60,
    "gaps": ["format"],
    "frontier_ok": "yes",
    "requests_per_day": 90_000_000,
    "tokens_per_request": 9_000,
    "price_per_mtok": 75.0,
}
PROFILES = {
    **{p.stem: json.loads(p.read_text()) for p in sorted(EXAMPLES.glob("*.json"))},
    "longest": {"name": "longest", "workloads": [LONGEST]},
}


def _report(profile: dict[str, Any], width: int = 80) -> tuple[AssessmentResult, str]:
    result = assess(profile, decided_on=date(2026, 1, 1))
    out = io.StringIO()
    # As `ragft assess` prints when piped: long lines are not wrapped, tables keep the width.
    print_report(result, Console(file=out, width=width, soft_wrap=True, color_system=None))
    return result, out.getvalue()


def _tables(report: str) -> list[str]:
    """The lines from the effort table's title to the note under the last table."""
    lines = report.splitlines()
    start = [i for i, line in enumerate(lines) if line.startswith("Effort (low–high)")]
    end = [i for i, line in enumerate(lines) if line == CHEAPER_NOTE]
    assert len(start) == len(end)
    return [line for i, j in zip(start, end, strict=True) for line in lines[i:j]]


@pytest.mark.parametrize("name", sorted(PROFILES))
def test_cost_tables_fit_80_columns_and_cut_no_name(name: str) -> None:
    """Effort, money and "cheaper" tables: no line past 80 characters, no "…", every word of
    every option's name, and the steady-state cost per year beside year one and three years."""
    result, report = _report(PROFILES[name])
    tables = _tables(report)
    costed = [w for w in result.workloads if w.costs is not None]
    assert bool(tables) == bool(costed)
    assert max((len(line) for line in tables), default=0) <= 80
    assert not any("…" in line for line in tables)
    text = " ".join(tables)
    for w in costed:
        assert w.costs is not None
        lines = [w.costs.recommended] + [a.figures for a in w.costs.alternatives]
        names = [words.option_words(a.behaviour, a.knowledge) for a in w.costs.alternatives]
        for name_ in [words.option_words(str(w.behaviour), str(w.knowledge)), *names]:
            assert all(word in text.split() for word in name_.split()), name_
        for line in lines:
            for pair in (line.year_one_usd, line.steady_state_usd, line.three_year_usd):
                assert words.money_range(pair) in text


def test_the_longest_name_wraps_between_words() -> None:
    """The chosen option's name runs on the next line at a space, never cut inside a word."""
    _, report = _report(PROFILES["longest"])
    assert "Format-only fine-tune + lookup (chosen)" not in report.replace("\n", " ")
    assert "B–$" in report  # billions, to stress the money columns
    assert "  Format-only fine-tune + " in report
    assert "  (chosen) " in report


def test_the_note_says_what_cheaper_compares() -> None:
    """Under the tables: three-year totals at the middle of each range, across volumes."""
    _, report = _report(PROFILES["catalogue-at-scale"])
    assert "“Cheaper” compares three-year totals" in CHEAPER_NOTE
    assert "at the middle of each range" in CHEAPER_NOTE
    assert report.count(CHEAPER_NOTE) == 1
