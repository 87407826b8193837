"""Re-assessment starts from last year's answers and asks again what moves with time."""

from __future__ import annotations

from typing import Any

from conversations import Ask, Completed
from conversations.state import Effect
from engine import VOLATILE_FIELDS

from .helpers import FULL_RAG_WORKLOAD, answer_by_question, ask_of, new, send


def _completed_record() -> dict[str, Any]:
    state, effects = new()
    state, effects = answer_by_question(
        state, effects, {**FULL_RAG_WORKLOAD, "another_workload": "no"}
    )
    done = [e for e in effects if isinstance(e, Completed)]
    assert done
    return done[0].record


def _asks(effects: list[Effect]) -> list[Ask]:
    return [e for e in effects if isinstance(e, Ask)]


def test_reassessment_asks_volatile_fields_with_last_answer_as_default() -> None:
    """Only volatile fields are asked; each offers last year's answer; skip keeps it all."""
    record = _completed_record()
    state, effects = new(previous=record)
    first = ask_of(effects)
    assert first.question_id == "freshness" and first.default_label == "Every day"
    assert first.intro_text is not None and "`change knowledge needed`" in first.intro_text
    assert "Knowledge needed: A large" in first.intro_text
    assert "Repeated queries: Often" in first.intro_text
    assert "repeat_queries" not in first.intro_text and " = " not in first.intro_text
    asked = [first.question_id]
    for _ in range(30):
        if state.current is None:
            break
        state, effects = send(state, "skip")
        asked += [a.question_id for a in _asks(effects)]
    assert set(asked) <= set(VOLATILE_FIELDS)
    assert "requests_per_day" in asked and "baseline_pct" in asked
    done = [e for e in effects if isinstance(e, Completed)]
    assert done
    new_record = done[0].record
    assert new_record["assessment_id"] == record["assessment_id"]
    assert new_record["profile"] == record["profile"]
    assert new_record["history"] == [
        {k: record[k] for k in ("decided_on", "revisit_on", "profile", "result")}
    ]


def test_reassessment_takes_new_answers_and_change() -> None:
    """A new answer replaces last year's, and `change` re-asks a kept field."""
    record = _completed_record()
    state, effects = new(previous=record)
    state, effects = send(state, "change task")
    assert ask_of(effects).question_id == "task"
    state, effects = send(state, "classification")  # nothing volatile applies any more
    done = [e for e in effects if isinstance(e, Completed)]
    assert done and done[0].record["result"]["workloads"][0]["pattern"] == "no_llm"
    assert done[0].record["profile"]["workloads"][0]["task"] == "classification"
