"""What a figure is per: a period ("a week", "per hour", "monthly", "every 2 days", "10 rps")
or, for a price, a number of tokens ("per 1k tokens"); and the factor that converts it to
the question's own (`Question.per`), on the calendar or, for a person's cost, at work. Pure.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import TYPE_CHECKING

from conversations.reading import Unreadable

if TYPE_CHECKING:
    from conversations.questions import Question

__all__ = ["per_unit"]

# Periods in days, on the calendar (requests) or at work (a person's cost).
_CALENDAR = {
    "second": Decimal(1) / 86400,
    "minute": Decimal(1) / 1440,
    "hour": Decimal(1) / 24,
    "day": Decimal(1),
    "week": Decimal(7),
    "month": Decimal(365) / 12,
    "quarter": Decimal(365) / 4,
    "year": Decimal(365),
}
_WORKING = {
    "hour": Decimal(1) / 8,
    "day": Decimal(1),
    "week": Decimal(5),
    "month": Decimal(260) / 12,
    "quarter": Decimal(65),
    "year": Decimal(260),
}
_PERIOD_NAMES = {
    "second": r"s|sec|secs|second|seconds",
    "minute": r"min|mins|minute|minutes",
    "hour": r"h|hr|hrs|hour|hours",
    "day": r"d|day|days",
    "week": r"wk|wks|week|weeks",
    "month": r"mo|mth|month|months",
    "quarter": r"q|qtr|quarter|quarters",
    "year": r"y|yr|yrs|year|years|annum",
}
_PERIOD_OF = {name: period for period, names in _PERIOD_NAMES.items() for name in names.split("|")}
_PERIOD = re.compile(
    r"(?:\bper|\ba|\ban|\beach|\bevery|/)\s*(?:(?P<count>\d+)\s*)?"
    r"(?P<unit>" + "|".join(sorted(_PERIOD_OF, key=len, reverse=True)) + r")\b"
    r"|\b(?P<adverb>hourly|daily|weekly|monthly|quarterly|yearly|annually|annual|nightly)\b"
    r"|\b(?P<rate>rps|qps|req/s|rpm|rph)\b"
)
_ADVERB = {
    "hourly": "hour",
    "daily": "day",
    "nightly": "day",
    "weekly": "week",
    "monthly": "month",
    "quarterly": "quarter",
    "yearly": "year",
    "annually": "year",
    "annual": "year",
}
_RATE = {"rps": "second", "qps": "second", "req/s": "second", "rpm": "minute", "rph": "hour"}

# What the price is per: a million tokens, unless the answer says a thousand or one token.
_PER_TOKENS = re.compile(
    r"(?:/|\bper\b|\bfor\b|\ba\b|\bevery\b)\s*(?:(?:1|one)\s*)?"
    r"(?P<size>m\b|mtok\w*|mil\b|million|1m\b|1,000,000|k\b|ktok\w*|thousand|1k\b|1,000|1000|"
    r"token\b|tok\b)\s*(?:input\s+|output\s+|in\s+|out\s+)?(?:tokens?\b|toks?\b)?"
)
_TOKEN_FACTOR = {"m": 1, "k": 1000, "t": 1_000_000}


def _period(text: str) -> tuple[str | None, Decimal, list[tuple[int, int]]]:
    """The period the answer names ("a week", "per hour", "monthly", "10 rps"), its count
    ("every 2 weeks": 2), and the spans to leave out when looking for numbers."""
    unit: str | None = None
    count = Decimal(1)
    spans: list[tuple[int, int]] = []
    for m in _PERIOD.finditer(text):
        name = m["unit"] or m["adverb"] or m["rate"]
        period = _PERIOD_OF.get(name) if m["unit"] else _ADVERB.get(name) or _RATE.get(name)
        if m["unit"] in ("s", "d", "h", "y", "q", "mo") and not m.group(0).startswith(("/", "per")):
            continue  # "a d" or "an h" are not periods
        if period is None:
            continue
        if unit is None:
            unit = period
            if m["count"]:
                count = Decimal(m["count"])
        spans.append(m.span())
    return unit, count, spans


def _blank(text: str, spans: list[tuple[int, int]]) -> str:
    for start, end in spans:
        text = text[:start] + " " * (end - start) + text[end:]
    return text


def per_unit(question: Question, text: str) -> tuple[str, Decimal, str]:
    """The text with its unit words blanked out, the factor from the unit it names to the
    question's, and why the reading needs a confirmation ("" when no conversion)."""
    factor, because = Decimal(1), ""
    if question.per == "mtok":
        size = _PER_TOKENS.search(text)
        if size is not None:
            kind = size["size"][0] if size["size"][0] in "mkt" else "m"
            if size["size"].startswith(("1,000", "1000", "thousand")):
                kind = "k"
            if size["size"].startswith("1,000,000"):
                kind = "m"
            factor = Decimal(_TOKEN_FACTOR[kind])
            because = "" if kind == "m" else "a conversion to a price per million tokens"
            text = _blank(text, [size.span()])
    elif question.per:
        unit, count, spans = _period(text)
        text = _blank(text, spans)
        if unit is not None and (unit != question.per or count != 1):  # "500 every 2 days"
            days = _WORKING if question.working_time else _CALENDAR
            if unit not in days:
                raise Unreadable(picked=f"a figure per {unit}")
            factor = days[question.per] / (days[unit] * count)
            every = f"{count} {unit}s" if count != 1 else unit
            because = f"a conversion from a figure per {every}"
    return text, factor, because
