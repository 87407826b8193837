"""The decision record: an assessment as Markdown, ready to commit next to the code it governs."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from engine.assess import Assessment, WorkloadResult
from engine.assess import pattern_title as pattern_title
from engine.costs import CostLine
from engine.profile import DEFAULTS, FIELDS
from engine.rules import DECISION_KEYS, THRESHOLDS, decide

# Our own words for the answers, so that reports never show a raw id or a JSON value.
FIELD_WORDS: dict[str, str] = {
    "deployment": "deployment",
    "domain": "domain",
    "task": "task",
    "knowledge": "knowledge needed",
    "freshness": "how often the facts change",
    "prompt_pass": "measured prompt pass",
    "baseline_pct": "prompt baseline",
    "gaps": "gaps",
    "quality_target_pct": "quality target",
    "frontier_ok": "frontier model acceptable",
    "small_model_ok": "small model good enough",
    "repeat_queries": "repeated queries",
    "requests_per_day": "requests per day",
    "tokens_per_request": "tokens per request",
    "price_per_mtok": "price per million tokens",
    "engineer_quarter_usd": "cost of an engineer-quarter",
}
_VALUE_WORDS: dict[str, dict[str, str]] = {
    "domain": {"general": "everyday business", "specialized": "a specialist field"},
    "task": {"generation": "open-ended generation", "document_search": "document search"},
    "knowledge": {"small_fixed": "a small fixed set", "corpus": "a large corpus"},
    "freshness": {
        "realtime": "in real time",
        "daily": "every day",
        "weekly": "every week",
        "monthly": "every month",
        "rarely": "hardly ever",
    },
    "gaps": {
        "tone": "tone",
        "format": "output format",
        "refusal": "refusals",
        "reasoning": "domain reasoning",
        "knowledge": "missing facts",
    },
}

MODIFIER_WORDS: dict[str, str] = {
    "measure_first": "measure a prompt baseline first",
    "prompt_caching": "cache the repeated context",
    "source_curation": "curate the sources",
    "structured_knowledge": "structure the most valuable knowledge",
    "human_review": "keep people reviewing the residual errors",
}
_SPECS = {spec.id: spec for spec in FIELDS}
_BEHAVIOUR_WORDS = {"fine_tune_format": "format-only fine-tune", "fine_tune": "fine-tune"}
_KNOWLEDGE_WORDS = {"rag": "retrieval"}


def joined(items: Iterable[str]) -> str:
    """Words joined as a person would: "a", "a and b", "a, b and c"; "none" when empty."""
    words = list(items)
    if not words:
        return "none"
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def answer_words(field: str, value: Any) -> str:
    """One answer in words: 72 → "72 %", ["format"] → "output format", 60000.0 → "$60,000"."""
    words = _VALUE_WORDS.get(field, {})
    if isinstance(value, list | tuple | set | frozenset):
        given = {str(v) for v in value}
        picked = [v for v in words if v in given] + sorted(given - set(words))
        return joined(words.get(v, v) for v in picked)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float) and field.endswith("_pct"):
        return f"{value:g} %"
    if isinstance(value, int | float) and (field.endswith("_usd") or field == "price_per_mtok"):
        return f"${value:,.0f}" if field.endswith("_usd") else f"${value:,.2f}"
    if isinstance(value, int | float):
        return f"{value:,.0f}" if float(value).is_integer() else f"{value:,}"
    return words.get(str(value), str(value))


def option_words(behaviour: str, knowledge: str) -> str:
    """A costed option in words: "format-only fine-tune + retrieval"."""
    how = _BEHAVIOUR_WORDS.get(behaviour, behaviour)
    return how if knowledge == "none" else f"{how} + {_KNOWLEDGE_WORDS.get(knowledge, knowledge)}"


def _upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def flip_change(flip: Mapping[str, Any]) -> str:
    """The answer a flip moves, in words: "prompt baseline: 72 % → 80 %"."""
    field = str(flip["field"])
    label = FIELD_WORDS.get(field, field)
    return f"{label}: {answer_words(field, flip['from'])} → {answer_words(field, flip['to'])}"


def flip_assumptions(
    flip: Mapping[str, Any], answers: Mapping[str, Any] | None = None
) -> list[str]:
    """The newly asked answers a flip assumes that matter, in words.

    Kept: answers the rules read, other than defaults; given the workload's `answers`, only
    those that gate the new pattern (some other value of that answer alone would change it).
    """
    also: Mapping[str, Any] = flip.get("also") or {}
    kept = [k for k, v in also.items() if k in DECISION_KEYS and DEFAULTS.get(k) != v]
    if answers is not None:
        facts = {**answers, flip["field"]: flip["to"], **also}
        facts = {k: frozenset(v) if isinstance(v, list) else v for k, v in facts.items()}
        kept = [k for k in kept if _gates(k, facts, str(flip["pattern"]))]
    return [f"{FIELD_WORDS.get(k, k)}: {answer_words(k, also[k])}" for k in kept]


def _gates(field: str, facts: Mapping[str, Any], pattern: str) -> bool:
    spec = _SPECS[field]
    value = facts[field]
    if spec.kind == "choice":
        others: list[Any] = [c for c in spec.choices if c != value]
    elif spec.kind == "set":
        others = [value ^ {c} for c in spec.choices]
    else:
        edges = {int(spec.minimum or 0), int(spec.maximum or 100)}
        edges.update(e for t in THRESHOLDS.get(field, ()) for e in (t - 1, t))
        others = sorted(edges - {value})
    return any(decide({**facts, field: other}).pattern != pattern for other in others)


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
    lines += [f"- {_upper_first(FIELD_WORDS.get(k, k))} (`{k}`): {answer_words(k, v)}"
              for k, v in w.answers.items()]  # fmt: skip
    lines += ["", "### Options considered", ""]
    if w.costs is None:
        lines.append("No cost comparison: this workload is decided before any serving question.")
    else:
        rec, alts = w.costs
        lines += [
            "| option | build (eng.-quarters) | ongoing (FTE) | inference | year one | "
            "three years | cheaper than the decision |",
            "|---|---|---|---|---|---|---|",
            _row(f"**{option_words(str(d.behaviour), str(d.knowledge))}** (chosen)", rec, "—"),
        ]
        lines += [_row(option_words(a.behaviour, a.knowledge), a.line, _even(a.break_even))
                  for a in alts]  # fmt: skip
    lines += ["", "### Decision", "", f"**{pattern_title(d.pattern)}** (`{d.pattern}`)."]
    if d.modifiers:
        lines.append(
            "With: " + joined(f"{MODIFIER_WORDS.get(m, m)} (`{m}`)" for m in d.modifiers) + "."
        )
    lines += [""] + [f"- {n}" for n in d.notes]
    lines += [f"- **{t['rule']}** ({t['section']}): {t['reason']}" for t in w.trace()]
    lines += ["", "### Consequences", ""]
    lines += [f"- Warning: {x}" for x in d.warnings]
    lines += [f"- Risk: {x}" for x in w.risks]
    lines += [f"- Measure next: {x}" for x in w.measure_next]
    if w.flips:
        lines += ["", "What would change this decision:", ""]
        for f in w.flips:
            assumed = flip_assumptions(f, w.answers)
            tail = f" (assuming {'; '.join(assumed)})" if assumed else ""
            lines.append(f"- {_upper_first(flip_change(f))}: **{pattern_title(f['pattern'])}** "
                         f"(`{f['pattern']}`){tail}")  # fmt: skip
    return [*lines, ""]


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
