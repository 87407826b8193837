"""The team's decision register: App Home (with filters) and `/ragft list all`."""

from __future__ import annotations

from collections.abc import Sequence
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

from bot.team_register import RegisterRow
from bot.views import text as t
from bot.views._blocks import MAX_BLOCKS, MAX_HOME_ITEMS, SlackMessage, sections, to_dicts
from bot.views.action_ids import (
    HOME_FILTER_ACTION,
    HOME_NEW_ACTION,
    PURGE_CONFIRM_ACTION,
    TAKE_OVER_ACTION,
)
from bot.views.home import AssessmentSummary, summary_line
from conversations.parsing import escape
from engine.words import pattern_title

__all__ = [
    "FILTERS",
    "purge_confirmation",
    "register_line",
    "register_list_message",
    "register_view",
    "take_over_blocks",
]

FILTERS = ("all", "mine", "overdue")


def register_line(row: RegisterRow) -> str:
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


def filtered(rows: Sequence[RegisterRow], user: str, which: str) -> list[RegisterRow]:
    if which == "mine":
        return [r for r in rows if r.record.owner == user]
    if which == "overdue":
        return [r for r in rows if r.overdue]
    return list(rows)


def register_view(
    rows: Sequence[RegisterRow],
    *,
    user: str,
    which: str = "all",
    in_progress: Sequence[AssessmentSummary] = (),
) -> dict[str, Any]:
    """The App Home tab: a start button, the filters, then the workspace's decisions."""
    labels = {"all": t.FILTER_ALL, "mine": t.FILTER_MINE, "overdue": t.FILTER_OVERDUE}
    buttons = [ButtonElement(text=t.NEW_ASSESSMENT, action_id=HOME_NEW_ACTION, style="primary")]
    for name in FILTERS:
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
    shown = filtered(rows, user, which)
    if not rows:
        blocks.extend(sections(t.REGISTER_EMPTY))
    elif not shown:
        blocks.extend(sections(t.REGISTER_EMPTY_FILTER))
    for row in shown[:MAX_HOME_ITEMS]:
        blocks.append(DividerBlock())
        blocks.extend(sections(register_line(row)))
    mine = [i for i in in_progress if i.status == "in_progress"]
    if mine and which != "overdue" and len(blocks) < 95:
        blocks.append(DividerBlock())
        lines = "\n".join([t.REGISTER_IN_PROGRESS] + [summary_line(i) for i in mine[:20]])
        blocks.extend(sections(lines))
    return View(type="home", blocks=blocks[:100]).to_dict()


def register_list_message(rows: Sequence[RegisterRow]) -> SlackMessage:
    """The ephemeral answer to `/ragft list all`."""
    if not rows:
        return SlackMessage(text=t.REGISTER_EMPTY, blocks=to_dicts(sections(t.REGISTER_EMPTY)))
    body = "\n".join([t.REGISTER_HEADER] + [register_line(r) for r in rows])
    return SlackMessage(text=t.REGISTER_HEADER, blocks=to_dicts(sections(body))[:MAX_BLOCKS])


def take_over_blocks(owner: str, assessment_id: str) -> list[dict[str, Any]]:
    """Added under a thread nudge whose owner is deactivated: anyone may take it over."""
    blocks: list[Block] = list(sections(t.TAKE_OVER_NOTE.format(owner=owner)))
    blocks.append(
        ActionsBlock(
            elements=[
                ButtonElement(text=t.TAKE_OVER, action_id=TAKE_OVER_ACTION, value=assessment_id)
            ]
        )
    )
    return to_dicts(blocks)


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
