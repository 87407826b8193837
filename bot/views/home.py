"""The person's assessments: the ephemeral `/ragft list` answer and the App Home tab."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    DividerBlock,
    HeaderBlock,
    MarkdownTextObject,
)
from slack_sdk.models.views import View

from bot.views import text as t
from bot.views._blocks import MAX_BLOCKS, MAX_HOME_ITEMS, SlackMessage, sections, to_dicts
from bot.views.action_ids import FORGET_CONFIRM_ACTION
from conversations.parsing import escape
from engine.words import pattern_title


@dataclass(frozen=True)
class AssessmentSummary:
    """One line of a person's list."""

    assessment_id: str
    name: str
    status: str  # in_progress | completed | cancelled
    decided_on: str | None = None
    revisit_on: str | None = None
    snoozed_until: str | None = None
    patterns: Sequence[str] = field(default_factory=tuple)
    decision: str | None = None  # proposed | accepted | superseded | retired, when completed


def summary_line(item: AssessmentSummary) -> str:
    """`• id name — status, pattern, revisit date` in one line."""
    status = {
        "completed": t.STATUS_COMPLETED.format(decided_on=item.decided_on or "?"),
        "cancelled": t.STATUS_CANCELLED,
    }.get(item.status, t.STATUS_IN_PROGRESS)
    if item.decision and item.status == "completed":
        status = f"{t.STATUS_WORDS.get(item.decision, item.decision)}, {status}"
    patterns = ", ".join(pattern_title(p) for p in item.patterns)
    revisit = ""
    if item.snoozed_until:
        revisit = t.SNOOZED_UNTIL.format(date=item.snoozed_until)
    elif item.revisit_on and item.status == "completed" and item.decision != "retired":
        revisit = t.REVISIT_ON.format(date=item.revisit_on)
    return t.LIST_LINE.format(
        id=item.assessment_id,
        name=escape(item.name) if item.name else t.ROOT_UNNAMED,
        status=status,
        pattern=f": {patterns}" if patterns else "",
        revisit=revisit,
    )


def list_message(items: Sequence[AssessmentSummary]) -> SlackMessage:
    """The ephemeral answer to `/ragft list`."""
    if not items:
        return SlackMessage(text=t.LIST_EMPTY, blocks=to_dicts(sections(t.LIST_EMPTY)))
    body = "\n".join([t.LIST_HEADER] + [summary_line(i) for i in items])
    blocks = to_dicts(sections(body))[:MAX_BLOCKS]
    return SlackMessage(text=t.LIST_HEADER, blocks=blocks)


def home_view(items: Sequence[AssessmentSummary]) -> dict[str, Any]:
    """The App Home tab (views.publish): newest first, within the 100-block limit of a view."""
    blocks: list[Block] = [HeaderBlock(text=t.HOME_TITLE)]
    blocks.append(ContextBlock(elements=[MarkdownTextObject(text=t.HOME_INTRO)]))
    if not items:
        blocks.extend(sections(t.HOME_EMPTY))
    for item in items[:MAX_HOME_ITEMS]:
        blocks.append(DividerBlock())
        blocks.extend(sections(summary_line(item)))
    return View(type="home", blocks=blocks).to_dict()


def forget_confirmation(user: str) -> SlackMessage:
    """The ephemeral 'are you sure' with one destructive button."""
    blocks: list[Block] = list(sections(t.FORGET_CONFIRM))
    blocks.append(
        ActionsBlock(
            elements=[
                ButtonElement(
                    text=t.FORGET_BUTTON,
                    action_id=FORGET_CONFIRM_ACTION,
                    value=user,
                    style="danger",
                )
            ]
        )
    )
    return SlackMessage(text=t.FORGET_CONFIRM, blocks=to_dicts(blocks))
