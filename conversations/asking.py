"""Asking a question: the next one the plan reaches, under a fresh ask id, with its default
(last time's answer when re-assessing) and whether `back` can reach an earlier one. Pure."""

from __future__ import annotations

from typing import Any

from conversations import _plan as plan
from conversations.questions import QUESTIONS, question
from conversations.recap import answers_from
from conversations.state import Ask, AskRef, Effect, InterviewState

__all__ = ["ask", "ask_effect", "ask_next", "back_to", "default_answer", "previous_answer", "reask"]


def previous_answer(state: InterviewState, ref: AskRef) -> Any:
    """Last assessment's answer to this question in a re-assessment, or None."""
    if state.previous is None:
        return None
    earlier = answers_from(state.previous, keep_volatile=True)
    return plan.get_answer(earlier, ref.workload, ref.question_id)


def default_answer(state: InterviewState, ref: AskRef) -> Any:
    """Last assessment's answer in a re-assessment, else the framework default."""
    previous = previous_answer(state, ref)
    return previous if previous is not None else QUESTIONS[ref.question_id].default


def back_to(state: InterviewState, ref: AskRef) -> tuple[int, str] | None:
    """The question `back` returns to from `ref`: the last one asked before it, if any."""
    here = (ref.workload, ref.question_id)
    passed = plan.walk(state.answers).passed
    if here in passed:  # the open question was itself reached by `back`
        passed = passed[: passed.index(here)]
    asked = {(r.workload, r.question_id) for r in state.asked}
    earlier = [at for at in passed if at in asked]
    return earlier[-1] if earlier else None


def ask_next(
    state: InterviewState, effects: list[Effect], intro: str | None = None
) -> tuple[InterviewState, list[Effect]]:
    upcoming = plan.walk(state.answers).next
    assert upcoming is not None  # callers check for completion first
    return ask(state, effects, upcoming[0], upcoming[1], intro)


def ask(
    state: InterviewState,
    effects: list[Effect],
    workload: int,
    question_id: str,
    intro: str | None,
) -> tuple[InterviewState, list[Effect]]:
    seq = state.seq + 1
    ref = AskRef(ask_id=f"{state.assessment_id}-{seq}", workload=workload, question_id=question_id)
    moved = state.model_copy(update={"current": ref, "seq": seq})
    return moved, [*effects, ask_effect(moved, ref, intro)]


def ask_effect(state: InterviewState, ref: AskRef, intro: str | None) -> Ask:
    q = question(ref.question_id)
    default = default_answer(state, ref)
    return Ask(
        ask_id=ref.ask_id,
        workload=ref.workload,
        question_id=ref.question_id,
        prompt=q.prompt,
        choices=tuple((c.id, c.label) for c in q.choices),
        multi=q.multi,
        default_label=None if default is None else q.label_for(default),
        intro_text=intro,
        workload_name=plan.get_answer(state.answers, ref.workload, "workload_name"),
        can_go_back=back_to(state, ref) is not None,
    )


def reask(state: InterviewState) -> Ask | None:
    """The open question asked again under its own ask_id (to show it anew, e.g. after a
    restart); None when the interview is over."""
    if state.status != "open" or state.current is None:
        return None
    return ask_effect(state, state.current, None)
