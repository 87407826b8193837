"""The revisit re-prices: two catalogue snapshots a year apart, and what changed says so."""

from __future__ import annotations

from datetime import date
from typing import Any

from bot.views.revisit import changes_blocks
from engine import AssessmentResult, assess, compare
from engine.prices import ModelPrice, PriceCatalogue

PROFILE: dict[str, Any] = {
    "name": "Support bot",
    "workloads": [
        {
            "name": "answers",
            "deployment": "production",
            "domain": "general",
            "task": "generation",
            "knowledge": "corpus",
            "prompt_pass": "yes",
            "baseline_pct": 85,
            "gaps": [],
            "frontier_ok": "yes",
            "requests_per_day": 50_000,
            "tokens_per_request": 3000,
            "model": "gpt-x",
            "output_share": 0.2,
        }
    ],
}
LAST_YEAR = PriceCatalogue.of(
    "test catalogue (prices as of 2026-01-01)",
    date(2026, 1, 1),
    [ModelPrice("acme:gpt-x", 2.0, 8.0, 0.5)],
)
THIS_YEAR = PriceCatalogue.of(
    "test catalogue (prices as of 2027-01-01)",
    date(2027, 1, 1),
    [ModelPrice("acme:gpt-x", 0.8, 8.0, 0.5)],
)


def _result(prices: PriceCatalogue, day: date) -> AssessmentResult:
    return assess(PROFILE, decided_on=day, prices=prices)


def test_a_price_cut_shows_as_a_price_move_with_every_options_new_cost() -> None:
    """The same answers priced a year later: the input price −60 % is named, the chosen
    option's three-year cost falls, the alternatives follow, and the blended price that moved
    with the catalogue is not reported as an answer the team changed."""
    before = _result(LAST_YEAR, date(2026, 1, 1))
    after = _result(THIS_YEAR, date(2027, 1, 1))
    (change,) = compare(before, after).workloads
    assert change.changed and not change.pattern_changed
    (move,) = change.price_moves
    assert (move.figure, move.before, move.after) == ("price.input_mtok", 2.0, 0.8)
    assert round(move.percent) == -60
    assert [a.field for a in change.answers_moved] == []
    chosen, *others = change.option_moves
    assert chosen.chosen and (chosen.behaviour, chosen.knowledge) == ("prompting", "rag")
    assert chosen.three_year_after[1] < chosen.three_year_before[1]
    assert len(others) == len(after.workloads[0].costs.alternatives)  # type: ignore[union-attr]
    text = str(changes_blocks(compare(before, after)))
    assert "gpt-x input price −60 % ($2.00 → $0.80)" in text
    assert "Prompting + RAG (chosen) down from" in text


def test_unchanged_prices_move_nothing() -> None:
    """The same snapshot twice: no price moves and no option moves."""
    before = _result(LAST_YEAR, date(2026, 1, 1))
    (change,) = compare(before, _result(LAST_YEAR, date(2027, 1, 1))).workloads
    assert change.price_moves == () and change.option_moves == ()
    assert not change.changed
