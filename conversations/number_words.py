"""Number words written as digits: "ninety-five" -> 95, "two thousand five hundred" -> 2500,
"half a million" -> 500000. Pure."""

from __future__ import annotations

import re
from decimal import Decimal

__all__ = ["as_digits"]

_UNITS = "zero one two three four five six seven eight nine ten eleven twelve thirteen"
_TEENS = "fourteen fifteen sixteen seventeen eighteen nineteen"
_SMALL = {w: i for i, w in enumerate(f"{_UNITS} {_TEENS}".split(" "))}
_DECADES = "twenty thirty forty fifty sixty seventy eighty ninety"
_TENS = {w: 10 * i for i, w in enumerate(_DECADES.split(" "), start=2)}
_SCALES = {"hundred": 100, "thousand": 1000, "million": 10**6, "billion": 10**9}
_NUMBER_WORDS = re.compile(
    r"\b(?:(?:a|an|half a|one and a half)\s+(?=hundred|thousand|million|billion)|"
    r"(?:" + "|".join([*_SMALL, *_TENS, *_SCALES]) + r")\b(?:[\s-]+(?:and\s+)?"
    r"(?:" + "|".join([*_SMALL, *_TENS, *_SCALES]) + r")\b)*)+",
)


def _words_value(phrase: str) -> Decimal | None:
    """ "two thousand five hundred" -> 2500; "half a million" -> 500000."""
    words = re.findall(r"[a-z]+", phrase.replace("half a", "half"))
    total, current = Decimal(0), Decimal(0)
    seen = False
    for word in words:
        if word in ("a", "an"):
            current, seen = Decimal(1), True
        elif word == "half":
            current, seen = Decimal("0.5"), True
        elif word == "one" and phrase.startswith("one and a half"):
            current, seen = Decimal("1.5"), True
            break
        elif word in _SMALL:
            current += _SMALL[word]
            seen = True
        elif word in _TENS:
            current += _TENS[word]
            seen = True
        elif word == "hundred":
            current = (current or Decimal(1)) * 100
        elif word in _SCALES:
            total += (current or Decimal(1)) * _SCALES[word]
            current = Decimal(0)
            seen = True
    if phrase.startswith("one and a half"):
        scale = next((_SCALES[w] for w in words if w in _SCALES), 1)
        return Decimal("1.5") * scale
    return total + current if seen or total else None


def as_digits(text: str) -> str:
    """Number words written as digits ("ninety-five" -> "95"); "one" alone stays a word."""

    def swap(match: re.Match[str]) -> str:
        phrase = match.group(0).strip()
        if phrase in ("one", "a", "an", *_SCALES):
            return match.group(0)  # "one engineer"; "10 thousand" keeps its suffix
        value = _words_value(phrase)
        return match.group(0) if value is None else f" {value.normalize():f} "

    return _NUMBER_WORDS.sub(swap, text)
