"""The revisit nudge and the re-assessment diff, as Block Kit. Pure: data in, dicts out."""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    HeaderBlock,
    MarkdownTextObject,
    Option,
    SectionBlock,
    StaticSelectElement,
)

from bot.views import text as t
from bot.views._blocks import MAX_BLOCKS, MAX_HEADER_TEXT, MAX_SECTION_TEXT, SlackMessage, clip
from bot.views.action_ids import (
    REVISIT_DISMISS_ACTION,
    REVISIT_REASSESS_ACTION,
    REVISIT_SNOOZE_ACTION,
)
from conversations.parsing import escape
from conversations.state import AssessmentRecord
from engine import VOLATILE_FIELDS
from engine.compare import Comparison, WorkloadChange
from engine.figure_words import price_move_words
from engine.result import WorkloadRecommendation
from engine.words import (
    answer_words,
    field_words,
    modifier_words,
    option_move_words,
    pattern_title,
    signed_money_range,
)

EVENT_TYPE = "ragft_revisit"
MAX_REASONS_TEXT = 1200  # the "Because:" line, so that the drifting answers still fit
# Blocks the re-assessment diff may take, leaving room for the recommendation's own.
MAX_CHANGES_BLOCKS = MAX_BLOCKS - 5


def _answer(field: str, value: Any) -> str:
    """One answer as the interview offered it: "85 %", "yes", a choice's label, "a and b"."""
    return answer_words(field, value, t.ANSWER_LABELS)


def metadata(assessment_id: str) -> dict[str, Any]:
    """The message metadata every nudge carries."""
    return {"event_type": EVENT_TYPE, "event_payload": {"assessment_id": assessment_id}}


def nudge_actions(assessment_id: str) -> ActionsBlock:
    """Re-assess now / Snooze (1 week, 1 month, 3 months) / Dismiss."""
    return ActionsBlock(
        block_id="ragft_revisit_actions",
        elements=[
            ButtonElement(
                text=t.NUDGE_REASSESS,
                action_id=REVISIT_REASSESS_ACTION,
                value=assessment_id,
                style="primary",
            ),
            StaticSelectElement(
                placeholder=t.NUDGE_SNOOZE,
                action_id=REVISIT_SNOOZE_ACTION,
                options=[
                    Option(text=label, value=f"{assessment_id}|{code}")
                    for code, label in t.SNOOZE_CHOICES
                ],
            ),
            ButtonElement(
                text=t.NUDGE_DISMISS, action_id=REVISIT_DISMISS_ACTION, value=assessment_id
            ),
        ],
    )


def _decided_text(index: int, w: WorkloadRecommendation) -> str:
    """What was decided for one workload, why, and its answers that usually drift."""
    modifiers = "; ".join(map(modifier_words, w.modifiers))
    lines = [
        t.NUDGE_DECIDED.format(
            workload=escape(w.name) if w.name else t.NUDGE_WORKLOAD.format(index=index + 1),
            pattern=pattern_title(w.pattern),
            modifiers=f" ({modifiers})" if modifiers else "",
        )
    ]
    reasons = " ".join(step.reason for step in w.trace)
    if reasons:
        lines.append(clip(t.NUDGE_REASONS.format(reasons=reasons), MAX_REASONS_TEXT))
    moved = [
        t.NUDGE_MOVED_LINE.format(field=field_words(f), answer=escape(_answer(f, w.answers[f])))
        for f in VOLATILE_FIELDS
        if w.answers.get(f) is not None
    ]
    lines.append(t.NUDGE_MOVED_HEADER)
    lines.append("\n".join(moved) if moved else t.NUDGE_MOVED_NONE)
    return clip("\n".join(lines), MAX_SECTION_TEXT)


def nudge_message(record: AssessmentRecord) -> SlackMessage:
    """The reminder: what was decided and why, which answers have likely moved, three actions."""
    aid = record.assessment_id
    name = escape(record.name) if record.name else t.NUDGE_UNNAMED
    result = record.result
    intro = t.NUDGE_INTRO.format(decided_on=record.decided_on, owner=record.owner)
    blocks: list[Block] = [
        HeaderBlock(text=clip(t.NUDGE_HEADER.format(name=name), MAX_HEADER_TEXT)),
        SectionBlock(text=MarkdownTextObject(text=intro)),
    ]
    blocks += [
        SectionBlock(text=MarkdownTextObject(text=_decided_text(i, w)))
        for i, w in enumerate(result.workloads)
    ]
    blocks = [*blocks[: MAX_BLOCKS - 1], nudge_actions(aid)]
    return SlackMessage(
        text=t.NUDGE_TEXT.format(name=name, decided_on=record.decided_on),
        blocks=[b.to_dict() for b in blocks],
        metadata=metadata(aid),
    )


def settled_message(original: SlackMessage | None, note: str, assessment_id: str) -> SlackMessage:
    """The nudge after someone acted on it: buttons replaced by a note of what happened."""
    blocks = [b for b in (original.blocks if original else []) if b.get("type") != "actions"]
    blocks.append(ContextBlock(elements=[MarkdownTextObject(text=note)]).to_dict())
    return SlackMessage(text=note, blocks=blocks[-MAX_BLOCKS:], metadata=metadata(assessment_id))


def _pattern_line(change: WorkloadChange) -> str:
    name, before, after = escape(change.name), change.pattern_before, change.pattern_after
    if before is None:
        return t.CHANGES_NEW.format(name=name, after=pattern_title(str(after)))
    if after is None:
        return t.CHANGES_DROPPED.format(name=name, before=pattern_title(before))
    if change.pattern_changed:
        return t.CHANGES_PATTERN.format(
            name=name, before=pattern_title(before), after=pattern_title(after)
        )
    return t.CHANGES_SAME_PATTERN.format(name=name, pattern=pattern_title(after))


def _workload_lines(change: WorkloadChange) -> list[str]:
    lines = [_pattern_line(change)]
    if change.pattern_before is None or change.pattern_after is None:
        return lines
    if change.answers_moved:
        items = "; ".join(
            t.CHANGES_ANSWER.format(
                field=field_words(a.field),
                before=escape(_answer(a.field, a.before)),
                after=escape(_answer(a.field, a.after)),
            )
            for a in change.answers_moved
        )
        lines.append(t.CHANGES_ANSWERS.format(items=items))
    if change.rules_now_firing:
        lines.append(t.CHANGES_RULES_ON.format(rules=", ".join(change.rules_now_firing)))
    if change.rules_no_longer_firing:
        lines.append(t.CHANGES_RULES_OFF.format(rules=", ".join(change.rules_no_longer_firing)))
    if change.price_moves:
        items = "; ".join(
            price_move_words(m.model, m.figure, m.before, m.after) for m in change.price_moves
        )
        lines.append(t.CHANGES_PRICES.format(items=escape(items)))
        options = "; ".join(
            option_move_words(
                o.behaviour, o.knowledge, o.chosen, o.three_year_before, o.three_year_after
            )
            for o in change.option_moves
        )
        lines.append(t.CHANGES_OPTIONS.format(items=options))
    if change.costs is not None:
        lines.append(
            t.CHANGES_COST.format(
                year_one=signed_money_range(change.costs.year_one_delta),
                steady=signed_money_range(change.costs.steady_state_delta),
            )
        )
    return lines


def changes_blocks(comparison: Comparison) -> list[dict[str, Any]]:
    """The "what changed" part of a re-assessment's recommendation."""
    if not comparison.changed:
        return [SectionBlock(text=MarkdownTextObject(text=t.CHANGES_NONE)).to_dict()]
    blocks: list[Block] = [SectionBlock(text=MarkdownTextObject(text=t.CHANGES_HEADER))]
    for change in comparison.workloads:
        text = clip("\n".join(_workload_lines(change)), MAX_SECTION_TEXT)
        blocks.append(SectionBlock(text=MarkdownTextObject(text=text)))
    return [b.to_dict() for b in blocks[:MAX_CHANGES_BLOCKS]]
