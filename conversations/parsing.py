"""Read an answer as people type it (or as a button sends it) into the stored value."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from conversations.catalogue import catalogue_id, near_ids
from conversations.errors import ParseError
from conversations.questions import Choice, Question

MAX_ANSWER_CHARS = 2000
MAX_NAME_CHARS = 200
# Larger numbers are typos, not volumes or prices; they would overflow the cost model.
MAX_NUMBER = Decimal(10) ** 15

_USER_MENTION = re.compile(r"<[@#!][^>]*>")
_LINK = re.compile(r"<([^>|]+)\|([^>]*)>")
_BARE_LINK = re.compile(r"<([^>|]+)>")
_EMPHASIS = re.compile(r"(?<!\w)[*_~`]+|[*_~`]+(?!\w)")
_SPACES = re.compile(r"\s+")
_FILLER = re.compile(
    r"^(?:about|around|roughly|approx(?:imately|\.)?|maybe|~|circa|ca\.?|say|some|"
    r"we(?:'re| are)|it(?:'s| is)|i think|probably|at least|at most|nearly|almost|"
    r"under|over|up to|usd|us\$)\s*",
)
_NUMBER = re.compile(
    r"^\$?\s*(?P<num>[0-9]+(?:[,  ][0-9]{3})*(?:\.[0-9]+)?|\.[0-9]+)\s*"
    r"(?P<suffix>k|m|mn|thousand|million|%|percent|pct)?\s*"
    r"(?:usd|dollars?|\$|/\s*day|per day|a day|requests?|tokens?|per m(?:tok)?|/\s*mtok)?$"
)
_SET_SEPARATORS = re.compile(r"\s*(?:,|;|/|\+|&|\band\b|\bplus\b)\s*")
_NONE_WORDS = frozenset({"none", "nothing", "no gaps", "no", "n/a", "na", "-", "nope", "neither"})
_SUFFIX = {
    "k": Decimal(1000),
    "thousand": Decimal(1000),
    "m": Decimal(1_000_000),
    "mn": Decimal(1_000_000),
    "million": Decimal(1_000_000),
}


def clean_text(text: str) -> str:
    """Strip Slack markup (mentions, links, emphasis) and squeeze whitespace; keep case.

    Repeated until nothing changes: removing one layer must not leave another behind
    (`<<_!here>>` would otherwise become `<!here>`).
    """
    while True:
        cleaned = _USER_MENTION.sub(" ", text)
        cleaned = _LINK.sub(r"\2", cleaned)
        cleaned = _BARE_LINK.sub(r"\1", cleaned)
        cleaned = _EMPHASIS.sub("", cleaned)
        cleaned = _SPACES.sub(" ", cleaned).strip()
        if cleaned == text:
            return cleaned
        text = cleaned


def read_name(text: str | None) -> str | None:
    """An assessment name as typed after `/ragft assess`, cleaned and bounded; None if unusable."""
    if not text or len(text) > MAX_ANSWER_CHARS:
        return None
    cleaned = clean_text(text)
    return cleaned if cleaned and len(cleaned) <= MAX_NAME_CHARS else None


def escape(text: object) -> str:
    """A person's value made inert in a Slack message: `&`, `<` and `>` as entities.

    Use for every person-supplied value placed into message text (names, answers, fields),
    once, where it is interpolated; stored values stay plain.
    """
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def normalise(text: str) -> str:
    """Lower-case cleaned text with trailing punctuation removed, for matching.

    Only quotes go from the front: a leading "." belongs to a number (".5").
    """
    return clean_text(text).lower().strip(" \"'“”‘’").rstrip(" .!?;:\"'“”‘’")


def accepted(question: Question) -> str:
    """One sentence saying what answers this question takes, in words: a choice's id is
    still read (buttons and other programs send it) but never shown."""
    if question.kind == "text":
        return f"Any short name will do (up to {MAX_NAME_CHARS} characters)."
    if question.kind in ("choice", "set"):
        options = "; ".join(f"{i}. {c.label}" for i, c in enumerate(question.choices, 1))
        if question.kind == "set":
            return f"Pick any of: {options}. Name several like “format and refusal”, or say “none”."
        if question.extra.get("catalogue"):
            return (
                f"Answer with one of: {options}; or type any model id of the genai-prices "
                "catalogue (e.g. gpt-4.1-mini or openai:gpt-4o)."
            )
        return f"Answer with one of: {options}. The number or the words both work."
    low, high = question.minimum, question.maximum
    what = "a whole number" if question.kind == "int" else "a number"
    if question.unit == "%":
        what = "a percentage"
    bounds = ""
    if low is not None and high is not None:
        bounds = f" from {_fmt(low)} to {_fmt(high)}"
    elif low is not None:
        bounds = f" of at least {_fmt(low)}" if low != 0 else " (zero or more)"
    if question.unit == "share":
        return "Answer with a share from 0 to 1 or a percentage, e.g. “0.3” or “30%”."
    examples = {"%": "“70”, “70%” or “about 70”", "USD": "“4.50”, “$4.50” or “60k”"}
    example = examples.get(question.unit, "“2000”, “60,000”, “10k” or “1.5M”")
    return f"Answer with {what}{bounds}, e.g. {example}."


def _fmt(number: float) -> str:
    return f"{int(number):,}" if float(number).is_integer() else f"{number:,}"


def parse_answer(question: Question, answer: str | Sequence[str]) -> Any:
    """The stored value for an answer, or ParseError saying what is accepted.

    `answer` is typed text, a button value (a choice id), or a list of ids from a
    multi-select.
    """
    if not isinstance(answer, str):
        return _parse_ids(question, answer)
    if len(answer) > MAX_ANSWER_CHARS:
        raise ParseError(
            question.id,
            accepted(question),
            f"That answer is too long (over {MAX_ANSWER_CHARS:,} characters). "
            + accepted(question),
        )
    if question.kind == "text":
        return _parse_text(question, answer)
    text = normalise(answer)
    if not text:
        raise ParseError(question.id, accepted(question))
    if question.kind == "choice":
        if question.extra.get("catalogue"):  # an exact model id first: "gpt-4o" is no typo
            exact = catalogue_id(clean_text(answer), date.today())
            if exact is not None:
                return exact
        found = _match_choice(question.choices, text)
        if found is None and question.extra.get("catalogue"):
            return parse_model_id(question, answer)
        if found is None:
            raise ParseError(question.id, accepted(question))
        return found.id
    if question.kind == "set":
        return _parse_set(question, text)
    return _parse_number(question, text)


def parse_model_id(question: Question, answer: str) -> str:
    """A model id typed beside the offered choices: the catalogue's id, or a ParseError
    naming the nearest ids."""
    text = clean_text(answer)
    found = catalogue_id(text, date.today())
    if found is not None:
        return found
    near = near_ids(text, date.today())
    hint = f"Did you mean {', '.join(near)}? " if near else ""
    raise ParseError(
        question.id,
        accepted(question),
        f"I don't know the model “{text[:80]}”. {hint}" + accepted(question),
    )


def _parse_ids(question: Question, values: Sequence[str]) -> Any:
    ids = {c.id for c in question.choices}
    if question.kind != "set" or any(v not in ids for v in values):
        raise ParseError(question.id, accepted(question))
    return sorted(set(values), key=[c.id for c in question.choices].index)


def _parse_text(question: Question, answer: str) -> str:
    text = clean_text(answer)
    if not text or len(text) > MAX_NAME_CHARS:
        raise ParseError(question.id, accepted(question))
    return text


def _match_choice(choices: Sequence[Choice], text: str) -> Choice | None:
    text = text.removeprefix("option ").removeprefix("#").strip()
    if re.fullmatch(r"[0-9]{1,3}", text):  # ASCII only: "²".isdigit() is True
        index = int(text)
        return choices[index - 1] if 1 <= index <= len(choices) else None
    for choice in choices:
        words = {choice.id, choice.id.replace("_", " "), normalise(choice.label), *choice.synonyms}
        if text in words:
            return choice
    # A label's leading words are enough when they pick exactly one choice.
    starts = [c for c in choices if len(text) >= 3 and normalise(c.label).startswith(text)]
    return starts[0] if len(starts) == 1 else None


def _parse_set(question: Question, text: str) -> list[str]:
    if text in _NONE_WORDS:
        return []
    whole = _match_choice(question.choices, text)
    if whole is not None:
        return [whole.id]
    parts = [p for p in _SET_SEPARATORS.split(text) if p]
    if len(parts) == 1:
        parts = text.split(" ")
    picked: set[str] = set()
    for part in parts:
        found = _match_choice(question.choices, part.strip())
        if found is None:
            raise ParseError(
                question.id,
                accepted(question),
                f"I couldn't read “{part[:40]}” as one of the options. " + accepted(question),
            )
        picked.add(found.id)
    return [c.id for c in question.choices if c.id in picked]


def _parse_number(question: Question, text: str) -> int | float:
    stripped = text
    for _ in range(3):  # "about ~70" style stacked fillers
        stripped = _FILLER.sub("", stripped)
    match = _NUMBER.match(stripped)
    if match is None:
        raise ParseError(question.id, accepted(question))
    try:
        number = Decimal(re.sub(r"[,  ]", "", match["num"]))
    except InvalidOperation:
        raise ParseError(question.id, accepted(question)) from None
    suffix = match["suffix"]
    if suffix in _SUFFIX:
        number *= _SUFFIX[suffix]
    elif suffix in ("%", "percent", "pct") and question.unit == "share":
        number /= 100  # "30%" of a share stored from 0 to 1
    elif suffix in ("%", "percent", "pct") and question.unit != "%":
        raise ParseError(question.id, accepted(question))
    elif question.unit == "share" and 1 < number <= 100:
        number /= 100  # "30" for a share means 30 %
    if question.kind == "int":
        if suffix in _SUFFIX:
            number = number.to_integral_value()
        if number != number.to_integral_value():
            raise ParseError(
                question.id, accepted(question), "I need a whole number. " + accepted(question)
            )
    low, high = question.minimum, question.maximum
    if (
        (low is not None and number < Decimal(str(low)))
        or (high is not None and number > Decimal(str(high)))
        or number > MAX_NUMBER
    ):
        raise ParseError(
            question.id, accepted(question), "That number is out of range. " + accepted(question)
        )
    return int(number) if question.kind == "int" else float(number)
