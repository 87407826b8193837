"""The decision record: an assessment as Markdown, ready to commit next to the code it governs."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from engine.figure_words import MARKS_LEGEND, OVERRIDE_HINT, assumption_words, cost_input_words
from engine.profile import DEFAULTS, FIELDS
from engine.result import AssessmentResult, CostFigures, Flip, WorkloadRecommendation
from engine.rules import DECISION_KEYS, EDGES, RULE_BY_ID, RULES, decide
from engine.words import (
    answer_words,
    cheaper_words,
    field_words,
    gap_answer_words,
    joined,
    modifier_words,
    money_range,
    number_range,
    option_words,
    pattern_title,
    upper_first,
    why_not_cell,
    why_not_text,
)

# The record is a file people move (var/files/, docs/decisions/, a wiki): a relative link to
# the framework would break, so each rule id links to the record's own "Rules cited" section,
# which gives the rule's meaning and names the framework in plain words.
RULES_CITED = "Rules cited"
RULES_ANCHOR = "#rules-cited"  # the heading's anchor on GitHub, GitLab and most renderers
FRAMEWORK = "`docs/FRAMEWORK.md` in the ragft repository"

# What the "cheaper" column compares (engine.costs.break_even), said under the cost tables of
# the record and of `ragft assess`.
CHEAPER_NOTE = (
    "“Cheaper” compares three-year totals (build, then three years of upkeep and inference) "
    "at the middle of each range, as the request volume varies and your other answers stay: "
    "“always” at any volume, “below N/day” or “above N/day” on that side of N requests a day, "
    "“never” at none; “but see” names the rules that chose otherwise."
)

_SPECS = {spec.id: spec for spec in FIELDS}


def flip_change(flip: Flip) -> str:
    """The answer a flip moves, in words: "prompt baseline: 72 % → 80 %"."""
    before, after = answer_words(flip.field, flip.from_), answer_words(flip.field, flip.to)
    return f"{field_words(flip.field)}: {before} → {after}"


def flip_assumptions(flip: Flip, answers: Mapping[str, Any] | None = None) -> list[str]:
    """The newly asked answers a flip assumes that matter, in words.

    Kept: answers the rules read, other than defaults; given the workload's `answers`, only
    those that gate the new pattern (some other value of that answer alone would change it).
    """
    also = flip.also
    kept = [k for k, v in also.items() if k in DECISION_KEYS and DEFAULTS.get(k) != v]
    if answers is not None:
        facts = {**answers, flip.field: flip.to, **also}
        facts = {k: frozenset(v) if isinstance(v, list) else v for k, v in facts.items()}
        kept = [k for k in kept if _gates(k, facts, flip.pattern)]
    return [f"{field_words(k)}: {answer_words(k, also[k])}" for k in kept]


def _gates(field: str, facts: Mapping[str, Any], pattern: str) -> bool:
    spec = _SPECS[field]
    value = facts[field]
    if spec.kind == "choice":
        others: list[Any] = [c for c in spec.choices if c != value]
    elif spec.kind == "set":
        others = [value ^ {c} for c in spec.choices]
    else:
        edges = {int(spec.minimum or 0), int(spec.maximum or 100)}
        edges.update(e for t in EDGES.get(field, ()) for e in (t - 1, t))
        others = sorted(edges - {value})
    return any(decide({**facts, field: other}).pattern != pattern for other in others)


def _row(label: str, line: CostFigures, even: str) -> str:
    return (
        f"| {label} | {number_range(line.build_eq)} | {number_range(line.ongoing_fte)} | "
        f"×{number_range(line.inference_multiplier)} | {money_range(line.year_one_usd)} | "
        f"{money_range(line.steady_state_usd)} | {money_range(line.three_year_usd)} | {even} |"
    )


def rule_link(rule: str) -> str:
    """A rule id linked to its line under "Rules cited" in the record: "[B4](#rules-cited)"."""
    return f"[{rule}]({RULES_ANCHOR})"


def cited_rules(result: AssessmentResult) -> list[str]:
    """The rule ids the record cites (fired, or against an alternative), in the rule table's
    order."""
    cited = {t.rule for w in result.workloads for t in w.trace}
    cited |= {
        r.rule
        for w in result.workloads
        if w.costs is not None
        for a in w.costs.alternatives
        for r in a.why_not
    }
    known = [r.id for r in RULES if r.id in cited]
    return known + sorted(cited - set(known))


def _rules_cited(result: AssessmentResult) -> list[str]:
    """Each cited rule's one-line meaning and article section, so that the ids read anywhere."""
    cited = cited_rules(result)
    if not cited:
        return []
    lines = [
        f"## {RULES_CITED}",
        "",
        "What each rule id above means, with the article section it follows; every rule is "
        f"set out in full in {FRAMEWORK}.",
        "",
    ]
    for rule_id in cited:
        rule = RULE_BY_ID.get(rule_id)
        lines.append(
            f"- **{rule_id}** (*{rule.section}*): {rule.reason}" if rule else f"- **{rule_id}**"
        )
    return [*lines, ""]


def _why_not(w: WorkloadRecommendation) -> list[str]:
    if w.costs is None or not w.costs.alternatives:
        return []
    lines = ["", "### Why not the others", ""]
    for a in w.costs.alternatives:
        reasons = why_not_text(
            ((r.rule, r.reason) for r in a.why_not), rule_format=f"[{{rule}}]({RULES_ANCHOR})"
        )
        option = option_words(a.behaviour, a.knowledge)
        lines.append(f"- **{option}** ({cheaper_words(a.break_even)}): {reasons}")
    return lines


def _assumptions(w: WorkloadRecommendation) -> list[str]:
    if w.costs is None or not w.costs.assumptions:
        return []
    lines = ["", "### Assumptions", ""]
    lines += [
        f"- {assumption_words(a.name, a.value, a.unit, a.mark, a.source)}"
        for a in w.costs.assumptions
    ]
    lines.append(f"- From your answers: {cost_input_words(w.answers, w.defaulted)}")
    lines += ["", f"Marks: {MARKS_LEGEND}. To use your own figures, {OVERRIDE_HINT}."]
    return lines


def _workload(w: WorkloadRecommendation, chart: str | None = None) -> list[str]:
    lines = [f"## {w.name}", "", "### Context", ""]
    lines += [
        f"- {upper_first(field_words(k))} (`{k}`): {answer_words(k, v)}"
        for k, v in w.answers.items()
    ]
    lines += ["", "### Options considered", ""]
    if w.costs is None:
        lines.append("No cost comparison: this workload is decided before any serving question.")
    else:
        chosen = w.chosen_name()
        lines += [
            "| option | build (eng.-quarters) | ongoing (FTE) | inference | year one | "
            "steady per year | three years | cheaper than the decision |",
            "|---|---|---|---|---|---|---|---|",
            _row(f"**{chosen}** (chosen)", w.costs.recommended, "—"),
        ]
        lines += [
            _row(
                option_words(a.behaviour, a.knowledge),
                a.figures,
                why_not_cell(a.break_even, (r.rule for r in a.why_not)),
            )
            for a in w.costs.alternatives
        ]
        lines += ["", CHEAPER_NOTE]
        if chart:
            lines += ["", f"![Cost chart: {w.name}]({chart})"]
        lines += _why_not(w) + _assumptions(w)
    lines += ["", "### Decision", "", f"**{pattern_title(w.pattern)}** (`{w.pattern}`)."]
    if w.modifiers:
        lines.append("With: " + joined(f"{modifier_words(m)} (`{m}`)" for m in w.modifiers) + ".")
    lines += [""] + [f"- {n}" for n in w.notes]
    lines += [f"- **{rule_link(t.rule)}** ({t.section}): {t.reason}" for t in w.trace]
    if w.gaps_answered:
        lines += ["", "How each gap you reported is closed:", ""]
        lines += [
            f"- {gap_answer_words(g.gap, g.answer, g.rule, f'[{{rule}}]({RULES_ANCHOR})')}"
            for g in w.gaps_answered
        ]
    lines += ["", "### Consequences", ""]
    lines += [f"- Warning: {x}" for x in w.warnings]
    lines += [f"- Risk: {x}" for x in w.risks]
    lines += [f"- Measure next: {x}" for x in w.measure_next]
    if w.flips:
        lines += ["", "What would change this decision:", ""]
        for f in w.flips:
            assumed = flip_assumptions(f, w.answers)
            tail = f" (assuming {'; '.join(assumed)})" if assumed else ""
            lines.append(
                f"- {upper_first(flip_change(f))}: **{pattern_title(f.pattern)}** "
                f"(`{f.pattern}`){tail}"
            )
    return [*lines, ""]


def to_markdown(result: AssessmentResult, *, charts: Mapping[int, str] | None = None) -> str:
    """The decision record: context, options with costs, decision, consequences, revisit date.

    `charts` maps a workload's index to its cost chart's file (`ragft assess --chart`), shown
    as an image under its cost table."""
    charts = charts or {}
    revisit_on = result.revisit_on.isoformat()
    out = [
        f"# Decision record: {result.name}",
        "",
        f"- Decided on: {result.decided_on.isoformat()}",
        f"- Revisit on: **{revisit_on}** (base models move; re-measure)",
        f"- Summary: {result.summary.text}",
        "",
    ]
    for i, w in enumerate(result.workloads):
        out += _workload(w, charts.get(i))
    out += _rules_cited(result)
    out += [
        "## Revisit",
        "",
        f"On {revisit_on}, re-run the assessment from these answers and "
        "re-measure what moves with time: the prompt baseline, the gaps, serving constraints, "
        "volume, prices, freshness and the quality target.",
        "",
        f"Costs use the calibration table's figures ({MARKS_LEGEND}; “ours” = the team's own); "
        "ranges combine low with low and high with high; "
        f"to use your own figures, {OVERRIDE_HINT}.",
        "",
    ]
    return "\n".join(out)
