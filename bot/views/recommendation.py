"""The recommendation as Slack messages, from the typed result (`engine.AssessmentResult`)."""

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
    TableBlock,
)

from bot.views import text as t
from bot.views._blocks import (
    MAX_HEADER_TEXT,
    MAX_TEXT,
    SlackMessage,
    clip,
    code_sections,
    pack,
    sections,
    to_dicts,
)
from bot.views.action_ids import (
    ASSUMPTIONS_ACTION,
    EXPORT_ACTION,
    REASSESS_ACTION,
    SHARE_ACTION,
)
from bot.views.assumptions import assumption_blocks, shared_rest
from bot.views.decision import decision_buttons
from conversations.parsing import escape
from engine.record import flip_assumptions
from engine.result import AssessmentResult, CostFigures, WorkloadRecommendation
from engine.words import (
    BEHAVIOUR_WORDS,
    KNOWLEDGE_WORDS,
    answer_words,
    cheaper_words,
    field_words,
    modifier_words,
    money_range,
    option_words,
    pattern_title,
    upper_first,
    why_not_cell,
    why_not_text,
)


def cost_table(workload: WorkloadRecommendation) -> str:
    """The recommended option and its alternatives side by side, as fixed-width text."""
    if workload.costs is None:
        return ""
    chosen = workload.chosen_name()
    rows: list[tuple[str, ...]] = [t.COST_HEAD]
    rows.append(_cost_row(t.COST_RECOMMENDED + chosen, workload.costs.recommended, "—"))
    for alt in workload.costs.alternatives:
        name = "  " + option_words(alt.behaviour, alt.knowledge)
        rules = (r.rule for r in alt.why_not)
        rows.append(_cost_row(name, alt.figures, why_not_cell(alt.break_even, rules)))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join(
        "  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip() for row in rows
    )


def _cost_row(name: str, figures: CostFigures, cheaper: str) -> tuple[str, ...]:
    return (
        name,
        money_range(figures.year_one_usd),
        money_range(figures.steady_state_usd),
        money_range(figures.three_year_usd),
        cheaper,
    )


def cost_table_block(workload: WorkloadRecommendation) -> TableBlock | None:
    """The cost comparison as Block Kit's native table (Slack allows one per message)."""
    if workload.costs is None:
        return None

    def cell(text: str) -> dict[str, Any]:
        return {"type": "raw_text", "text": text}

    chosen = workload.chosen_name()
    table = [
        (t.COST_RECOMMENDED + chosen, workload.costs.recommended, "—"),
        *(
            (
                option_words(a.behaviour, a.knowledge),
                a.figures,
                why_not_cell(a.break_even, (r.rule for r in a.why_not)),
            )
            for a in workload.costs.alternatives
        ),
    ]
    rows = [[cell(h) for h in t.COST_HEAD]]
    rows += [[cell(c) for c in _cost_row(name, line, even)] for name, line, even in table]
    settings: list[dict[str, Any] | None] = [{"is_wrapped": True}]
    settings += [{"align": "right"}] * (len(t.COST_HEAD) - 2) + [{"is_wrapped": True}]
    return TableBlock(rows=rows, column_settings=settings)


def why_not_lines(workload: WorkloadRecommendation) -> list[str]:
    """Each alternative: when it is cheaper, and what it would leave unmet (with the rule)."""
    if workload.costs is None:
        return []
    return [
        t.REC_WHY_NOT_LINE.format(
            option=option_words(a.behaviour, a.knowledge),
            cheaper=cheaper_words(a.break_even),
            reasons=why_not_text(((r.rule, r.reason) for r in a.why_not), rule_format="{rule}"),
        )
        for a in workload.costs.alternatives
    ]


def recommendation_metadata(
    result: AssessmentResult, *, assessment_id: str, revisit_on: str | None = None
) -> dict[str, Any]:
    """The `ragft_recommendation` message metadata of INTERFACES.md."""
    return {
        "event_type": "ragft_recommendation",
        "event_payload": {
            "assessment_id": assessment_id,
            "revisit_on": revisit_on or result.revisit_on.isoformat(),
            "workloads": [
                {
                    "name": w.name,
                    "pattern": w.pattern,
                    "modifiers": list(w.modifiers),
                    "answers": dict(w.answers),  # every field as the engine read it
                }
                for w in result.workloads
            ],
        },
    }


def _listed(heading: str, lines: Sequence[str]) -> list[Block]:
    """A heading over its lines, or nothing when there are none."""
    return list(sections("\n".join([heading, *lines]))) if lines else []


def _bullets(heading: str, items: Sequence[str]) -> list[Block]:
    return _listed(heading, [f"• {i}" for i in items])


def _decision_text(index: int, w: WorkloadRecommendation) -> str:
    title = t.REC_WORKLOAD.format(index=index + 1, name=escape(w.name))
    lines = [f"*{title}*", t.REC_PATTERN.format(pattern=pattern_title(w.pattern))]
    if w.modifiers:
        lines.append(t.REC_MODIFIERS.format(modifiers="; ".join(map(modifier_words, w.modifiers))))
    if "measure_first" in w.modifiers:
        lines.append(t.REC_PROVISIONAL)
    if w.behaviour or w.knowledge:
        lines.append(
            t.REC_DECOMPOSITION.format(
                behaviour=BEHAVIOUR_WORDS.get(str(w.behaviour), str(w.behaviour or "—")),
                knowledge=KNOWLEDGE_WORDS.get(str(w.knowledge), str(w.knowledge or "—")),
            )
        )
    return "\n".join(lines)


def _answer(field: str, value: Any) -> str:
    return answer_words(field, value, t.ANSWER_LABELS)


def _why_lines(w: WorkloadRecommendation) -> list[str]:
    """Each fired rule with its reason and the article section it follows."""
    return [t.REC_WHY_LINE.format(rule=s.rule, reason=s.reason, section=s.section) for s in w.trace]


def gap_lines(w: WorkloadRecommendation) -> list[str]:
    """Each reported gap with what in the chosen option closes it, and the rule that says so."""
    return [
        t.REC_GAP_LINE.format(
            gap=upper_first(_answer("gaps", [g.gap])),
            answer=g.answer,
            rule=t.REC_GAP_RULE.format(rule=g.rule) if g.rule else "",
        )
        for g in w.gaps_answered
    ]


def _assuming(answers: Sequence[str]) -> str:
    """The answers a flip takes for the questions it newly asks, when they matter."""
    return t.REC_FLIP_ASSUMING.format(answers=escape("; ".join(answers))) if answers else ""


def _workload_blocks(index: int, w: WorkloadRecommendation, *, table: bool) -> list[Block]:
    """One workload's blocks; `table` draws its costs as a native table, else as fixed text."""
    blocks: list[Block] = [DividerBlock(), *sections(_decision_text(index, w))]
    blocks += _listed(t.REC_WHY, _why_lines(w))
    blocks += _listed(t.REC_GAPS, gap_lines(w))
    native = cost_table_block(w) if table else None
    if native is not None:
        blocks += [*sections(t.REC_COSTS_TABLE), native]
    elif w.costs is not None:
        blocks += [*sections(t.REC_COSTS), *code_sections(cost_table(w))]
    blocks += _listed(t.REC_WHY_NOT, why_not_lines(w))
    blocks += assumption_blocks(w)
    blocks += _bullets(t.REC_NOTES, [*w.warnings, *w.notes])
    blocks += _bullets(t.REC_RISKS, w.risks)
    blocks += _bullets(t.REC_MEASURE, w.measure_next)
    flips = [
        t.REC_FLIP_LINE.format(
            field=upper_first(field_words(f.field)),
            from_=_answer(f.field, f.from_),
            to=_answer(f.field, f.to),
            pattern=pattern_title(f.pattern),
        )
        + _assuming(flip_assumptions(f, w.answers))
        for f in w.flips
    ]
    return blocks + _listed(t.REC_FLIPS, flips)


def _summary(result: AssessmentResult) -> str:
    """One line per workload with its pattern's name, and the totals when there are several."""
    lines = [
        t.REC_SUMMARY_LINE.format(name=escape(w.name), pattern=pattern_title(w.pattern))
        for w in result.workloads
    ]
    totals = result.summary.recommended_totals
    year_one, three_year = totals.get("year_one_usd"), totals.get("three_year_usd")
    if len(result.workloads) > 1 and year_one and three_year:
        lines.append(
            t.REC_TOTALS.format(year_one=money_range(year_one), three_year=money_range(three_year))
        )
    return "\n".join(lines) if lines else result.summary.text


def recommendation_messages(
    result: AssessmentResult,
    *,
    assessment_id: str,
    revisit_on: str | None = None,
    changes: Sequence[dict[str, Any]] = (),
    share: bool = False,
) -> list[SlackMessage]:
    """The recommendation, split over as many messages as Slack's limits require.

    The first message carries the `ragft_recommendation` metadata; the buttons close the last one.
    `changes` are ready-made blocks (the re-assessment diff) placed after the summary.
    `share` adds *Share in channel* (for the owner's private `/ragft show`).
    """
    name = result.name or t.ROOT_UNNAMED
    revisit = revisit_on or result.revisit_on.isoformat()
    head: list[Block] = [HeaderBlock(text=clip(t.REC_HEADER.format(name=name), MAX_HEADER_TEXT))]
    head.extend(sections(f"{t.REC_SUMMARY}\n{_summary(result)}"))
    head.append(
        ContextBlock(elements=[MarkdownTextObject(text=t.REC_REVISIT.format(date=revisit))])
    )
    body = to_dicts(head) + list(changes)
    # Slack shows one table per message: the first costed workload gets it, the others keep
    # the fixed-width text table.
    first = next((i for i, w in enumerate(result.workloads) if w.costs is not None), None)
    for index, workload in enumerate(result.workloads):
        body.extend(to_dicts(_workload_blocks(index, workload, table=index == first)))
    buttons = ActionsBlock(
        block_id=f"ragft_rec:{assessment_id}",
        elements=[
            ButtonElement(text=t.EXPORT, action_id=EXPORT_ACTION, value=assessment_id),
            *(
                [
                    ButtonElement(
                        text=t.SHOW_ASSUMPTIONS, action_id=ASSUMPTIONS_ACTION, value=assessment_id
                    )
                ]
                if any(w.costs is not None for w in result.workloads)
                else []
            ),
            ButtonElement(text=t.REASSESS, action_id=REASSESS_ACTION, value=assessment_id),
            *(
                [ButtonElement(text=t.SHARE, action_id=SHARE_ACTION, value=assessment_id)]
                if share
                else []
            ),
        ],
    ).to_dict()
    buttons["elements"].extend(decision_buttons(assessment_id))  # the decision's lifecycle
    patterns = ", ".join(f"{escape(w.name)}: {pattern_title(w.pattern)}" for w in result.workloads)
    costs = [
        t.REC_FALLBACK_COSTS.format(name=escape(w.name), table=cost_table(w))
        for w in result.workloads
        if w.costs is not None
    ]
    fallback = clip(
        "\n\n".join([t.REC_FALLBACK.format(name=escape(name), patterns=patterns), *costs]), MAX_TEXT
    )
    metadata = recommendation_metadata(result, assessment_id=assessment_id, revisit_on=revisit)
    return [
        SlackMessage(
            text=fallback if i == 0 else t.REC_CONTINUED,
            blocks=blocks,
            metadata=metadata if i == 0 else None,
        )
        for i, blocks in enumerate(pack(body, tail=[buttons]))
    ]


def shared_messages(
    result: AssessmentResult,
    *,
    user: str,
    decided_on: str,
    revisit_on: str,
    assessment_id: str | None = None,
) -> list[SlackMessage]:
    """The decision as posted for the whole channel: each workload's pattern and what must
    change, and its costs side by side; no buttons (they act for the owner only)."""
    name = result.name or t.ROOT_UNNAMED
    body: list[Block] = [
        HeaderBlock(text=clip(t.SHARED_HEADER.format(name=name), MAX_HEADER_TEXT)),
        ContextBlock(
            elements=[
                MarkdownTextObject(
                    text=t.SHARED_BY.format(user=user, decided_on=decided_on, revisit_on=revisit_on)
                )
            ]
        ),
        *sections(f"{t.REC_SUMMARY}\n{_summary(result)}"),
    ]
    first = next((i for i, w in enumerate(result.workloads) if w.costs is not None), None)
    for index, w in enumerate(result.workloads):
        body += [DividerBlock(), *sections(_decision_text(index, w))]
        body += _listed(t.REC_WHY, _why_lines(w))  # the rules the costs' "see B4" names
        body += _listed(t.REC_GAPS, gap_lines(w))
        native = cost_table_block(w) if index == first else None
        if native is not None:
            body += [*sections(t.REC_COSTS_TABLE), native]
        elif w.costs is not None:
            body += [*sections(t.REC_COSTS), *code_sections(cost_table(w))]
        body += _listed(t.REC_WHY_NOT, why_not_lines(w))
        body += assumption_blocks(w, shared_rest(assessment_id))
    patterns = ", ".join(f"{escape(w.name)}: {pattern_title(w.pattern)}" for w in result.workloads)
    fallback = clip(
        t.SHARED_FALLBACK.format(user=user, name=escape(name), patterns=patterns), MAX_TEXT
    )
    return [
        SlackMessage(text=fallback if i == 0 else t.REC_CONTINUED, blocks=blocks)
        for i, blocks in enumerate(pack(to_dicts(body)))
    ]
