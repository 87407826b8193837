"""What `change` names: a question, by its words or id, and which workloads to ask it in."""

from __future__ import annotations

from typing import Any

from conversations.questions import QUESTIONS, question_words


def _changeable() -> dict[str, str]:
    """What `change` takes, lower-cased, to the field id: the words, the id, the id spaced."""
    found: dict[str, str] = {}
    for question_id in QUESTIONS:
        if question_id != "another_workload":
            for name in (question_words(question_id), question_id, question_id.replace("_", " ")):
                found.setdefault(name.lower(), question_id)
    return found


_CHANGEABLE = _changeable()


def field_and_target(typed: str) -> tuple[str | None, str]:
    """The field `change` names and what follows it after "for"/"in" (a workload), if any."""
    for words in (typed, typed.replace("_", " ")):
        if words in _CHANGEABLE:
            return _CHANGEABLE[words], ""
    for joint in (" for ", " in ", " of "):
        head, _, tail = typed.rpartition(joint)
        if head and (head in _CHANGEABLE or head.replace("_", " ") in _CHANGEABLE):
            return _CHANGEABLE.get(head) or _CHANGEABLE[head.replace("_", " ")], tail.strip()
    return None, ""


def workloads_named(target: str, workloads: list[dict[str, Any]], current: int) -> list[int] | None:
    """Which workloads `change … for <target>` means: the open question's when none is named."""
    if not target:
        return [current]
    if target in ("all", "every workload", "all workloads", "both", "each workload"):
        return list(range(len(workloads)))
    number = target.removeprefix("workload ").removeprefix("#").strip()
    if number.isascii() and number.isdigit() and 1 <= int(number) <= len(workloads):
        return [int(number) - 1]
    named = [
        i for i, w in enumerate(workloads) if str(w.get("workload_name", "")).lower() == target
    ]
    return named or None
