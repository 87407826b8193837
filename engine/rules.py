"""The rules of FRAMEWORK.md §3 as data, validated when loaded, and the function applying them."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from engine.errors import RuleTableError
from engine.profile import FIELD_BY_ID
from engine.reasons import path_reason
from engine.vocabulary import MODIFIERS, PATTERNS, SECTIONS, STRUCTURAL

Facts = Mapping[str, Any]
Group = Literal["scope", "B", "D", "K"]


@dataclass(slots=True)
class Draft:
    """The decision while effects apply to it."""

    pattern: str | None = None
    behaviour: str | None = None
    knowledge: str | None = None
    modifiers: set[str] = field(default_factory=set)
    warnings: list[str] = field(default_factory=list)
    risks: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    served_small: bool = False


@dataclass(frozen=True, slots=True)
class Rule:
    """One rule: id, article section, our one-line reason, a condition and an effect.

    `edges` names every number the condition or the effect reads, and the values where it
    can change their outcome (`50 <= b < 80` reads baseline_pct at 50 and 80; `q > 90` at
    91): the flip search tries both sides of each edge, and nothing else."""

    id: str
    group: Group
    section: str
    reason: str
    condition: Callable[[Facts], bool]
    effect: Callable[[Draft, Facts], None]
    edges: Mapping[str, tuple[int, ...]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Decision:
    """What the rules decided for one workload (costs are computed apart)."""

    pattern: str
    behaviour: str | None
    knowledge: str | None
    modifiers: tuple[str, ...]
    fired: tuple[str, ...]
    warnings: tuple[str, ...]
    risks: tuple[str, ...]
    notes: tuple[str, ...]
    served_small: bool
    behaviour_rule: str | None = None  # the fired rule that set the final behaviour


def _gen(f: Facts) -> bool:
    return f.get("task") == "generation" and f.get("domain") == "general"


def _structural(f: Facts) -> frozenset[str]:
    gaps: frozenset[str] = f.get("gaps", frozenset())
    return STRUCTURAL & gaps


def _baseline(f: Facts) -> int | None:
    return f.get("baseline_pct") if f.get("prompt_pass") == "yes" else None


def _set(**kw: Any) -> Callable[[Draft, Facts], None]:
    def effect(d: Draft, f: Facts) -> None:
        for key, value in kw.items():
            setattr(d, key, value)

    return effect


def _b1(d: Draft, f: Facts) -> None:
    d.modifiers.add("measure_first")
    d.behaviour = "prompting"
    d.notes.append("Provisional: no prompt baseline has been measured yet.")


def _b3(d: Draft, f: Facts) -> None:
    d.behaviour = "fine_tune_format" if _structural(f) == {"format"} else "fine_tune"


def _b4(d: Draft, f: Facts) -> None:
    if _structural(f) == {"format"}:
        d.behaviour = "fine_tune_format"
    else:
        d.behaviour = "prompting"
        d.notes.append("The next base model may close the remaining structural gap; re-measure.")


def _b6(d: Draft, f: Facts) -> None:
    d.warnings.append(
        "A knowledge gap is not a fine-tuning job: facts must come from retrieval or a lookup."
    )


def _k1(d: Draft, f: Facts) -> None:
    d.knowledge = "none"
    if "knowledge" in f.get("gaps", frozenset()):
        d.warnings.append(
            "Contradiction: a knowledge gap is reported but no knowledge source is needed; "
            "check the knowledge answer."
        )


def _refresh_risk(d: Draft, f: Facts, what: str) -> None:
    when = {"realtime": "in real time", "daily": "every day"}.get(f.get("freshness", ""))
    if when:
        d.risks.append(
            f"The {what} has to be kept up to date {when}: someone must build an ingestion "
            "pipeline and keep it running."
        )


def _k2(d: Draft, f: Facts) -> None:
    d.knowledge = "lookup"
    _refresh_risk(d, f, "lookup table")


def _k3(d: Draft, f: Facts) -> None:
    d.knowledge = "rag"
    _refresh_risk(d, f, "retrieval index")


def _k4(d: Draft, f: Facts) -> None:
    d.warnings.append(
        "Beyond about 85 % retrieval quality, each extra 5 points takes roughly another "
        "engineer-quarter of retrieval work."
    )


def _k5(d: Draft, f: Facts) -> None:
    d.modifiers.update(("source_curation", "structured_knowledge", "human_review"))
    base = _baseline(f)
    if base is not None and base < 80 and d.behaviour in ("prompting", "fine_tune_format"):
        d.behaviour = "fine_tune"


def _d2(d: Draft, f: Facts) -> None:
    d.served_small = True
    d.notes.append("Served on an off-the-shelf small model, which meets the quality bar.")


RULES: tuple[Rule, ...] = (
    Rule(
        "S1",
        "scope",
        SECTIONS["applies"],
        "Research work: try whatever technique is most interesting and learn from it.",
        lambda f: f.get("deployment") == "research",
        _set(pattern="out_of_scope_research"),
    ),
    Rule(
        "S2",
        "scope",
        SECTIONS["applies"],
        "Specialised domains are governed by their own trade-offs; start from their literature.",
        lambda f: f.get("domain") == "specialized",
        _set(pattern="out_of_scope_specialized"),
    ),
    Rule(
        "N1",
        "scope",
        SECTIONS["neither"],
        "Stable labels, stable formats or document search are usually cheaper without an LLM.",
        lambda f: f.get("task") in ("classification", "extraction", "document_search"),
        _set(pattern="no_llm"),
    ),
    Rule(
        "B1",
        "B",
        SECTIONS["neither"],
        "Without a measured prompt baseline, the behaviour is provisional: measure the gap first.",
        lambda f: _gen(f) and f.get("prompt_pass") == "no",
        _b1,
    ),
    Rule(
        "B2",
        "B",
        SECTIONS["debt"],
        "A good prompt already gets 80 % or more: no fine-tune is needed for behaviour.",
        lambda f: (b := _baseline(f)) is not None and b >= 80,
        _set(behaviour="prompting"),
        {"baseline_pct": (80,)},
    ),
    Rule(
        "B3",
        "B",
        SECTIONS["solves"],
        "Below 50 % with a structural gap: a fine-tune (format-only if only the format falls "
        "short) keeps its value across model upgrades.",
        lambda f: (b := _baseline(f)) is not None and b < 50 and bool(_structural(f)),
        _b3,
        {"baseline_pct": (50,)},
    ),
    Rule(
        "B4",
        "B",
        SECTIONS["hybrid_format"],
        "Between 50 and 80 % with a structural gap: a format-only gap gets a small format "
        "fine-tune; any other stays with prompting, as the next model may close it.",
        lambda f: (b := _baseline(f)) is not None and 50 <= b < 80 and bool(_structural(f)),
        _b4,
        {"baseline_pct": (50, 80)},
    ),
    Rule(
        "B5",
        "B",
        SECTIONS["neither"],
        "Below 80 % but no gap is structural: better prompting closes them more cheaply.",
        lambda f: (b := _baseline(f)) is not None and b < 80 and not _structural(f),
        _set(behaviour="prompting"),
        {"baseline_pct": (80,)},
    ),
    Rule(
        "B6",
        "B",
        SECTIONS["solves"],
        "Fine-tuning does not reliably teach facts; knowledge has to be supplied at request time.",
        lambda f: _gen(f) and "knowledge" in f.get("gaps", frozenset()),
        _b6,
    ),
    Rule(
        "D1",
        "D",
        SECTIONS["hybrid_distillation"],
        "Frontier serving is too slow or costly and small models fall short: distil.",
        lambda f: _gen(f) and f.get("frontier_ok") == "no" and f.get("small_model_ok") == "no",
        _set(behaviour="distillation"),
    ),
    Rule(
        "D2",
        "D",
        SECTIONS["hybrid_distillation"],
        "Frontier serving is ruled out but a small model is good enough: serve on the small one.",
        lambda f: _gen(f) and f.get("frontier_ok") == "no" and f.get("small_model_ok") == "yes",
        _d2,
    ),
    Rule(
        "K1",
        "K",
        SECTIONS["solves"],
        "No knowledge has to be injected, so no retrieval or lookup is needed.",
        lambda f: _gen(f) and f.get("knowledge") == "none",
        _k1,
    ),
    Rule(
        "K2",
        "K",
        SECTIONS["hybrid_lookup"],
        "A small, well-defined knowledge set fits a deterministic lookup: no context overhead.",
        lambda f: _gen(f) and f.get("knowledge") == "small_fixed",
        _k2,
    ),
    Rule(
        "K3",
        "K",
        SECTIONS["solves"],
        "A large, changing or customer-specific corpus is what retrieval is for.",
        lambda f: _gen(f) and f.get("knowledge") == "corpus",
        _k3,
    ),
    Rule(
        "K4",
        "K",
        SECTIONS["plateau"],
        "A target just past the usual 85 % plateau is reachable, at a steep price per point.",
        lambda f: (
            _gen(f)
            and f.get("knowledge") == "corpus"
            and 85 < f.get("quality_target_pct", 85) <= 90
        ),
        _k4,
        {"quality_target_pct": (86, 91)},
    ),
    Rule(
        "K5",
        "K",
        SECTIONS["plateau"],
        "Past 90 % retrieval alone rarely suffices: curate, structure and review, and fine-tune "
        "where the prompt baseline is under 80 %.",
        lambda f: (
            _gen(f) and f.get("knowledge") == "corpus" and f.get("quality_target_pct", 85) > 90
        ),
        _k5,
        {"quality_target_pct": (91,), "baseline_pct": (80,)},  # the effect reads the baseline
    ),
    Rule(
        "K6",
        "K",
        SECTIONS["hybrid_caching"],
        "Users repeat similar queries on similar context, so caching cuts the retrieval bill.",
        lambda f: _gen(f) and f.get("knowledge") == "corpus" and f.get("repeat_queries") == "often",
        lambda d, f: d.modifiers.add("prompt_caching"),
    ),
)


def validate_rules(rules: Iterable[Rule]) -> tuple[Rule, ...]:
    """Check the table: unique ids, a known citation, a reason and well-formed numeric edges
    for each; raise RuleTableError."""
    seen: set[str] = set()
    table = tuple(rules)
    for rule in table:
        if not rule.id:
            raise RuleTableError("a rule has no id")
        if rule.id in seen:
            raise RuleTableError(f"rule {rule.id} is defined twice")
        seen.add(rule.id)
        if not rule.section:
            raise RuleTableError(f"rule {rule.id} cites no article section")
        if rule.section not in SECTIONS.values():
            raise RuleTableError(f"rule {rule.id} cites an unknown section: {rule.section!r}")
        if not rule.reason.strip():
            raise RuleTableError(f"rule {rule.id} gives no reason")
        if rule.group not in ("scope", "B", "D", "K"):
            raise RuleTableError(f"rule {rule.id} has an unknown group {rule.group!r}")
        for name, edges in rule.edges.items():
            _check_edges(rule.id, name, edges)
    return table


def _check_edges(rule: str, name: str, edges: tuple[int, ...]) -> None:
    spec = FIELD_BY_ID.get(name)
    if name not in DECISION_KEYS or spec is None or spec.kind != "int":
        raise RuleTableError(f"rule {rule} declares edges of {name!r}, not a number rules read")
    low, high = spec.minimum or 0, spec.maximum
    if not edges or list(edges) != sorted(set(edges)):
        raise RuleTableError(f"rule {rule}: the edges of {name} must be increasing: {edges!r}")
    if any(not isinstance(e, int) or e <= low or (high is not None and e > high) for e in edges):
        raise RuleTableError(f"rule {rule}: an edge of {name} is outside {low}..{high}: {edges!r}")


def number_edges(rules: Iterable[Rule]) -> dict[str, tuple[int, ...]]:
    """Per number, every edge some rule declares: where the rules may change their mind."""
    out: dict[str, set[int]] = {}
    for rule in rules:
        for name, edges in rule.edges.items():
            out.setdefault(name, set()).update(edges)
    return {name: tuple(sorted(edges)) for name, edges in out.items()}


# The rules' inputs: the answers `decide` reads (cost inputs are not among them).
DECISION_KEYS = (
    "deployment",
    "domain",
    "task",
    "knowledge",
    "freshness",
    "prompt_pass",
    "baseline_pct",
    "gaps",
    "quality_target_pct",
    "frontier_ok",
    "small_model_ok",
    "repeat_queries",
)
RULES = validate_rules(RULES)
RULE_BY_ID: dict[str, Rule] = {r.id: r for r in RULES}
EDGES = number_edges(RULES)
_EFFECT_ORDER = {"B": 0, "K": 1, "D": 2}


def decide(facts: Facts) -> Decision:
    """Apply the rules to one workload's normalised answers (cost inputs are not read)."""
    draft = Draft()
    for rule in RULES:
        if rule.group == "scope" and rule.condition(facts):
            rule.effect(draft, facts)
            return Decision(str(draft.pattern), None, None, (), (rule.id,), (), (), (), False)
    fired = [r for r in RULES if r.group != "scope" and r.condition(facts)]
    behaviour_rule = None
    for rule in sorted(fired, key=lambda r: _EFFECT_ORDER[r.group]):
        before = draft.behaviour
        rule.effect(draft, facts)
        if draft.behaviour != before:
            behaviour_rule = rule.id
    if draft.behaviour is None or draft.knowledge is None:
        raise RuleTableError(f"rules left the decision incomplete for {dict(facts)!r}")
    return Decision(
        pattern=PATTERNS[(draft.behaviour, draft.knowledge)],
        behaviour=draft.behaviour,
        knowledge=draft.knowledge,
        modifiers=tuple(m for m in MODIFIERS if m in draft.modifiers),
        fired=tuple(r.id for r in fired),
        warnings=tuple(draft.warnings),
        risks=tuple(draft.risks),
        notes=tuple(draft.notes),
        served_small=draft.served_small,
        behaviour_rule=behaviour_rule,
    )


def explain(decision: Decision, facts: Facts) -> tuple[str, ...]:
    """Each fired rule's reason, worded for the path `decision` took on these answers."""
    return tuple(
        path_reason(r, RULE_BY_ID[r].reason, facts, decision.behaviour_rule) for r in decision.fired
    )
