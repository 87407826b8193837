"""docs/FRAMEWORK.md documents every rule and pattern of the engine and links only inside."""

from __future__ import annotations

import re
from pathlib import Path

from engine.rules import RULES
from engine.vocabulary import PATTERNS
from engine.words import pattern_title

DOC = (Path(__file__).resolve().parents[1] / "docs" / "FRAMEWORK.md").read_text(encoding="utf-8")
OTHER_PATTERNS = ("no_llm", "out_of_scope_research", "out_of_scope_specialized")


def test_every_rule_of_the_table_is_documented() -> None:
    """Each rule id of engine/rules.py has its own row in the doc's rule table."""
    for rule in RULES:
        assert re.search(rf"^\| {rule.id} \|", DOC, re.MULTILINE), rule.id


def test_every_pattern_is_documented() -> None:
    """Each pattern the engine can name appears in the doc, in backticks."""
    for pattern in {*PATTERNS.values(), *OTHER_PATTERNS}:
        assert f"`{pattern}`" in DOC, pattern


def test_the_doc_names_the_article_and_links_nothing_outside() -> None:
    """The article is named with its year; no link climbs out of the repository or the web."""
    assert "Fine-Tuning vs RAG: A Cost-Benefit Framework for 2026" in DOC
    targets = re.findall(r"\]\(([^)]*)\)", DOC) + re.findall(r"<(https?://[^>]*)>", DOC)
    assert not [t for t in targets if t.startswith("../")]
    assert not [t for t in targets if "://" in t]
    assert "../" not in DOC


def test_every_pattern_title_is_the_one_the_product_shows() -> None:
    """The doc's title table holds each pattern's title as engine.words gives it."""
    for pattern in {*PATTERNS.values(), *OTHER_PATTERNS}:
        assert f"| `{pattern}` | {pattern_title(pattern)} |" in DOC, pattern
