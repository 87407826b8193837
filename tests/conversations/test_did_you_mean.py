"""An answer the interview is not sure of is offered back ("did you mean …?") and stored
only on a yes; a no asks the question again; anything else answers as usual."""

from __future__ import annotations

from typing import Any

from conversations import Answered, Ask, Confirm, Reply
from conversations.state import Effect, InterviewState
from tests.conversations.helpers import FULL_RAG_WORKLOAD, answer_by_question, ask_of, new, send


def _at(question_id: str) -> InterviewState:
    """An interview with the workload answered up to `question_id`, which is open."""
    state, effects = new()
    state, effects = answer_by_question(
        state, effects, {k: v for k, v in FULL_RAG_WORKLOAD.items() if k != question_id}
    )
    assert state.current is not None and state.current.question_id == question_id
    return state


def _confirm(effects: list[Effect]) -> Confirm:
    (confirm,) = [e for e in effects if isinstance(e, Confirm)]
    return confirm


def _stored(state: InterviewState, question_id: str) -> Any:
    return state.answers.workloads[0].get(question_id)


def test_an_unsure_reading_is_offered_and_nothing_is_stored() -> None:
    """Two numbers in one answer: the typical one is offered, with the reason, not stored."""
    state = _at("requests_per_day")
    moved, effects = send(state, "around 8k, peaking at 15k")
    confirm = _confirm(effects)
    assert (confirm.action, confirm.question_id, confirm.workload, confirm.value) == (
        "answer",
        "requests_per_day",
        0,
        8000,
    )
    assert "Did you mean *8,000* for requests per day?" in confirm.text
    assert "two numbers" in confirm.text
    assert confirm.ask_id == state.current.ask_id  # type: ignore[union-attr]
    assert _stored(moved, "requests_per_day") is None
    assert moved.current == state.current and moved.pending == "answer"


def test_a_typed_yes_stores_the_offered_value_and_goes_on() -> None:
    state = _at("requests_per_day")
    state, _ = send(state, "7000 a week")
    state, effects = send(state, "yes")
    assert _stored(state, "requests_per_day") == 1000
    answered = [e for e in effects if isinstance(e, Answered)]
    assert answered[0].answer_label == "1,000"
    assert ask_of(effects).question_id == "tokens_per_request"
    assert state.pending is None and state.proposed is None


def test_the_yes_button_stores_it_too() -> None:
    state = _at("deployment")
    state, effects = send(state, "prodution")
    ask_id = _confirm(effects).ask_id
    state, effects = send(state, "", command="confirm", ask_id=ask_id)
    assert _stored(state, "deployment") == "production"
    assert ask_of(effects).question_id == "domain"


def test_a_no_asks_the_question_again_as_a_new_message() -> None:
    state = _at("deployment")
    before = state.current
    state, _ = send(state, "prodution")
    state, effects = send(state, "no")
    assert _stored(state, "deployment") is None
    again = ask_of(effects)
    assert again.question_id == "deployment" and again.ask_id != before.ask_id  # type: ignore[union-attr]
    assert any(isinstance(e, Reply) and "nothing was stored" in e.text for e in effects)


def test_another_answer_instead_of_yes_or_no_is_read_as_usual() -> None:
    state = _at("requests_per_day")
    state, _ = send(state, "around 8k, peaking at 15k")
    state, effects = send(state, "9000")
    assert _stored(state, "requests_per_day") == 9000
    assert state.pending is None
    assert ask_of(effects).question_id == "tokens_per_request"


def test_a_yes_no_question_confirms_with_a_yes_too() -> None:
    """On a yes/no question a pending "did you mean" takes the typed yes as the confirmation."""
    state = _at("frontier_ok")
    state, effects = send(state, "latency is fine but the cost is too high")
    assert _confirm(effects).value == "no"
    state, _ = send(state, "yes")
    assert _stored(state, "frontier_ok") == "no"


def test_a_sure_reading_is_stored_at_once() -> None:
    state = _at("frontier_ok")
    state, effects = send(state, "acceptable")
    assert not [e for e in effects if isinstance(e, Confirm)]
    assert _stored(state, "frontier_ok") == "yes"


def test_an_unreadable_answer_says_what_it_picked_out() -> None:
    state = _at("baseline_pct")
    moved, effects = send(state, "about 250%")
    (reply,) = [e for e in effects if isinstance(e, Reply)]
    assert "picked out 250" in reply.text and "percentage" in reply.text
    assert moved.current == state.current
    assert not [e for e in effects if isinstance(e, Ask)]


def test_a_did_you_mean_is_kept_with_the_delivery_mark_and_read_back_whole() -> None:
    """Effects owed to Slack are stored until delivered: a confirmation (with the value it
    offers) reads back as it was written, so a retried delivery posts the same question."""
    from conversations.storage.thread_views import effects_from_json, effects_to_json

    offered = Confirm("a1-9", "answer", "Did you mean …?", "gaps", 1, ["format", "knowledge"])
    plain = Confirm("a1-9", "cancel", "Cancel this assessment?")
    assert effects_from_json(effects_to_json([offered, plain])) == [offered, plain]
