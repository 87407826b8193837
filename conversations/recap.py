"""What the interview says back about the answers: the `status` recap, and, when
re-assessing, the answers kept from last time and the intro that lists them. Pure."""

from __future__ import annotations

from typing import Any

from conversations import _plan as plan
from conversations.parsing import escape
from conversations.questions import QUESTIONS, question, question_words
from conversations.state import Answers, InterviewState
from engine import VOLATILE_FIELDS
from engine.words import upper_first

__all__ = ["answer_text", "answers_from", "reassess_intro", "status_text"]

_KEPT_ON_REASSESS = ("name", "workload_name", "another_workload")


def answers_from(record: dict[str, Any], *, keep_volatile: bool = False) -> Answers:
    """Last assessment's answers; volatile fields dropped unless `keep_volatile`."""
    workloads = [
        {k: v for k, v in given.items() if keep_volatile or k not in VOLATILE_FIELDS}
        for given in record.get("answers") or [{}]
    ]
    top: dict[str, Any] = {"name": record.get("name") or "Untitled"}
    profile = record.get("profile") or {}
    if plan.EQ in profile:
        top[plan.EQ] = profile[plan.EQ]
    return Answers(top=top, workloads=workloads)


def reassess_intro(record: dict[str, Any], answers: Answers) -> str:
    name = escape(record.get("name"))
    lines = [
        f"Time to look again at “{name}” (decided {record.get('decided_on')}). "
        "I'll ask again what tends to move in a year, offering last time's answer "
        "(`skip` keeps it). These answers are kept:"
    ]
    for index, given in enumerate(answers.workloads):
        kept = [
            answer_text(k, v)
            for k, v in given.items()
            if k in QUESTIONS and k not in _KEPT_ON_REASSESS
        ]
        title = escape(given.get("workload_name", f"Workload {index + 1}"))
        lines.append(f"• {title}: {'; '.join(kept)}")
    lines.append("Type `change` and what to answer again (e.g. `change knowledge needed`).")
    return "\n".join(lines)


def answer_text(question_id: str, value: Any) -> str:
    """One answer as the person reads it: "Prompt baseline: 72%", never the field's id."""
    what = question_words(question_id)
    return f"{upper_first(what)}: {escape(question(question_id).label_for(value))}"


def status_text(state: InterviewState) -> str:
    name = escape(state.answers.top.get("name", "(unnamed)"))
    lines = [f"Assessment “{name}”. Answered so far:"]
    for index, given in enumerate(plan.walk(state.answers).workloads):
        title = escape(given.get("workload_name", f"Workload {index + 1}"))
        shown = [answer_text(k, v) for k, v in given.items() if k != "workload_name"]
        lines.append(f"• {title}: {'; '.join(shown) if shown else 'nothing yet'}")
    if plan.EQ in state.answers.top:
        cost = question(plan.EQ).label_for(state.answers.top[plan.EQ])
        lines.append(f"• engineer cost per quarter: {cost}")
    if state.current is not None:
        lines.append(f"Now: {question(state.current.question_id).prompt}")
    return "\n".join(lines)
