"""Which question comes next, and which answers count, given everything answered so far."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from conversations.questions import WORKLOAD_ORDER, field_applies
from conversations.state import Answers
from engine import MAX_WORKLOADS

EQ = "engineer_quarter_usd"


@dataclass(frozen=True)
class Plan:
    """The next question to ask (None: all done) and the answers that apply, per workload."""

    next: tuple[int, str] | None
    workloads: list[dict[str, Any]]
    asks_engineer_cost: bool
    passed: tuple[tuple[int, str], ...] = ()  # the answered questions on the way, in order


def walk(answers: Answers) -> Plan:
    """Walk the questions in order; stop at the first one that applies and has no answer."""
    effective: list[dict[str, Any]] = []
    passed: list[tuple[int, str]] = []
    eq_needed = False

    def stop(at: tuple[int, str] | None) -> Plan:
        return Plan(at, effective, eq_needed, tuple(passed))

    if "name" not in answers.top:
        return stop((0, "name"))
    passed.append((0, "name"))
    index = 0
    while True:
        given = answers.workloads[index] if index < len(answers.workloads) else {}
        current: dict[str, Any] = {}
        effective.append(current)
        for question_id in WORKLOAD_ORDER:
            if not field_applies(question_id, current):
                continue
            if question_id not in given:
                return stop((index, question_id))
            current[question_id] = given[question_id]
            passed.append((index, question_id))
        if not eq_needed and ("price_per_mtok" in current or "output_share" in current):
            eq_needed = True
            if EQ not in answers.top:
                return stop((index, EQ))
            passed.append((index, EQ))
        if index + 1 >= MAX_WORKLOADS:
            return stop(None)
        if "another_workload" not in given:
            return stop((index, "another_workload"))
        current["another_workload"] = given["another_workload"]
        passed.append((index, "another_workload"))
        if given["another_workload"] != "yes":
            return stop(None)
        index += 1


def get_answer(answers: Answers, workload: int, question_id: str) -> Any:
    """The stored answer to one question, or None."""
    if question_id in ("name", EQ):
        return answers.top.get(question_id)
    if workload < len(answers.workloads):
        return answers.workloads[workload].get(question_id)
    return None


def set_answer(answers: Answers, workload: int, question_id: str, value: Any) -> Answers:
    """A copy of `answers` with one answer set (None removes it)."""
    new = answers.model_copy(deep=True)
    if question_id in ("name", EQ):
        target = new.top
    else:
        while len(new.workloads) <= workload:
            new.workloads.append({})
        target = new.workloads[workload]
    if value is None:
        target.pop(question_id, None)
    else:
        target[question_id] = value
    return new


def profile_of(answers: Answers, plan: Plan) -> dict[str, Any]:
    """The mapping `engine.parse_profile` takes, from the answers that apply."""
    workloads = []
    for given in plan.workloads:
        fields = {k: v for k, v in given.items() if k not in ("workload_name", "another_workload")}
        workloads.append({"name": given.get("workload_name", ""), **fields})
    profile: dict[str, Any] = {"name": answers.top.get("name", ""), "workloads": workloads}
    if plan.asks_engineer_cost and EQ in answers.top:
        profile[EQ] = answers.top[EQ]
    return profile
