"""The rule table is validated when loaded, and every rule cites a section and gives a reason."""

from __future__ import annotations

import dataclasses

import pytest

from engine import RuleTableError
from engine.rules import RULES, validate_rules
from engine.vocabulary import SECTIONS


def test_table_has_the_framework_rules_in_order() -> None:
    """The table holds S1, S2, N1, B1–B6, D1–D2, K1–K6 in §3 order, each with a citation."""
    ids = [r.id for r in RULES]
    assert ids == [
        "S1",
        "S2",
        "N1",
        *(f"B{i}" for i in range(1, 7)),
        "D1",
        "D2",
        *(f"K{i}" for i in range(1, 7)),
    ]
    assert all(r.section in SECTIONS.values() and r.reason for r in RULES)


def test_duplicate_id_is_a_clear_error() -> None:
    """A table with a rule twice raises RuleTableError naming the rule."""
    with pytest.raises(RuleTableError, match="B2 is defined twice"):
        validate_rules([*RULES, RULES[4]])


def test_missing_citation_is_a_clear_error() -> None:
    """A rule without a section raises RuleTableError naming the rule."""
    bad = dataclasses.replace(RULES[0], section="")
    with pytest.raises(RuleTableError, match="S1 cites no article section"):
        validate_rules([bad])


def test_unknown_citation_is_a_clear_error() -> None:
    """A rule citing a section the article does not have is refused."""
    bad = dataclasses.replace(RULES[5], section="Chapter 9")
    with pytest.raises(RuleTableError, match="unknown section"):
        validate_rules([bad])
