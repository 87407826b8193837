"""The Markdown decision record."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from engine import AssessmentResult, assess, to_markdown
from engine.record import flip_assumptions, flip_change
from engine.result import Flip
from engine.words import answer_words, figure_words

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def test_record_has_every_section_and_the_revisit_date() -> None:
    """The record shows context, options with costs, decision, consequences and revisit date."""
    profile = json.loads((EXAMPLES / "support-bot.json").read_text())
    text = to_markdown(AssessmentResult.of(assess(profile, decided_on=date(2026, 2, 28))))
    for heading in (
        "### Context",
        "### Options considered",
        "### Decision",
        "### Consequences",
        "## Revisit",
    ):
        assert heading in text
    assert "2027-02-28" in text and "(chosen)" in text and "rag_ft_format" in text
    assert "Route tickets to a queue" in text and "no_llm" in text


def test_revisit_defaults_to_twelve_months_and_can_be_set() -> None:
    """revisit_on is decided_on + 12 months (29 Feb → 28 Feb) unless given."""
    a = assess({"deployment": "research"}, decided_on=date(2028, 2, 29))
    assert a.revisit_on == date(2029, 2, 28)
    b = assess(
        {"deployment": "research"}, decided_on=date(2028, 2, 29), revisit_on=date(2028, 3, 1)
    )
    assert b.to_json()["assessment"]["revisit_on"] == "2028-03-01"


def test_summary_is_a_sentence_with_titles_singular_and_plural() -> None:
    """The summary names each workload with its pattern's title, in the right number."""
    one = assess(json.loads((EXAMPLES / "research.json").read_text()), decided_on=date(2026, 1, 1))
    text = one.summary()["text"]
    assert text.startswith("Recommended for 1 workload: “Explore tool-using agents” → Out of scope")
    assert "workload(s)" not in text and text.endswith("Revisit on 2027-01-01.")
    two = assess(
        json.loads((EXAMPLES / "support-bot.json").read_text()), decided_on=date(2026, 1, 1)
    )
    assert two.summary()["text"].startswith("Recommended for 2 workloads: ")
    assert "rag_ft_format" not in two.summary()["text"]


def test_engine_words_name_the_target_and_the_refresh_pace() -> None:
    """Measure-next names the quality target in %, and the refresh risk says "every day"."""
    w = assess(
        json.loads((EXAMPLES / "support-bot.json").read_text()), decided_on=date(2026, 1, 1)
    ).workloads[0]
    assert any(m.endswith("against your quality target (85 %).") for m in w.measure_next)
    assert any("up to date every day" in r for r in w.risks)
    assert not any("quality_target_pct" in m for m in w.measure_next)


def test_answer_words_and_flip_text() -> None:
    """Answers in words: percents, money, lists joined with "and", choice words."""
    assert answer_words("baseline_pct", 72) == "72 %"
    assert answer_words("engineer_quarter_usd", 60000.0) == "$60,000"
    assert answer_words("gaps", ["knowledge", "format", "tone"]) == (
        "tone, output format and missing facts"
    )
    assert answer_words("gaps", []) == "none"
    assert answer_words("freshness", "realtime") == "in real time"
    flip = {"field": "baseline_pct", "from": 72, "to": 80, "pattern": "rag_prompting"}
    assert flip_change(Flip.from_json(flip)) == "prompt baseline: 72 % → 80 %"
    also = {"price_per_mtok": 5.0, "requests_per_day": 0}
    assert flip_assumptions(Flip.from_json({**flip, "also": also})) == []


def test_a_figure_of_one_takes_a_singular_unit() -> None:
    """A figure of 1 reads "1 engineer-quarter per step", not "1 engineer-quarters per step";
    ranges and other figures keep the plural, and units with no plural word are left alone."""
    assert figure_words(1.0, "engineer-quarters per step") == "1 engineer-quarter per step"
    assert figure_words((1.0, 1.0), "engineer-quarters") == "1 engineer-quarter"
    assert figure_words(1, "quality points per step") == "1 quality point per step"
    assert figure_words((1.0, 2.0), "re-trainings a year") == "1–2 re-trainings a year"
    assert figure_words(2.0, "engineer-quarters per step") == "2 engineer-quarters per step"
    assert figure_words(1.0, "price cut on cached tokens") == "1 price cut on cached tokens"
    profile = json.loads((EXAMPLES / "knowledge-assistant.json").read_text())
    record = to_markdown(AssessmentResult.of(assess(profile, decided_on=date(2026, 1, 1))))
    assert "`rag_plateau.eq_per_step`: 1 engineer-quarter per step [D;" in record
    assert ": 1 engineer-quarters" not in record
