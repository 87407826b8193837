"""The Markdown decision record."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from engine import assess, to_markdown

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def test_record_has_every_section_and_the_revisit_date() -> None:
    """The record shows context, options with costs, decision, consequences and revisit date."""
    profile = json.loads((EXAMPLES / "support-bot.json").read_text())
    text = to_markdown(assess(profile, decided_on=date(2026, 2, 28)))
    for heading in ("### Context", "### Options considered", "### Decision", "### Consequences",
                    "## Revisit"):  # fmt: skip
        assert heading in text
    assert "2027-02-28" in text and "(chosen)" in text and "rag_ft_format" in text
    assert "Route tickets to a queue" in text and "no_llm" in text


def test_revisit_defaults_to_twelve_months_and_can_be_set() -> None:
    """revisit_on is decided_on + 12 months (29 Feb → 28 Feb) unless given."""
    a = assess({"deployment": "research"}, decided_on=date(2028, 2, 29))
    assert a.revisit_on == date(2029, 2, 28)
    b = assess({"deployment": "research"}, decided_on=date(2028, 2, 29),
               revisit_on=date(2028, 3, 1))  # fmt: skip
    assert b.to_json()["assessment"]["revisit_on"] == "2028-03-01"
