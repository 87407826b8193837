"""What reading an answer gives, and the word-level tools both readers share.

A reading is *sure* when the words say one value plainly; otherwise (a typo, two
numbers, a range, a conversion, a fraction that may be a percentage, two options that
both fit, a hedge) the interview asks back before storing it. Pure: no I/O.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Reading:
    """A value read from an answer, in its stored form.

    `sure` is False when the person should confirm it first; `because` then says why in
    a few words ("a typo", "a range"), to show beside the proposal.
    """

    value: Any
    sure: bool = True
    because: str = ""


class Unreadable(Exception):
    """Nothing usable was read; `picked` names what was picked out, if anything."""

    def __init__(self, reason: str = "", picked: str = "") -> None:
        super().__init__(reason or picked)
        self.reason = reason
        self.picked = picked


def unsure(reading: Reading, because: str) -> Reading:
    """The same value, now to be confirmed (the first reason given is kept)."""
    return Reading(reading.value, False, reading.because or because)


_CONTRACTIONS = (
    (re.compile(r"\b(can)'?t\b"), r"\1 not"),
    (re.compile(r"\bwon'?t\b"), "will not"),
    (re.compile(r"\b(\w+)n't\b"), r"\1 not"),
    (re.compile(r"\b(is|are|was|were|do|does|did|has|have|had|could|would|should)nt\b"), r"\1 not"),
    (re.compile(r"'re\b"), " are"),
    (re.compile(r"'ve\b"), " have"),
    (re.compile(r"'ll\b"), " will"),
    (re.compile(r"'m\b"), " am"),
    (re.compile(r"\b(it|that|there|what|he|she)'s\b"), r"\1 is"),
)
_WORD = re.compile(r"[a-z0-9]+")
CLAUSE_BREAK = "|"
_BREAKS = re.compile(
    r"[,;.!?()\[\]:]+(?=\s|$)|\s[-–—]\s|\b(?:but|though|although|however|except|whereas)\b"
)

# Words that make any reading one to confirm: the person is not sure either.
_HEDGES = (
    "maybe",
    "perhaps",
    "probably",
    "not sure",
    "unsure",
    "i guess",
    "i think so",
    "i think not",
    "kind of",
    "sort of",
    "kinda",
    "sorta",
    "it depends",
    "depends on the",
    "hard to say",
    "somewhat",
    "partly",
    "partially",
    "more or less",
)


def spelled_out(text: str) -> str:
    """Lower case, straight apostrophes, contractions spelled out ("isn't" -> "is not")."""
    text = text.lower().replace("’", "'").replace("‘", "'")
    for pattern, replacement in _CONTRACTIONS:
        text = pattern.sub(replacement, text)
    return text


def tokens(text: str) -> list[str]:
    """The words of `text` with clause breaks kept as `CLAUSE_BREAK` tokens.

    Hyphens and slashes split words ("per-customer" -> "per", "customer")."""
    out: list[str] = []
    for piece in _BREAKS.split(spelled_out(text)):
        words = _WORD.findall(piece)
        if words:
            if out:
                out.append(CLAUSE_BREAK)
            out.extend(words)
    return out


def hedged(text: str) -> bool:
    """Whether the answer carries a hedge ("maybe", "not sure", "I guess")."""
    words = " " + " ".join(_WORD.findall(spelled_out(text))) + " "
    return any(f" {hedge} " in words for hedge in _HEDGES)
