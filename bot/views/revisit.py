"""The revisit nudge and the re-assessment diff, as Block Kit. Pure: data in, dicts out."""

from __future__ import annotations

from collections.abc import Mapping
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

from bot.views._blocks import MAX_BLOCKS, SlackMessage, clip
from bot.views.text import FIELD_LABELS, MODIFIER_LABELS, PATTERN_LABELS
from conversations.questions import QUESTIONS
from engine import VOLATILE_FIELDS
from engine.compare import Comparison, WorkloadChange

EVENT_TYPE = "ragft_revisit"
ACTION_REASSESS = "ragft_revisit_reassess"
ACTION_SNOOZE = "ragft_revisit_snooze"
ACTION_DISMISS = "ragft_revisit_dismiss"
SNOOZE_CHOICES: tuple[tuple[str, str], ...] = (
    ("P1W", "1 week"),
    ("P1M", "1 month"),
    ("P3M", "3 months"),
)

# Our own words; kept here beside the views that use them.
NUDGE_TEXT = "Time to take another look at *{name}*, decided on {decided_on}."
NUDGE_HEADER = "Time to revisit: {name}"
NUDGE_INTRO = (
    "On {decided_on} <@{owner}> settled this workload mix. Base models, prices and traffic "
    "have had time to shift since, so the answer may have shifted too."
)
NUDGE_DECIDED = "*{workload}*: {pattern}{modifiers}"
NUDGE_REASONS = "Because: {reasons}"
NUDGE_MOVED_HEADER = "*Worth checking again* (last time's answers)"
NUDGE_MOVED_NONE = "Nothing that usually drifts was asked last time."
NUDGE_REASSESS = "Re-assess now"
NUDGE_SNOOZE = "Snooze"
NUDGE_DISMISS = "Still right — dismiss"
SNOOZED = "Snoozed by <@{user}>: I'll bring this back on {date}."
DISMISSED = "Marked as reviewed by <@{user}>. Next check-in: {date}."
REASSESSING = "<@{user}> started a re-assessment: {where}."
NOT_OWNER = "Only <@{owner}> can act on this reminder."
GONE = "That assessment is no longer stored, so there is nothing to revisit."
CHANGES_HEADER = "*What changed since last time*"
CHANGES_NONE = "Same answers, same recommendation: last year's choice still holds."
CHANGES_PATTERN = "*{name}*: {before} → {after}"
CHANGES_SAME_PATTERN = "*{name}*: still {pattern}"
CHANGES_NEW = "*{name}*: new workload, {after}"
CHANGES_DROPPED = "*{name}*: dropped (was {before})"
CHANGES_ANSWERS = "Answers that moved: {items}"
CHANGES_RULES_ON = "Now applies: {rules}"
CHANGES_RULES_OFF = "No longer applies: {rules}"
CHANGES_COST = "Cost change: year one {year_one}, steady state {steady} (USD a year)"


def _value(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, list | tuple | set | frozenset):
        return ", ".join(str(v) for v in value) or "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def _joined(words: list[str]) -> str:
    if not words:
        return "none"
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _answer(field: str, value: Any) -> str:
    """One answer as a person reads it: "85 %", "yes", a choice's label, "tone and format"."""
    if value is None:
        return "—"
    q = QUESTIONS.get(field)
    if q is not None and q.kind == "choice" and {c.id for c in q.choices} == {"yes", "no"}:
        return str(value)
    if q is not None and q.kind == "set" and isinstance(value, list | tuple | set | frozenset):
        known = {c.id: c.label for c in q.choices}
        given = {str(v) for v in value}
        return _joined([known[c] for c in known if c in given] + sorted(given - set(known)))
    if isinstance(value, list | tuple | set | frozenset):
        return _joined([str(v) for v in value])
    if q is not None and q.kind == "choice":
        return q.label_for(value)
    if field.endswith("_pct") and isinstance(value, int | float):
        return f"{value:g} %"
    if q is not None and q.unit == "USD" and isinstance(value, int | float):
        return f"${value:,.2f}" if field == "price_per_mtok" else f"${value:,.0f}"
    return _value(value)


def _pattern(name: Any) -> str:
    return PATTERN_LABELS.get(str(name), str(name))


def as_record(record: Any) -> Mapping[str, Any]:
    """A stored AssessmentRecord (pydantic) or its dict, as a dict."""
    if hasattr(record, "model_dump"):
        return dict(record.model_dump(mode="json"))
    return dict(record)


def _workload_answers(record: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    profile = record.get("profile")
    if isinstance(profile, Mapping):
        return list(profile.get("workloads") or [])
    answers = record.get("answers")
    if isinstance(answers, Mapping) and isinstance(answers.get("workloads"), list):
        return list(answers["workloads"])
    return []


def metadata(assessment_id: str) -> dict[str, Any]:
    """The message metadata every nudge carries."""
    return {"event_type": EVENT_TYPE, "event_payload": {"assessment_id": assessment_id}}


def nudge_actions(assessment_id: str) -> ActionsBlock:
    """Re-assess now / Snooze (1 week, 1 month, 3 months) / Dismiss."""
    return ActionsBlock(
        block_id="ragft_revisit_actions",
        elements=[
            ButtonElement(
                text=NUDGE_REASSESS, action_id=ACTION_REASSESS, value=assessment_id, style="primary"
            ),
            StaticSelectElement(
                placeholder=NUDGE_SNOOZE,
                action_id=ACTION_SNOOZE,
                options=[
                    Option(text=label, value=f"{assessment_id}|{code}")
                    for code, label in SNOOZE_CHOICES
                ],
            ),
            ButtonElement(text=NUDGE_DISMISS, action_id=ACTION_DISMISS, value=assessment_id),
        ],
    )


def nudge_message(stored: Any) -> SlackMessage:
    """The reminder: what was decided and why, which answers have likely moved, three actions."""
    record = as_record(stored)
    aid = str(record.get("assessment_id", ""))
    name = str(record.get("name") or "your assessment")
    decided_on = str(record.get("decided_on") or "an earlier date")
    result = record.get("result") or {}
    blocks: list[Block] = [
        HeaderBlock(text=clip(NUDGE_HEADER.format(name=name), 150)),
        SectionBlock(
            text=MarkdownTextObject(
                text=NUDGE_INTRO.format(decided_on=decided_on, owner=record.get("owner", ""))
            )
        ),
    ]
    answers = _workload_answers(record)
    for index, workload in enumerate(result.get("workloads") or []):
        modifiers = [MODIFIER_LABELS.get(str(m), str(m)) for m in workload.get("modifiers") or []]
        lines = [
            NUDGE_DECIDED.format(
                workload=workload.get("name") or f"Workload {index + 1}",
                pattern=_pattern(workload.get("pattern")),
                modifiers=f" ({'; '.join(modifiers)})" if modifiers else "",
            )
        ]
        reasons = [str(step.get("reason")) for step in workload.get("trace") or [] if step]
        if reasons:
            lines.append(clip(NUDGE_REASONS.format(reasons=" ".join(reasons)), 1200))
        given = workload.get("answers") or (answers[index] if index < len(answers) else {})
        moved = [
            f"• {FIELD_LABELS.get(f, f)}: {_value(given[f])}{'%' if f.endswith('_pct') else ''}"
            for f in VOLATILE_FIELDS
            if f in given and given[f] is not None
        ]
        lines.append(NUDGE_MOVED_HEADER)
        lines.append("\n".join(moved) if moved else NUDGE_MOVED_NONE)
        blocks.append(SectionBlock(text=MarkdownTextObject(text=clip("\n".join(lines), 3000))))
    blocks = blocks[: MAX_BLOCKS - 1]
    blocks.append(nudge_actions(aid))
    return SlackMessage(
        text=NUDGE_TEXT.format(name=name, decided_on=decided_on),
        blocks=[b.to_dict() for b in blocks],
        metadata=metadata(aid),
    )


def settled_message(original: SlackMessage | None, note: str, assessment_id: str) -> SlackMessage:
    """The nudge after someone acted on it: buttons replaced by a note of what happened."""
    blocks = [b for b in (original.blocks if original else []) if b.get("type") != "actions"]
    blocks.append(ContextBlock(elements=[MarkdownTextObject(text=note)]).to_dict())
    return SlackMessage(text=note, blocks=blocks[-MAX_BLOCKS:], metadata=metadata(assessment_id))


def _money(delta: tuple[float, float]) -> str:
    low, high = (round(delta[0]), round(delta[1]))
    if low == high:
        return f"{low:+,}"
    return f"{low:+,} to {high:+,}"


def _workload_lines(change: WorkloadChange) -> list[str]:
    if change.pattern_before is None:
        return [CHANGES_NEW.format(name=change.name, after=_pattern(change.pattern_after))]
    if change.pattern_after is None:
        return [CHANGES_DROPPED.format(name=change.name, before=_pattern(change.pattern_before))]
    if change.pattern_changed:
        head = CHANGES_PATTERN.format(
            name=change.name,
            before=_pattern(change.pattern_before),
            after=_pattern(change.pattern_after),
        )
    else:
        head = CHANGES_SAME_PATTERN.format(name=change.name, pattern=_pattern(change.pattern_after))
    lines = [head]
    if change.answers_moved:
        items = "; ".join(
            f"{FIELD_LABELS.get(a.field, a.field)} {_answer(a.field, a.before)} → "
            f"{_answer(a.field, a.after)}"
            for a in change.answers_moved
        )
        lines.append(CHANGES_ANSWERS.format(items=items))
    if change.rules_now_firing:
        lines.append(CHANGES_RULES_ON.format(rules=", ".join(change.rules_now_firing)))
    if change.rules_no_longer_firing:
        lines.append(CHANGES_RULES_OFF.format(rules=", ".join(change.rules_no_longer_firing)))
    if change.costs is not None:
        lines.append(
            CHANGES_COST.format(
                year_one=_money(change.costs.year_one_delta),
                steady=_money(change.costs.steady_state_delta),
            )
        )
    return lines


def changes_blocks(comparison: Comparison) -> list[dict[str, Any]]:
    """The "what changed" part of a re-assessment's recommendation."""
    if not comparison.changed:
        return [SectionBlock(text=MarkdownTextObject(text=CHANGES_NONE)).to_dict()]
    blocks: list[Block] = [SectionBlock(text=MarkdownTextObject(text=CHANGES_HEADER))]
    for change in comparison.workloads:
        text = clip("\n".join(_workload_lines(change)), 3000)
        blocks.append(SectionBlock(text=MarkdownTextObject(text=text)))
    return [b.to_dict() for b in blocks[: MAX_BLOCKS - 5]]
