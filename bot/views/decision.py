"""A decision's lifecycle as the person sees it: the Accept and Retire buttons under a
recommendation, Take over when its owner left, and the decision record with MADR-style
front matter (status, deciders, date, supersedes)."""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import ActionsBlock, Block, ButtonElement, ConfirmObject

import engine
from bot.views import text as t
from bot.views._blocks import sections, to_dicts
from bot.views.action_ids import ACCEPT_ACTION, CANVAS_ACTION, RETIRE_ACTION, TAKE_OVER_ACTION
from conversations.state import AssessmentRecord
from conversations.storage.decisions import Lifecycle, version_of

__all__ = [
    "decision_body",
    "decision_buttons",
    "decision_record",
    "front_matter",
    "status_words",
    "take_over_blocks",
]


def decision_buttons(assessment_id: str) -> list[dict[str, Any]]:
    """Accept, Publish as canvas and Retire (with a confirmation), for the recommendation's
    buttons row."""
    confirm = ConfirmObject(
        title=t.RETIRE_CONFIRM_TITLE,
        text=t.RETIRE_CONFIRM_TEXT,
        confirm=t.RETIRE_CONFIRM_YES,
        deny=t.RETIRE_CONFIRM_NO,
    )
    return [
        ButtonElement(
            text=t.ACCEPT, action_id=ACCEPT_ACTION, value=assessment_id, style="primary"
        ).to_dict(),
        ButtonElement(
            text=t.PUBLISH_CANVAS, action_id=CANVAS_ACTION, value=assessment_id
        ).to_dict(),
        ButtonElement(
            text=t.RETIRE, action_id=RETIRE_ACTION, value=assessment_id, confirm=confirm
        ).to_dict(),
    ]


def take_over_blocks(owner: str, assessment_id: str) -> list[dict[str, Any]]:
    """Added under a thread nudge whose owner is deactivated: anyone may take it over."""
    blocks: list[Block] = list(sections(t.TAKE_OVER_NOTE.format(owner=owner)))
    button = ButtonElement(text=t.TAKE_OVER, action_id=TAKE_OVER_ACTION, value=assessment_id)
    blocks.append(ActionsBlock(elements=[button]))
    return to_dicts(blocks)


def status_words(lifecycle: Lifecycle | None) -> str:
    return t.STATUS_WORDS[lifecycle.status() if lifecycle else "proposed"]


def _version_line(record: AssessmentRecord, version: int) -> str:
    """`a1b2c3 v1 (decided 2025-12-06)`: a version of this decision, by id and date."""
    dated = (
        record.decided_on
        if version == version_of(record)
        else record.history[version - 1].decided_on
        if 0 < version <= len(record.history)
        else "?"
    )
    return f"{record.assessment_id} v{version} (decided {dated})"


def front_matter(record: AssessmentRecord, lifecycle: Lifecycle) -> str:
    """The record's YAML front matter, MADR-style."""
    current = lifecycle.current
    deciders = [record.owner, *lifecycle.deciders]
    lines = [
        "---",
        f"status: {lifecycle.status()}",
        f"date: {record.decided_on}",
        f"deciders: [{', '.join(deciders)}]",
        f"id: {record.assessment_id}",
        f"version: {current}",
    ]
    accepted = lifecycle.accepted.get(current)
    if accepted is not None:
        lines.append(f"accepted-by: {accepted.by}")
        lines.append(f"accepted-on: {accepted.at[:10]}")
    earlier = lifecycle.supersedes()
    if earlier is not None:
        lines.append(f'supersedes: "{_version_line(record, earlier)}"')
    if lifecycle.retired is not None and lifecycle.status() == "retired":
        lines.append(f"retired-by: {lifecycle.retired.by}")
        lines.append(f"retired-on: {lifecycle.retired.at[:10]}")
    lines.append(f"revisit: {'none (retired)' if not lifecycle.revisits else record.revisit_on}")
    lines.append("---")
    return "\n".join(lines)


def decision_body(record: AssessmentRecord) -> str:
    """The engine's decision record of the current version."""
    return engine.to_markdown(record.result)


def decision_record(record: AssessmentRecord, lifecycle: Lifecycle) -> str:
    """The decision record as Markdown: front matter, then the engine's record."""
    return f"{front_matter(record, lifecycle)}\n\n{decision_body(record)}"
