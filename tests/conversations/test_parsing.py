"""Answers in the forms people type are read as values; anything else says what is accepted."""

from __future__ import annotations

import contextlib
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conversations import ParseError
from conversations.parsing import MAX_ANSWER_CHARS, accepted, clean_text, parse_answer
from conversations.questions import QUESTIONS

READABLE: list[tuple[str, str, Any]] = [
    ("deployment", "prod", "production"),
    ("deployment", "Production", "production"),
    ("deployment", "1", "production"),
    ("deployment", "research", "research"),
    ("deployment", "Real users (production)", "production"),
    ("domain", "*general*", "general"),
    ("task", "document search", "document_search"),
    ("task", "4", "document_search"),
    ("knowledge", "small_fixed", "small_fixed"),
    ("prompt_pass", "yep", "yes"),
    ("prompt_pass", "Y", "yes"),
    ("prompt_pass", "nope", "no"),
    ("prompt_pass", "not yet", "no"),
    ("frontier_ok", "yes!", "yes"),
    ("baseline_pct", "70%", 70),
    ("baseline_pct", "about 70", 70),
    ("baseline_pct", "~ 70 percent", 70),
    ("baseline_pct", "0", 0),
    ("baseline_pct", "seventy", 70),
    ("quality_target_pct", "100", 100),
    ("requests_per_day", "10k", 10_000),
    ("requests_per_day", "1.5M", 1_500_000),
    ("requests_per_day", "60,000", 60_000),
    ("requests_per_day", "around 2000 requests", 2000),
    ("tokens_per_request", "1.5k", 1500),
    ("price_per_mtok", "$4.50", 4.5),
    ("price_per_mtok", "4.5 USD", 4.5),
    ("price_per_mtok", "0.15", 0.15),
    ("price_per_mtok", ".5", 0.5),  # a leading point is part of the number, not punctuation
    ("price_per_mtok", "$.50", 0.5),
    ("requests_per_day", "1.5M.", 1_500_000),
    ("engineer_quarter_usd", "$60k", 60_000.0),
    ("engineer_quarter_usd", "60,000", 60_000.0),
    ("gaps", "format and refusal", ["format", "refusal"]),
    ("gaps", "format, refusal", ["format", "refusal"]),
    ("gaps", "tone, format and refusal", ["tone", "format", "refusal"]),
    ("gaps", "refusal format", ["format", "refusal"]),
    ("gaps", "none", []),
    ("gaps", "Tone or voice", ["tone"]),
    ("gaps", "2, 4", ["format", "reasoning"]),
    ("gaps", "stale facts", ["knowledge"]),
    ("gaps", "facts are out of date", ["knowledge"]),
    ("gaps", "tone and outdated facts", ["tone", "knowledge"]),
    ("gaps", "format, stale facts", ["format", "knowledge"]),
    ("gaps", "it gets facts wrong and the JSON breaks", ["format", "knowledge"]),
    ("gaps", "tone is fine, but the JSON breaks", ["format"]),
    ("gaps", "tone is not a problem", []),
    ("gaps", "can't reason about our pricing rules", ["reasoning"]),
    ("frontier_ok", "acceptable", "yes"),
    ("frontier_ok", "not acceptable", "no"),
    ("small_model_ok", "not good enough", "no"),
    ("requests_per_day", "about 20,000 a day, more on Mondays", 20_000),
    ("requests_per_day", "two thousand", 2000),
    ("baseline_pct", "we get 72% of the way there", 72),
    ("task", "classification into a stable set of labels", "classification"),
    ("task", "extraction", "extraction"),
    ("task", "a label from a fixed set", "classification"),
    ("name", "  <@U123> *Support* bot 🚀 ", "Support bot 🚀"),
    ("workload_name", "<http://x.example|billing> answers", "billing answers"),
    # Slack escapes &, < and > in a reply: stored as typed, escaped once on output.
    ("name", "R&amp;D bot &lt;b&gt;", "R&D bot <b>"),
    ("name", "&lt;@U123&gt; literally", "<@U123> literally"),
]


@pytest.mark.parametrize(("question_id", "text", "expected"), READABLE)
def test_readable_forms(question_id: str, text: str, expected: Any) -> None:
    """Labels, ids, list numbers, synonyms, percentages, suffixes and sets are read as values."""
    assert parse_answer(QUESTIONS[question_id], text) == expected


UNREADABLE = [
    ("deployment", "maybe"),
    ("deployment", "7"),
    ("another_workload", "²"),
    ("deployment", "١"),
    ("baseline_pct", "101"),
    ("baseline_pct", "-5"),
    ("baseline_pct", "70.5"),
    ("requests_per_day", "lots"),
    ("requests_per_day", "50%"),
    ("tokens_per_request", "0"),
    ("price_per_mtok", "$-1"),
    ("requests_per_day", "9" * 400),  # would overflow the cost model's floats
    ("price_per_mtok", "9" * 400),  # would be stored as infinity
    ("engineer_quarter_usd", "2000000000000M"),
    ("gaps", "speed and cost"),
    ("gaps", ""),
    ("name", "   "),
    ("name", "<@U123>"),
    ("name", "\u200b\u200d\u2060"),  # zero-width characters only: nothing to see
    ("workload_name", " \ufeff\u200b "),
]


@pytest.mark.parametrize(("question_id", "text"), UNREADABLE)
def test_unreadable_answers_say_what_is_accepted(question_id: str, text: str) -> None:
    """An unreadable answer raises ParseError whose message describes the accepted forms."""
    q = QUESTIONS[question_id]
    with pytest.raises(ParseError) as caught:
        parse_answer(q, text)
    assert caught.value.accepted in str(caught.value)
    assert caught.value.question_id == question_id


def test_what_is_accepted_shows_words_not_ids() -> None:
    """The options are listed by number and words; their ids are read but never shown."""
    task = QUESTIONS["task"]
    said = accepted(task)
    assert said.startswith(
        "Answer with one of: 1. Open-ended answers (assistant, agent, drafting);"
    )
    assert said.endswith("The number or the words both work.")
    assert "`" not in said and "document_search" not in said and "generation" not in said
    assert "`" not in accepted(QUESTIONS["gaps"])
    assert parse_answer(task, "document_search") == "document_search"  # ids still read
    assert parse_answer(task, "document search") == "document_search"


def test_overlong_answer_is_refused_clearly() -> None:
    """An answer over the length limit is refused with a message naming the limit."""
    with pytest.raises(ParseError, match="too long"):
        parse_answer(QUESTIONS["baseline_pct"], "7" * (MAX_ANSWER_CHARS + 1))


def test_button_values_are_choice_ids() -> None:
    """A multi-select sends ids, kept in list order; an unknown id is refused."""
    assert parse_answer(QUESTIONS["gaps"], ["refusal", "tone"]) == ["tone", "refusal"]
    with pytest.raises(ParseError):
        parse_answer(QUESTIONS["gaps"], ["speed"])


def test_slack_markup_is_stripped() -> None:
    """Mentions, links and emphasis are removed before reading an answer."""
    assert clean_text("<@U1> _hello_ <https://a.example> ~x~") == "hello https://a.example x"


@settings(max_examples=150, deadline=None)
@given(question_id=st.sampled_from(sorted(QUESTIONS)), text=st.text(max_size=300))
def test_any_text_parses_or_raises_parse_error(question_id: str, text: str) -> None:
    """Any text either reads as a value or raises ParseError, never another exception."""
    with contextlib.suppress(ParseError):
        parse_answer(QUESTIONS[question_id], text)


def test_task_choices_carry_the_conditions() -> None:
    """Classification and extraction name the stability the no-LLM rule relies on, and
    search says people want documents rather than answers."""
    labels = {c.id: c.label.lower() for c in QUESTIONS["task"].choices}
    assert "stable set of labels" in labels["classification"]
    assert "stable format" in labels["extraction"]
    assert "documents" in labels["document_search"]
    assert "rarely change" in QUESTIONS["task"].why
