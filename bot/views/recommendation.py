"""The recommendation as Slack messages, from `Assessment.to_json()` (the INTERFACES.md JSON)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
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

from bot.views import text as t
from bot.views._blocks import (
    MAX_HEADER_TEXT,
    SlackMessage,
    clip,
    code_sections,
    pack,
    sections,
    to_dicts,
)
from conversations.questions import QUESTIONS

EXPORT_ACTION = "ragft_export"
REASSESS_ACTION = "ragft_reassess"


def pattern_label(pattern: str) -> str:
    """The readable name of a pattern id (the id itself if unknown)."""
    return t.PATTERN_LABELS.get(pattern, pattern)


def _as_text(item: Any) -> str:
    if isinstance(item, Mapping):
        for key in ("text", "message", "reason", "description", "risk", "what"):
            if key in item:
                return str(item[key])
        return ", ".join(f"{k}: {v}" for k, v in item.items())
    return str(item)


def money(value: float) -> str:
    """USD, short: $950, $12.5k, $1.2M."""
    if abs(value) >= 1_000_000:
        return f"${value / 1_000_000:.1f}M"
    if abs(value) >= 10_000:
        return f"${value / 1000:.0f}k"
    if abs(value) >= 1000:
        return f"${value / 1000:.1f}k"
    return f"${value:.0f}"


def money_range(pair: Sequence[float] | None) -> str:
    """A [low, high] pair as one short range."""
    if not pair:
        return "—"
    low, high = float(pair[0]), float(pair[-1])
    return money(low) if money(low) == money(high) else f"{money(low)}–{money(high)}"


def break_even(value: Any) -> str:
    """`always`, `never`, {"above": N} or {"below": N} in words."""
    if value == "always":
        return t.BREAK_EVEN_ALWAYS
    if value == "never":
        return t.BREAK_EVEN_NEVER
    if isinstance(value, Mapping) and "above" in value:
        return t.BREAK_EVEN_ABOVE.format(n=f"{int(value['above']):,}")
    if isinstance(value, Mapping) and "below" in value:
        return t.BREAK_EVEN_BELOW.format(n=f"{int(value['below']):,}")
    return "—"


def cost_name(figures: Mapping[str, Any], pattern: str = "") -> str:
    """A cost row's short name, e.g. `format fine-tune + RAG`, from behaviour and knowledge."""
    behaviour, knowledge = figures.get("behaviour"), figures.get("knowledge")
    if not behaviour:
        return pattern_label(pattern or str(figures.get("pattern") or "recommended"))
    parts = [t.COST_BEHAVIOUR.get(str(behaviour), str(behaviour)),
             t.COST_KNOWLEDGE.get(str(knowledge), str(knowledge or ""))]
    return " + ".join(part for part in parts if part)


def cost_table(costs: Mapping[str, Any]) -> str:
    """The recommended pattern and its alternatives side by side, as fixed-width text.

    `behaviour` and `knowledge` (of the recommendation, at the top of `costs`, or of
    each row) name the rows; without them the pattern's name is used."""
    rows: list[tuple[str, ...]] = [t.COST_HEAD]
    rec = costs.get("recommended") or {}
    named = {k: costs[k] for k in ("behaviour", "knowledge") if costs.get(k)}
    rec_name = cost_name({**rec, **named}, str(costs.get("pattern") or rec.get("pattern") or ""))
    rows.append(_cost_row(t.COST_RECOMMENDED + rec_name, rec, "—"))
    for alt in costs.get("alternatives") or []:
        name = cost_name(alt)
        rows.append(_cost_row("  " + name, alt, break_even(alt.get("break_even_requests_per_day"))))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join(
        "  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip() for row in rows
    )


def _cost_row(name: str, figures: Mapping[str, Any], cheaper: str) -> tuple[str, ...]:
    return (
        name,
        money_range(figures.get("year_one_usd")),
        money_range(figures.get("steady_state_usd")),
        money_range(figures.get("three_year_usd")),
        cheaper,
    )


def _meta(assessment: Mapping[str, Any]) -> Mapping[str, Any]:
    """Name and dates: under "assessment" in the engine's JSON, else at the top."""
    inner = assessment.get("assessment")
    return inner if isinstance(inner, Mapping) else assessment


def recommendation_metadata(
    assessment: Mapping[str, Any], *, assessment_id: str, revisit_on: str | None = None
) -> dict[str, Any]:
    """The `ragft_recommendation` message metadata of INTERFACES.md."""
    meta = _meta(assessment)
    return {
        "event_type": "ragft_recommendation",
        "event_payload": {
            "assessment_id": assessment_id,
            "revisit_on": str(revisit_on or meta.get("revisit_on") or ""),
            "workloads": [
                {
                    "name": str(w.get("name", "")),
                    "pattern": str(w.get("pattern", "")),
                    "modifiers": [str(m) for m in w.get("modifiers") or []],
                }
                for w in assessment.get("workloads") or []
            ],
        },
    }


def _workload_blocks(index: int, workload: Mapping[str, Any]) -> list[Block]:
    blocks: list[Block] = [DividerBlock()]
    title = t.REC_WORKLOAD.format(index=index + 1, name=workload.get("name") or "")
    pattern = str(workload.get("pattern", ""))
    lines = [f"*{title}*", t.REC_PATTERN.format(pattern=pattern_label(pattern))]
    modifiers = [t.MODIFIER_LABELS.get(m, m) for m in workload.get("modifiers") or []]
    if modifiers:
        lines.append(t.REC_MODIFIERS.format(modifiers="; ".join(modifiers)))
    if "measure_first" in (workload.get("modifiers") or []):
        lines.append(t.REC_PROVISIONAL)
    decomposition = workload.get("decomposition") or workload
    behaviour, knowledge = decomposition.get("behaviour"), decomposition.get("knowledge")
    if behaviour or knowledge:
        lines.append(
            t.REC_DECOMPOSITION.format(
                behaviour=t.BEHAVIOUR_LABELS.get(str(behaviour), str(behaviour or "—")),
                knowledge=t.KNOWLEDGE_LABELS.get(str(knowledge), str(knowledge or "—")),
            )
        )
    blocks.extend(sections("\n".join(lines)))
    trace = workload.get("trace") or []
    if trace:
        why = [t.REC_WHY] + [
            t.REC_WHY_LINE.format(rule=step.get("rule", "?"), reason=step.get("reason", ""),
                                  section=step.get("section", ""))
            for step in trace
        ]
        blocks.extend(sections("\n".join(why)))
    costs = workload.get("costs")
    if costs:
        costs = {**costs, "pattern": pattern, "behaviour": behaviour, "knowledge": knowledge}
        blocks.extend(sections(t.REC_COSTS))
        blocks.extend(code_sections(cost_table(costs)))
    notes = [*(workload.get("warnings") or []), *(workload.get("notes") or [])]
    if notes:
        blocks.extend(sections("\n".join([t.REC_NOTES] + [f"• {_as_text(i)}" for i in notes])))
    for heading, key in ((t.REC_RISKS, "risks"), (t.REC_MEASURE, "measure_next")):
        items = workload.get(key)
        if items:
            blocks.extend(sections("\n".join([heading] + [f"• {_as_text(i)}" for i in items])))
    flips = workload.get("flips") or []
    if flips:
        flip_lines = [t.REC_FLIPS] + [
            t.REC_FLIP_LINE.format(
                field=t.FIELD_LABELS.get(str(f.get("field")), str(f.get("field"))),
                from_=_value(f.get("field"), f.get("from")),
                to=_value(f.get("field"), f.get("to")),
                pattern=pattern_label(str(f.get("pattern", ""))),
            )
            for f in flips
        ]
        blocks.extend(sections("\n".join(flip_lines)))
    return blocks


def _value(field: Any, value: Any) -> str:
    """An answer as the interview's words (`70%`, `Real users (production)`)."""
    question = QUESTIONS.get(str(field))
    if question is not None and value is not None:
        try:
            return question.label_for(value)
        except (TypeError, ValueError):
            pass  # not a value this question stores: show it as it is
    if isinstance(value, list | tuple | set):
        return "{" + ", ".join(str(v) for v in value) + "}" if value else "none"
    return str(value)


def _summary(assessment: Mapping[str, Any], summary: Mapping[str, Any]) -> str:
    """One line per workload with its pattern's name, and the totals when there are several."""
    workloads = assessment.get("workloads") or []
    lines = [
        t.REC_SUMMARY_LINE.format(name=w.get("name", ""),
                                  pattern=pattern_label(str(w.get("pattern", ""))))
        for w in workloads
    ]
    totals = summary.get("recommended_totals") or {}
    if len(workloads) > 1 and totals.get("year_one_usd") and totals.get("three_year_usd"):
        lines.append(t.REC_TOTALS.format(year_one=money_range(totals["year_one_usd"]),
                                         three_year=money_range(totals["three_year_usd"])))
    return "\n".join(lines) if lines else _as_text(summary)


def recommendation_messages(
    assessment: Mapping[str, Any],
    *,
    assessment_id: str,
    revisit_on: str | None = None,
    changes: Sequence[dict[str, Any]] = (),
) -> list[SlackMessage]:
    """The recommendation, split over as many messages as Slack's limits require.

    The first message carries the `ragft_recommendation` metadata; the buttons close the last one.
    `changes` are ready-made blocks (the re-assessment diff) placed after the summary.
    """
    meta = _meta(assessment)
    name = str(meta.get("name") or t.ROOT_UNNAMED)
    revisit = str(revisit_on or meta.get("revisit_on") or "")
    head: list[Block] = [HeaderBlock(text=clip(t.REC_HEADER.format(name=name), MAX_HEADER_TEXT))]
    summary = assessment.get("summary")
    if summary:
        summary_text = summary if isinstance(summary, str) else _summary(assessment, summary)
        head.extend(sections(f"{t.REC_SUMMARY}\n{summary_text}"))
    if revisit:
        head.append(
            ContextBlock(elements=[MarkdownTextObject(text=t.REC_REVISIT.format(date=revisit))])
        )
    body = to_dicts(head) + list(changes)
    for index, workload in enumerate(assessment.get("workloads") or []):
        body.extend(to_dicts(_workload_blocks(index, workload)))
    buttons = ActionsBlock(
        block_id=f"ragft_rec:{assessment_id}",
        elements=[
            ButtonElement(text=t.EXPORT, action_id=EXPORT_ACTION, value=assessment_id),
            ButtonElement(text=t.REASSESS, action_id=REASSESS_ACTION, value=assessment_id),
        ],
    )
    patterns = ", ".join(
        f"{w.get('name', '')}: {pattern_label(str(w.get('pattern', '')))}"
        for w in assessment.get("workloads") or []
    )
    fallback = clip(t.REC_FALLBACK.format(name=name, patterns=patterns), 3000)
    messages = []
    for i, blocks in enumerate(pack(body, tail=[buttons.to_dict()])):
        metadata = (
            recommendation_metadata(assessment, assessment_id=assessment_id, revisit_on=revisit)
            if i == 0
            else None
        )
        messages.append(
            SlackMessage(
                text=fallback if i == 0 else t.REC_CONTINUED, blocks=blocks, metadata=metadata
            )
        )
    return messages
