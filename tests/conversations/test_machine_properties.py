"""Properties of the machine over many inputs and paths (hypothesis)."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import engine
from conversations import Completed, ParseError, Reply
from conversations.parsing import read_answer
from conversations.questions import QUESTIONS
from conversations.state import InterviewState

from .helpers import new, send

_PROPS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _mid_interview() -> list[InterviewState]:
    """States open on a text, a choice, a number and a set question."""
    states = []
    state, _ = new()
    for text in ["billing", "prod", "general", "generation", "corpus", "daily", "yes", "70"]:
        if state.current and state.current.question_id in ("workload_name", "deployment"):
            states.append(state)
        state, _ = send(state, text)
    states.append(state)  # gaps
    return states


STATES = _mid_interview()


@_PROPS
@given(index=st.integers(0, len(STATES) - 1), text=st.text(max_size=400))
def test_any_text_never_raises_and_moves_only_when_it_parses(index: int, text: str) -> None:
    """Any text is either read as the open question's answer (stored, or offered back with
    a "did you mean") or leaves the state unchanged."""
    state = STATES[index]
    assert state.current is not None
    q = QUESTIONS[state.current.question_id]
    after, effects = send(state, text)
    try:
        read_answer(q, text)
        readable = True
    except ParseError:
        readable = False
    if after == state:
        assert effects == [] or isinstance(effects[0], Reply)
    else:
        words = text.strip().lower()
        assert (
            readable
            or words.startswith("change")
            or words
            in {
                "back",
                "skip",
                "why",
                "status",
                "restart",
                "cancel",
            }
        )


def _answer_for(data: st.DataObject, question_id: str) -> str:
    q = QUESTIONS[question_id]
    if q.default is not None and data.draw(st.booleans()):
        return "skip"
    if q.kind == "text":
        return data.draw(st.sampled_from(["billing", "Ticket triage 🎫", "x"]))
    if q.kind == "choice":
        return data.draw(st.sampled_from([c.id for c in q.choices]))
    if q.kind == "set":
        picked = data.draw(st.lists(st.sampled_from([c.id for c in q.choices]), max_size=5))
        return " and ".join(picked) if picked else "none"
    high = int(q.maximum) if q.maximum is not None else 2_000_000
    number = data.draw(st.integers(int(q.minimum or 0), high))
    return data.draw(st.sampled_from([str(number), f"about {number:,}"]))


@_PROPS
@given(data=st.data())
def test_every_path_ends_in_a_profile_the_engine_accepts(data: st.DataObject) -> None:
    """Whatever is answered or skipped, the interview completes and the engine accepts it."""
    state, effects = new(name=None)
    backs = data.draw(st.integers(0, 5))  # bounded, so every drawn path finishes
    for _ in range(200):
        if state.current is None:
            break
        text = _answer_for(data, state.current.question_id)
        if backs and data.draw(st.integers(0, 5)) == 0:
            backs, text = backs - 1, "back"
        state, effects = send(state, text)
    done = [e for e in effects if isinstance(e, Completed)]
    assert done, "the interview did not complete"
    record: dict[str, Any] = done[0].record
    parsed = engine.parse_profile(record["profile"])
    assert len(parsed.workloads) == len(record["result"]["workloads"]) <= 5
