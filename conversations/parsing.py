"""Read an answer as people type it (or as a button sends it) into the stored value."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from datetime import date
from typing import Any

from conversations.catalogue import catalogue_id, near_ids
from conversations.errors import ParseError
from conversations.questions import Choice, Question
from conversations.read_choices import read_choice, read_set
from conversations.read_numbers import read_number
from conversations.reading import Reading, Unreadable

MAX_ANSWER_CHARS = 2000
MAX_NAME_CHARS = 200

_USER_MENTION = re.compile(r"<[@#!][^>]*>")
_LINK = re.compile(r"<([^>|]+)\|([^>]*)>")
_BARE_LINK = re.compile(r"<([^>|]+)>")
_EMPHASIS = re.compile(r"(?<!\w)[*_~`]+|[*_~`]+(?!\w)")
_SPACES = re.compile(r"\s+")


def clean_text(text: str) -> str:
    """Strip Slack markup (mentions, links, emphasis) and squeeze whitespace; keep case.
    Then undo Slack's escaping of `&`, `<` and `>`: a reply typed as "R&D bot <b>" arrives
    as "R&amp;D bot &lt;b&gt;" and is stored as typed (`escape` makes it inert on output).

    Markup is removed until nothing changes: removing one layer must not leave another
    behind (`<<_!here>>` would otherwise become `<!here>`); the entities are undone once,
    after, so what a person typed is never taken for markup.
    """
    while True:
        cleaned = _USER_MENTION.sub(" ", text)
        cleaned = _LINK.sub(r"\2", cleaned)
        cleaned = _BARE_LINK.sub(r"\1", cleaned)
        cleaned = _EMPHASIS.sub("", cleaned)
        cleaned = _SPACES.sub(" ", cleaned).strip()
        if cleaned == text:
            return cleaned.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
        text = cleaned


def read_name(text: str | None) -> str | None:
    """An assessment name as typed after `/ragft assess`, cleaned and bounded; None if unusable."""
    if not text or len(text) > MAX_ANSWER_CHARS:
        return None
    cleaned = clean_text(text)
    return cleaned if visible(cleaned) and len(cleaned) <= MAX_NAME_CHARS else None


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
    """The stored value for an answer the reader is sure of, or ParseError.

    `answer` is typed text, a button value (a choice id), or a list of ids from a
    multi-select. A reading to be confirmed first is refused here: the interview itself
    uses `read_answer` and asks back.
    """
    reading = read_answer(question, answer)
    if not reading.sure:
        shown = question.label_for(reading.value)
        raise ParseError(
            question.id,
            accepted(question),
            f"Did you mean “{escape(shown)}”? Say it plainly to be sure. " + accepted(question),
        )
    return reading.value


def read_answer(question: Question, answer: str | Sequence[str]) -> Reading:
    """What an answer says, as a `Reading` (sure, or to be confirmed), or ParseError saying
    what is accepted and what was picked out of the answer, if anything.

    A button value or a multi-select's ids are read exactly as they are.
    """
    if not isinstance(answer, str):
        return Reading(_parse_ids(question, answer))
    if len(answer) > MAX_ANSWER_CHARS:
        raise ParseError(
            question.id,
            accepted(question),
            f"That answer is too long (over {MAX_ANSWER_CHARS:,} characters). "
            + accepted(question),
        )
    if question.kind == "text":
        return Reading(_parse_text(question, answer))
    text = normalise(answer)
    if not text:
        raise ParseError(question.id, accepted(question))
    catalogue = question.kind == "choice" and bool(question.extra.get("catalogue"))
    if catalogue:  # an exact model id first: "gpt-4o" is no typo of "gpt-4o-mini"
        model = catalogue_id(clean_text(answer), date.today())
        if model is not None:
            return Reading(model)
        if (
            _looks_like_model_id(clean_text(answer))
            and _match_choice(question.choices, text) is None
        ):
            # A mistyped id ("gpt-4.1-mni"): offer the nearest, never a choice it contains.
            near = near_ids(clean_text(answer), date.today())
            if near:
                return Reading(near[0], sure=False, because="the nearest model id")
            return Reading(parse_model_id(question, answer))
    if question.kind in ("choice", "set"):
        exact = _match_choice(question.choices, text)  # an id, a label, a list number
        if exact is not None:
            return Reading([exact.id] if question.kind == "set" else exact.id)
    try:
        if question.kind == "choice":
            return read_choice(question, text)
        if question.kind == "set":
            return read_set(question, text)
        return read_number(question, text)
    except Unreadable as unread:
        if catalogue:  # a model id the catalogue lacks: name the nearest ones
            return Reading(parse_model_id(question, answer))
        raise _refusal(question, unread) from None


def _refusal(question: Question, unread: Unreadable) -> ParseError:
    said = accepted(question)
    parts = []
    if unread.picked:
        parts.append(f"I picked out {escape(unread.picked)}, but couldn't settle on an answer.")
    if unread.reason:
        parts.append(unread.reason)
    if not parts:
        parts.append("I couldn't read that.")
    return ParseError(question.id, said, " ".join([*parts, said]))


def _looks_like_model_id(text: str) -> bool:
    """One word with a digit or a hyphen in it, as model ids are ("gpt-4.1-mini")."""
    return bool(re.fullmatch(r"[\w.:/-]+", text)) and bool(re.search(r"[\d-]", text))


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
    if not visible(text) or len(text) > MAX_NAME_CHARS:
        raise ParseError(question.id, accepted(question))
    return text


_INVISIBLE = frozenset({"Cf", "Cc", "Zs", "Zl", "Zp", "Mn", "Me"})


def visible(text: str) -> bool:
    """Whether `text` has a character that shows: not only spaces or zero-width marks."""
    return any(not ch.isspace() and unicodedata.category(ch) not in _INVISIBLE for ch in text)


def _match_choice(choices: Sequence[Choice], text: str) -> Choice | None:
    """The choice an answer names exactly: its id, label, a synonym or its list number."""
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
