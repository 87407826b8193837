"""The lists: the App Home tab (the team's decisions, filtered, and the person's interviews),
`/ragft list` (the person's) and `/ragft list all` (the team's), and the confirmations
before the person's or the workspace's data is deleted."""

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
from bot.views.action_ids import (
    FORGET_CONFIRM_ACTION,
    HOME_FILTER_ACTION,
    HOME_NEW_ACTION,
    PURGE_CONFIRM_ACTION,
)
from conversations.parsing import escape
from conversations.storage.decisions import DecisionRow
from engine.words import pattern_title

__all__ = [
    "HOME_FILTERS",
    "AssessmentSummary",
    "decision_line",
    "forget_confirmation",
    "home_tab",
    "home_view",
    "list_message",
    "purge_confirmation",
    "summary_line",
    "team_list_message",
]

HOME_FILTERS = ("all", "mine", "overdue")


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


def decision_line(row: DecisionRow) -> str:
    """One decision of the team's: status, id, name, pattern, owner, dates."""
    record = row.record
    patterns = ", ".join(pattern_title(p) for p in record.result.patterns())
    return t.REGISTER_LINE.format(
        overdue=t.REGISTER_OVERDUE if row.overdue else "",
        status=t.STATUS_WORDS.get(row.status, row.status),
        id=record.assessment_id,
        name=escape(record.name) if record.name else t.ROOT_UNNAMED,
        pattern=f": {patterns}" if patterns else "",
        owner=record.owner,
        decided_on=record.decided_on,
        revisit_on=record.revisit_on,
    )


def _filtered(rows: Sequence[DecisionRow], user: str, which: str) -> list[DecisionRow]:
    if which == "mine":
        return [r for r in rows if r.record.owner == user]
    if which == "overdue":
        return [r for r in rows if r.overdue]
    return list(rows)


def home_tab(
    rows: Sequence[DecisionRow],
    *,
    user: str,
    which: str = "all",
    in_progress: Sequence[AssessmentSummary] = (),
) -> dict[str, Any]:
    """The App Home tab: a start button, the filters, then the workspace's decisions."""
    labels = {"all": t.FILTER_ALL, "mine": t.FILTER_MINE, "overdue": t.FILTER_OVERDUE}
    buttons = [ButtonElement(text=t.NEW_ASSESSMENT, action_id=HOME_NEW_ACTION, style="primary")]
    for name in HOME_FILTERS:
        buttons.append(
            ButtonElement(
                text=("✓ " if name == which else "") + labels[name],
                action_id=f"{HOME_FILTER_ACTION}_{name}",
                value=name,
            )
        )
    blocks: list[Block] = [
        HeaderBlock(text=t.REGISTER_TITLE),
        ContextBlock(elements=[MarkdownTextObject(text=t.REGISTER_INTRO)]),
        ActionsBlock(elements=buttons),
    ]
    shown = _filtered(rows, user, which)
    if not rows:
        blocks.extend(sections(t.REGISTER_EMPTY))
    elif not shown:
        blocks.extend(sections(t.REGISTER_EMPTY_FILTER))
    for row in shown[:MAX_HOME_ITEMS]:
        blocks.append(DividerBlock())
        blocks.extend(sections(decision_line(row)))
    mine = [i for i in in_progress if i.status == "in_progress"]
    if mine and which != "overdue" and len(blocks) < 95:
        blocks.append(DividerBlock())
        lines = "\n".join([t.REGISTER_IN_PROGRESS] + [summary_line(i) for i in mine[:20]])
        blocks.extend(sections(lines))
    return View(type="home", blocks=blocks[:100]).to_dict()


def team_list_message(rows: Sequence[DecisionRow]) -> SlackMessage:
    """The ephemeral answer to `/ragft list all`."""
    if not rows:
        return SlackMessage(text=t.REGISTER_EMPTY, blocks=to_dicts(sections(t.REGISTER_EMPTY)))
    body = "\n".join([t.REGISTER_HEADER] + [decision_line(r) for r in rows])
    return SlackMessage(text=t.REGISTER_HEADER, blocks=to_dicts(sections(body))[:MAX_BLOCKS])


def purge_confirmation(team: str) -> SlackMessage:
    """The admin's 'are you sure' before the workspace's data is deleted."""
    blocks: list[Block] = list(sections(t.PURGE_CONFIRM))
    blocks.append(
        ActionsBlock(
            elements=[
                ButtonElement(
                    text=t.PURGE_BUTTON, action_id=PURGE_CONFIRM_ACTION, value=team, style="danger"
                )
            ]
        )
    )
    return SlackMessage(text=t.PURGE_CONFIRM, blocks=to_dicts(blocks))
