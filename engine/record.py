"""The decision record: an assessment as Markdown, ready to commit next to the code it governs."""

from __future__ import annotations

from typing import Any

from engine.assess import Assessment, WorkloadResult
from engine.costs import CostLine

_TITLES = {
    "prompting": "Prompting only",
    "lookup_prompting": "Prompting with a deterministic lookup",
    "rag_prompting": "Retrieval (RAG) with prompting",
    "fine_tune": "Fine-tuning, no knowledge source",
    "ft_lookup": "Fine-tuning with a deterministic lookup",
    "rag_ft_format": "Retrieval with a format-only fine-tune",
    "rag_ft": "Retrieval with a fine-tune",
    "distillation": "Distillation: a frontier teacher, a small served student",
    "no_llm": "No LLM: a small specialised model, classic NLP or search",
    "out_of_scope_research": "Out of scope: a research project",
    "out_of_scope_specialized": "Out of scope: a specialised domain",
}


def pattern_title(pattern: str) -> str:
    """A readable title for a pattern id."""
    return _TITLES.get(pattern, pattern)


def _usd(pair: tuple[float, float]) -> str:
    return f"${pair[0]:,.0f}–${pair[1]:,.0f}"


def _num(pair: tuple[float, float]) -> str:
    return f"{pair[0]:g}–{pair[1]:g}"


def _row(label: str, line: CostLine, even: str) -> str:
    return (
        f"| {label} | {_num(line.build_eq)} | {_num(line.ongoing_fte)} | "
        f"×{_num(line.inference_multiplier)} | {_usd(line.year_one_usd)} | "
        f"{_usd(line.three_year_usd)} | {even} |"
    )


def _even(value: str | dict[str, int]) -> str:
    if isinstance(value, dict):
        (side, n), *_ = value.items()
        return f"{side} {n:,} requests/day"
    return value


def _workload(w: WorkloadResult) -> list[str]:
    d = w.decision
    lines = [f"## {w.name}", "", "### Context", ""]
    lines += [f"- `{k}`: {_fmt(v)}" for k, v in w.answers.items()]
    lines += ["", "### Options considered", ""]
    if w.costs is None:
        lines.append("No cost comparison: this workload is decided before any serving question.")
    else:
        rec, alts = w.costs
        lines += [
            "| option | build (eng.-quarters) | ongoing (FTE) | inference | year one | "
            "three years | cheaper than the decision |",
            "|---|---|---|---|---|---|---|",
            _row(f"**{d.behaviour} + {d.knowledge}** (chosen)", rec, "—"),
        ]
        lines += [_row(f"{a.behaviour} + {a.knowledge}", a.line, _even(a.break_even))
                  for a in alts]  # fmt: skip
    lines += ["", "### Decision", "", f"**{pattern_title(d.pattern)}** (`{d.pattern}`)."]
    if d.modifiers:
        lines.append("With: " + ", ".join(f"`{m}`" for m in d.modifiers) + ".")
    lines += [""] + [f"- {n}" for n in d.notes]
    lines += [f"- **{t['rule']}** ({t['section']}): {t['reason']}" for t in w.trace()]
    lines += ["", "### Consequences", ""]
    lines += [f"- Warning: {x}" for x in d.warnings]
    lines += [f"- Risk: {x}" for x in w.risks]
    lines += [f"- Measure next: {x}" for x in w.measure_next]
    if w.flips:
        lines += ["", "What would change this decision:", ""]
        for f in w.flips:
            also = f.get("also") or {}
            extra = ", ".join(f"{k}={_fmt(v)}" for k, v in also.items())
            tail = f" (assuming {extra})" if extra else ""
            lines.append(f"- `{f['field']}` {_fmt(f['from'])} → {_fmt(f['to'])}: "
                         f"`{f['pattern']}`{tail}")  # fmt: skip
    return [*lines, ""]


def _fmt(value: Any) -> str:
    if isinstance(value, list | frozenset | set | tuple):
        return ", ".join(sorted(str(v) for v in value)) or "none"
    return str(value)


def to_markdown(assessment: Assessment) -> str:
    """The decision record: context, options with costs, decision, consequences, revisit date."""
    s = assessment.summary()
    out = [
        f"# Decision record: {assessment.name}",
        "",
        f"- Decided on: {assessment.decided_on.isoformat()}",
        f"- Revisit on: **{assessment.revisit_on.isoformat()}** (base models move; re-measure)",
        f"- Summary: {s['text']}",
        "",
    ]
    for w in assessment.workloads:
        out += _workload(w)
    out += [
        "## Revisit",
        "",
        f"On {assessment.revisit_on.isoformat()}, re-run the assessment from these answers and "
        "re-measure what moves with time: the prompt baseline, the gaps, serving constraints, "
        "volume, prices, freshness and the quality target.",
        "",
        "Costs use the calibration table's figures (F = from the article, D = derived from it, "
        "A = our assumption); ranges combine low with low and high with high.",
        "",
    ]
    return "\n".join(out)
