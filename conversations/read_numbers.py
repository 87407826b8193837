"""Reading a number out of what people type: "about 20,000 a day, more on Mondays",
"ninety-five percent", "1.5M a month", "$240k a year", "85 out of 100", "5-10k".
Number words are written as digits first (`number_words.py`); what the figure is per, a
period or a number of tokens, is read and converted in `read_units.py`.

Pure. `read_number(question, text)` gives a `Reading` or raises `Unreadable`. The value
is converted to the question's own unit and period (`Question.per`); a conversion, a
range, a second number, a fraction that may be a percentage or a rounding makes the
reading one to confirm.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import TYPE_CHECKING

from conversations.number_words import as_digits
from conversations.read_units import per_unit
from conversations.reading import Reading, Unreadable, spelled_out

if TYPE_CHECKING:
    from conversations.questions import Question

# Larger numbers are typos, not volumes or prices; they would overflow the cost model.
MAX_NUMBER = Decimal(10) ** 15

_NUMBER = re.compile(
    r"(?P<neg>(?<![\w.])-\s?)?(?P<cur>\$|usd\s*|us\$\s*|€|£)?\s*"
    r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)"
    r"(?:\s*(?P<suffix>k|mm|mn|m|bn|b|thousand|million|billion)(?![a-z]))?"
    r"(?:\s*(?P<pct>%|percent|per cent|pct)(?![a-z]))?"
    r"(?P<after>\s*(?:usd|dollars?|bucks|\$)(?![a-z]))?"
)
_SUFFIX = {
    "k": Decimal(1000),
    "thousand": Decimal(1000),
    "m": Decimal(10**6),
    "mm": Decimal(10**6),
    "mn": Decimal(10**6),
    "million": Decimal(10**6),
    "b": Decimal(10**9),
    "bn": Decimal(10**9),
    "billion": Decimal(10**9),
}
_RANGE = re.compile(
    r"(?:between\s+)?(?<![\d,.])(?P<a>[$]?\d[\d,.]*\s*(?:k|m|thousand|million)?)\s*%?\s*"
    r"(?:-|–|—|to|and|or)\s*(?P<b>[$]?\d[\d,.]*\s*(?:k|m|thousand|million)?\s*%?)"
)
_OUT_OF = re.compile(r"(?<![\d.])(?P<a>\d+(?:\.\d+)?)\s*(?:out of|in|/|of)\s*(?P<b>\d+)(?!\s*%)")
_OTHER_CURRENCY = re.compile(r"[€£¥]|\b(?:eur|euros?|gbp|pounds?|yen|chf)\b", re.I)
# Words that mark a number as a peak or an aside, not the typical figure.
_ASIDE = re.compile(
    r"(?:peak\w*|max\w*|spik\w*|up to|burst\w*|at most|sometimes|worst|busy|busiest|"
    r"high(?:er|est)?|double|more on|less on|\bon\b)\W*$"
)
_ASIDE_AFTER = re.compile(
    r"^\s*(?:/\s*day\s*|a day\s*|per day\s*)?(?:at (?:the )?peaks?|peak|max|maximum|tops|"
    r"on busy days|at busy times|at most|in the worst case)\b"
)
_NOT_THE_QUANTITY = re.compile(
    r"^\s*-?\s*(?:weeks?|days?|months?|years?|hours?|engineers?|people|"
    r"examples|samples|teams?|x\b|times)"
)
_NONE = re.compile(r"\b(?:none|nothing|nil|zero)\b")
_IN = re.compile(r"\b(?:in|input|prompt)\b")
_OUT = re.compile(r"\b(?:out|output|completions?|responses?|answers?|repl(?:y|ies))\b")


@dataclass
class _Found:
    start: int
    value: Decimal
    marked: bool  # carries the question's unit mark ($ for money, % for a percentage)
    scaled: bool  # had k/M/thousand: a deliberate figure
    aside: bool  # a peak, a maximum or a count of something else
    percent: bool
    exact: bool = True  # False: a range's middle, or a fraction turned into a percentage
    because: str = ""


def _decimal(raw: str) -> Decimal:
    try:
        return Decimal(raw.replace(",", "").replace("$", "").strip() or "x")
    except InvalidOperation:
        raise Unreadable() from None


def _with_suffix(raw: str) -> tuple[Decimal, bool]:
    match = re.fullmatch(r"\s*\$?([\d,.]+)\s*(k|m|thousand|million)?\s*%?\s*", raw)
    if match is None:
        raise Unreadable()
    value = _decimal(match[1])
    if match[2]:
        return value * _SUFFIX[match[2]], True
    return value, False


def _clause_before(text: str, at: int) -> str:
    """The words before position `at` in its own clause (after the last comma or "but")."""
    return re.split(r"[,;]|\bbut\b|\band\b", text[:at])[-1]


_FRACTION_WORDS = re.compile(
    r"\b(?:(?P<n>an?|one|\d+)\s+(?P<part>half|halves|thirds?|quarters?|fifths?|tenths?)|"
    r"(?P<half>half))\b"
    r"(?!\s+(?:a|an|of a)\s+(?:million|thousand))"
)
_PARTS_OF = {"hal": 2, "thi": 3, "qua": 4, "fif": 5, "ten": 10}


def _found(question: Question, text: str) -> list[_Found]:
    found: list[_Found] = []
    taken: list[tuple[int, int]] = []

    def free(start: int, end: int) -> bool:
        return all(end <= a or start >= b for a, b in taken)

    if question.unit == "%":
        for m in _FRACTION_WORDS.finditer(text):
            n = m["n"] or "1"
            count = Decimal(1) if n in ("a", "an", "one") else _decimal(n)
            share = count * 100 / _PARTS_OF[(m["part"] or "half")[:3]]
            found.append(_Found(m.start(), share, True, False, False, True, False, "a fraction"))
            taken.append(m.span())
        for m in _OUT_OF.finditer(text):
            a, b = _decimal(m["a"]), _decimal(m["b"])
            if b == 0:
                continue
            exact = b == 100
            found.append(
                _Found(m.start(), a * 100 / b, True, False, False, True, exact, "a fraction")
            )
            taken.append(m.span())
    for m in _RANGE.finditer(text):
        if not free(*m.span()) or not re.search(r"\d", m["b"]):
            continue
        (a, a_scaled), (b, b_scaled) = _with_suffix(m["a"]), _with_suffix(m["b"])
        if b_scaled and not a_scaled and a < b / 100 and a > 0:
            a *= b / _decimal(re.sub(r"[^\d.]", "", m["b"]) or "1")
        if a >= b:  # "2024-12" or "10 - 5": not a range
            continue
        before = _clause_before(text, m.start())
        marked = "$" in m.group(0) or "%" in m.group(0) or "usd" in text[m.end() : m.end() + 5]
        found.append(
            _Found(
                m.start(),
                (a + b) / 2,
                marked,
                a_scaled or b_scaled,
                bool(_ASIDE.search(before)),
                "%" in m.group(0),
                False,
                "a range",
            )
        )
        taken.append(m.span())
    for m in _NUMBER.finditer(text):
        if not free(*m.span("num")):
            continue
        value = _decimal(m["num"])
        suffix = (m["suffix"] or "").strip()
        if suffix:
            value *= _SUFFIX[suffix]
        if m["neg"]:
            value = -value
        money = bool(m["cur"] or m["after"])
        percent = bool(m["pct"])
        marked = money if question.unit == "USD" else percent if question.unit == "%" else False
        before, after = _clause_before(text, m.start()), text[m.end() :]
        aside = (
            bool(_ASIDE.search(before))
            or bool(_NOT_THE_QUANTITY.match(after))
            or bool(_ASIDE_AFTER.match(after))
        )
        if question.unit != "%" and percent:
            aside = True
        found.append(_Found(m.start(), value, marked, bool(suffix), aside, percent))
    return sorted(found, key=lambda f: f.start)


def read_number(question: Question, typed: str) -> Reading:
    """The number an answer gives, in the question's unit; `Unreadable` if none."""
    text = as_digits(spelled_out(typed))
    text = re.sub(r"\bone\s+(?=(?:in|out of)\s+\d)", "1 ", text)  # "one in four" is 1 in 4
    text = re.sub(r"(?<=\d)\s(?=\d{3}\b)", "", text)  # "20 000" -> "20000"
    text = re.sub(r"\b24\s*/\s*7\b", " ", text)
    text, factor, because = per_unit(question, text)
    found = _found(question, text)
    if not found:
        if _NONE.search(text) and question.minimum is not None and question.minimum <= 0:
            return Reading(0 if question.kind == "int" else 0.0)
        raise Unreadable()
    return _choose(question, found, factor, because, typed)


def _choose(
    question: Question, found: list[_Found], factor: Decimal, because: str, typed: str
) -> Reading:
    percent_ok = question.unit in ("%", "share")
    usable = [f for f in found if not (f.percent and not percent_ok)]
    if not usable:
        raise Unreadable(
            "That looks like a percentage, and this question needs a count or an amount.",
            picked=", ".join(f"{f.value.normalize():f}%" for f in found[:3]),
        )
    best = max(usable, key=lambda f: (not f.aside, f.marked, f.scaled, -f.start))
    value = best.value * factor
    sure = best.exact and factor == 1 and not because
    why = best.because or because
    typed = spelled_out(typed)
    if question.sums_parts and len(usable) == 2 and _IN.search(typed) and _OUT.search(typed):
        value, sure, why = sum(f.value for f in usable) * factor, False, "a sum of the two parts"
    elif len(usable) > 1:
        sure, why = False, why or "two numbers in one answer"
    if question.unit == "%" and not best.percent and 0 < value < 1 and best.exact:
        value, sure, why = value * 100, False, "a fraction read as a percentage"
    if question.unit == "share":  # stored from 0 to 1: "30%" is 0.3
        if best.percent:
            value = value / 100
        elif 1 < value <= 100:
            value, sure, why = value / 100, False, why or "a number read as a percentage"
    if question.kind == "int" and value != value.to_integral_value():
        rounded = value.quantize(Decimal(1), rounding=ROUND_HALF_UP)
        if not best.scaled and factor == 1 and best.exact:
            sure, why = False, why or "a whole number"
        value = rounded
    elif question.kind == "float" and not sure:
        # Cents, but never fewer than four significant figures: "$0.0375" stays as typed.
        value = (
            value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
            if abs(value) >= 1
            else Decimal(format(value, ".4g"))
        )
    if question.unit == "USD" and _OTHER_CURRENCY.search(typed):
        sure, why = False, why or "an amount not in US dollars, taken as dollars"
    low, high = question.minimum, question.maximum
    if (
        (low is not None and value < Decimal(str(low)))
        or (high is not None and value > Decimal(str(high)))
        or abs(value) > MAX_NUMBER
    ):
        shown = f"{value.normalize():f}" if abs(value) <= MAX_NUMBER else "a very large number"
        raise Unreadable("That number is out of range.", picked=shown)
    return Reading(int(value) if question.kind == "int" else float(value), sure, why)
