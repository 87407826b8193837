"""The interview understands answers in people's own words: the corpus of natural answers
is read with no wrong reading, and readings stay within what a question accepts."""

from __future__ import annotations

import contextlib
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bench.understanding import MAY_ASK, corpus, judge_all, right_share
from conversations import ParseError
from conversations.parsing import read_answer
from conversations.questions import QUESTIONS


def test_the_corpus_is_read_with_no_wrong_reading() -> None:
    """Every natural answer is read as meant, asked back, or refused: never stored wrong;
    and at least 95 % are read right or confirmed with the right value."""
    judged = judge_all()
    assert len(judged) >= 300
    wrong = [(j.question_id, j.text, j.got) for j in judged if j.outcome == "read wrong"]
    assert wrong == []
    assert right_share(judged) >= 0.95, Counter(j.outcome for j in judged)


def test_the_corpus_covers_every_question_and_choice() -> None:
    """Every question of a workload, and every choice of each, has answers in the corpus."""
    rows = corpus()
    for question_id, q in QUESTIONS.items():
        meant = [expected for qid, _, expected in rows if qid == question_id]
        assert meant, question_id
        for choice in q.choices:
            assert any(
                e == choice.id or (isinstance(e, list) and choice.id in e) for e in meant
            ) or (q.kind == "set" and choice.id == "none"), (question_id, choice.id)
    assert any(expected == MAY_ASK for _, _, expected in rows)


@pytest.mark.parametrize(
    ("question_id", "text", "value", "because"),
    [
        ("requests_per_day", "around 8k, peaking at 15k", 8000, "two numbers"),
        ("requests_per_day", "7000 a week", 1000, "per week"),
        ("requests_per_day", "5-10k", 7500, "a range"),
        ("deployment", "prodution", "production", "a typo"),
        ("baseline_pct", "0.85", 85, "percentage"),
        ("engineer_quarter_usd", "$240k a year", 60000.0, "per year"),
    ],
)
def test_unsure_readings_say_why(question_id: str, text: str, value: object, because: str) -> None:
    """A reading made by a guess (typo, range, conversion, second number, fraction) is one
    to confirm, and says why."""
    reading = read_answer(QUESTIONS[question_id], text)
    assert (reading.value, reading.sure) == (value, False)
    assert because in reading.because


def test_a_refusal_says_what_it_picked_out() -> None:
    """An answer read but not usable says what was picked out of it."""
    with pytest.raises(ParseError, match="picked out 250"):
        read_answer(QUESTIONS["baseline_pct"], "about 250%")


def _within(question_id: str, value: object) -> bool:
    q = QUESTIONS[question_id]
    ids = [c.id for c in q.choices]
    if q.kind == "choice":
        return value in ids
    if q.kind == "set":
        return isinstance(value, list) and all(v in ids for v in value)
    if q.kind in ("int", "float"):
        assert isinstance(value, int | float)
        assert isinstance(value, int) == (q.kind == "int")
        low = q.minimum if q.minimum is not None else float("-inf")
        high = q.maximum if q.maximum is not None else float("inf")
        return low <= value <= high
    return isinstance(value, str) and bool(value.strip())


_PHRASES = (
    "about around 8k 15k peaking at a day week month year per hour 70% 0.5 ninety five "
    "thousand million yes no not good enough acceptable too slow json tone facts none "
    "prodution dailly $ 5-10k out of 100 between and often rarely, but"
)
_WORDS = st.sampled_from(_PHRASES.split(" "))


@settings(max_examples=300, deadline=None)
@given(
    question_id=st.sampled_from(sorted(QUESTIONS)),
    text=st.one_of(st.text(max_size=80), st.lists(_WORDS, max_size=8).map(" ".join)),
)
def test_a_reading_is_never_outside_the_question(question_id: str, text: str) -> None:
    """Whatever is typed, a reading (sure or not) is within the question's range or
    choices; anything else is a ParseError."""
    with contextlib.suppress(ParseError):
        reading = read_answer(QUESTIONS[question_id], text)
        assert _within(question_id, reading.value), (text, reading)


@settings(max_examples=100, deadline=None)
@given(data=st.data())
def test_a_button_value_is_read_exactly(data: st.DataObject) -> None:
    """A choice's id (what its button sends) is read as itself, sure; the ticked boxes of
    a set as those ids."""
    q = data.draw(st.sampled_from([q for q in QUESTIONS.values() if q.choices]))
    ids = [c.id for c in q.choices]
    if q.kind == "set":
        picked = data.draw(st.lists(st.sampled_from(ids), unique=True))
        reading = read_answer(q, picked)
        assert reading.sure and reading.value == [i for i in ids if i in picked]
    else:
        choice = data.draw(st.sampled_from(ids))
        reading = read_answer(q, choice)
        assert reading.sure and reading.value == choice
