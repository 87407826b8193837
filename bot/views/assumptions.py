"""The figures behind the costs in Slack: the decision first (the answers the costs rest on and
the figures that weigh most), every figure one click away (*Show all assumptions*)."""

from __future__ import annotations

from collections.abc import Sequence

from slack_sdk.models.blocks import Block, ContextBlock, MarkdownTextObject

from bot.views import text as t
from bot.views._blocks import MAX_TEXT, SlackMessage, clip, pack, sections, to_dicts
from conversations.parsing import escape
from engine.figure_words import (
    MARKS_LEGEND,
    OVERRIDE_HINT,
    cost_input_words,
    figure_name,
    figure_words,
)
from engine.headline import largest_figures
from engine.result import AssessmentResult, WorkloadRecommendation


def _listed(heading: str, lines: Sequence[str]) -> list[Block]:
    """A heading over its lines, or nothing when there are none."""
    return list(sections("\n".join([heading, *lines]))) if lines else []


def assumption_lines(workload: WorkloadRecommendation, *, top: bool = False) -> list[str]:
    """The figures the costs used, one compact line each: all of them, or (`top`) the answers
    the costs rest on first, then the figures that weigh most in the chosen option's cost."""
    if workload.costs is None:
        return []
    figures = largest_figures(workload) if top else workload.costs.assumptions
    lines = [
        t.REC_ASSUMPTION_LINE.format(
            name=figure_name(a.name),
            key=a.name,
            figure=figure_words(a.value, a.unit),
            mark=a.mark,
            source=a.source,
        )
        for a in figures
    ]
    inputs = cost_input_words(workload.answers, workload.defaulted)
    said = [t.REC_COST_INPUTS.format(inputs=escape(inputs))] if inputs else []
    return [*said, *lines] if top else [*lines, *said]


def assumption_blocks(w: WorkloadRecommendation, rest: str = t.REC_ASSUMPTIONS_REST) -> list[Block]:
    """The decision first: the answers the costs rest on and the figures that weigh most,
    how they are marked, and where the full list is (the record); how a team uses its own."""
    assumed = assumption_lines(w, top=True)
    if not assumed or w.costs is None:
        return []
    shown, total = len(largest_figures(w)), len(w.costs.assumptions)
    how = t.REC_ASSUMPTIONS_HOW.format(legend=MARKS_LEGEND, override=OVERRIDE_HINT)
    if total > shown:
        how = rest.format(shown=shown, total=total) + " " + how
    return [
        *_listed(t.REC_ASSUMPTIONS_TOP, assumed),
        ContextBlock(elements=[MarkdownTextObject(text=how)]),
    ]


def shared_rest(assessment_id: str | None) -> str:
    """Where the shared post's reader finds every figure."""
    if assessment_id is None:
        return t.REC_ASSUMPTIONS_REST
    return t.REC_ASSUMPTIONS_REST_SHARED.replace("{assessment_id}", escape(assessment_id))


def all_assumptions_messages(result: AssessmentResult) -> list[SlackMessage]:
    """*Show all assumptions*: every figure behind each costed workload's costs, marked, with
    how a team uses its own; for the person who pressed it."""
    body: list[Block] = []
    for w in result.workloads:
        lines = assumption_lines(w)
        if lines:
            body += _listed(t.ASSUMPTIONS_ALL.format(name=escape(w.name)), lines)
    if not body:
        return [SlackMessage(text=t.ASSUMPTIONS_NONE, blocks=[])]
    how = t.REC_ASSUMPTIONS_HOW.format(legend=MARKS_LEGEND, override=OVERRIDE_HINT)
    body.append(ContextBlock(elements=[MarkdownTextObject(text=how)]))
    text = clip(t.SHOW_ASSUMPTIONS, MAX_TEXT)
    return [SlackMessage(text=text, blocks=blocks) for blocks in pack(to_dicts(body))]
