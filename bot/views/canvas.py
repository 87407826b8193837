"""The decision's canvas as Markdown: its status, the decision record, and last year's
decision kept in a section of its own after a re-assessment."""

from __future__ import annotations

from bot.views.decision import decision_body
from conversations.state import AssessmentRecord
from conversations.storage.decisions import Lifecycle
from engine.words import pattern_title

__all__ = ["canvas_markdown"]


def _mention(user: str) -> str:
    return f"![](@{user})"  # a canvas's way of naming a person


def _status_lines(record: AssessmentRecord, lifecycle: Lifecycle) -> list[str]:
    status = lifecycle.status()
    lines = [f"**Status:** {status} (version {lifecycle.current}, decided {record.decided_on})"]
    accepted = lifecycle.accepted.get(lifecycle.current)
    if accepted is not None:
        lines.append(f"**Accepted by** {_mention(accepted.by)} on {accepted.at[:10]}")
    deciders = " ".join(_mention(u) for u in (record.owner, *lifecycle.deciders))
    lines.append(f"**Deciders:** {deciders}")
    earlier = lifecycle.supersedes()
    if earlier is not None:
        lines.append(f"**Supersedes:** version {earlier}")
    revisit = "none (retired)" if status == "retired" else record.revisit_on
    lines.append(f"**Revisit:** {revisit}")
    return lines


def _earlier(record: AssessmentRecord, lifecycle: Lifecycle) -> list[str]:
    """Last year's decision (the version before this one), in a section of its own."""
    if not record.history:
        return []
    last = record.history[-1]
    version = lifecycle.current - 1
    result = last.result
    patterns = ", ".join(
        f"{w.name}: {pattern_title(w.pattern)}" if w.name else pattern_title(w.pattern)
        for w in result.workloads
    )
    return [
        "",
        f"## Last year's decision (version {version})",
        "",
        f"- Decided on: {last.decided_on}",
        f"- Status: {lifecycle.status(version)}",
        f"- Chosen: {patterns}",
        f"- Summary: {result.summary.text}",
        "",
    ]


def canvas_markdown(record: AssessmentRecord, lifecycle: Lifecycle) -> str:
    """The whole canvas: written afresh each time (canvases.edit `replace`)."""
    lines = _status_lines(record, lifecycle)
    body = decision_body(record)
    return "\n\n".join(["\n".join(f"- {x}" for x in lines), body]) + "\n".join(
        _earlier(record, lifecycle)
    )
