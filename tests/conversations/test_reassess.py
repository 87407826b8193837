"""Re-assessment starts from last year's answers and asks again what moves with time."""

from __future__ import annotations

from typing import Any

from conversations import Answered, Ask, Completed, Reply
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


def _two_workload_record() -> dict[str, Any]:
    state, effects = new()
    state, effects = answer_by_question(state, effects, FULL_RAG_WORKLOAD)
    state, effects = send(state, "yes")  # another workload
    second = {**FULL_RAG_WORKLOAD, "workload_name": "ticket triage", "another_workload": "no"}
    state, effects = answer_by_question(state, effects, second)
    done = [e for e in effects if isinstance(e, Completed)]
    assert done and len(done[0].record["answers"]) == 2
    return done[0].record


def test_skip_in_a_reassessment_says_it_kept_last_times_answer() -> None:
    """`skip` keeps last year's answer and says so, not "the default"."""
    state, effects = new(previous=_completed_record())
    state, effects = send(state, "skip")
    (answered,) = [e for e in effects if isinstance(e, Answered)]
    assert answered.kept_previous and not answered.kept_default
    assert answered.answer_label == "Every day"


def test_change_with_two_workloads_asks_only_the_open_workloads_answer() -> None:
    """`change tokens per request` re-asks it for the workload being answered, and says
    which; the other workload keeps its answer unless named (`for ticket triage`)."""
    record = _two_workload_record()
    state, effects = new(previous=record)
    state, effects = send(state, "change tokens per request")
    reply = next(e for e in effects if isinstance(e, Reply))
    assert "“billing answers”" in reply.text and "ticket triage" not in reply.text
    assert state.answers.workloads[1]["tokens_per_request"] == 1500
    assert "tokens_per_request" not in state.answers.workloads[0]
    state, effects = send(state, "change tokens per request for ticket triage")
    assert "tokens_per_request" not in state.answers.workloads[1]
    asked: list[tuple[int, str]] = []
    for _ in range(60):
        if state.current is None:
            break
        current = (state.current.workload, state.current.question_id)
        asked.append(current)
        reply_text = "2000" if current[1] == "tokens_per_request" else "skip"
        state, effects = send(state, reply_text)
    assert asked.count((0, "tokens_per_request")) == 1
    assert asked.count((1, "tokens_per_request")) == 1


def test_change_names_an_unknown_workload() -> None:
    state, _ = new(previous=_two_workload_record())
    _, effects = send(state, "change tokens per request for nothing like it")
    (reply,) = effects
    assert isinstance(reply, Reply) and "ticket triage" in reply.text
