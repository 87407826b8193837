"""Why each alternative of the cost table was not chosen, in words for that alternative.

An alternative differs from the recommendation in its behaviour, its knowledge technique, or
both. For each difference the reasons come from the fired rules that chose that component:
the rule that set the recommended behaviour (B1–B5, K5's upgrade or D1), D2 beside a
distillation alternative, K2 or K3 for the technique. Where the alternative is cheaper, the
reason starts by saying so and then says what it would leave unmet, with the person's figures.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from engine.reasons import gap_phrase
from engine.rules import Decision
from engine.vocabulary import STRUCTURAL
from engine.words import BEHAVIOUR_NOUNS


@dataclass(frozen=True, slots=True)
class WhyNot:
    """One fired rule that speaks against an alternative, and why, for that alternative."""

    rule: str
    reason: str


@dataclass(frozen=True, slots=True)
class Situation:
    """The answers the reasons quote: the person's own figures and serving constraints."""

    baseline_pct: int | None  # None: no prompt pass measured
    gaps: frozenset[str]
    quality_target_pct: int | None
    frontier_ok: str | None
    small_model_ok: str | None

    @classmethod
    def of(cls, facts: dict[str, Any]) -> Situation:
        measured = facts.get("prompt_pass") == "yes"
        return cls(
            baseline_pct=facts.get("baseline_pct") if measured else None,
            gaps=facts.get("gaps", frozenset()),
            quality_target_pct=facts.get("quality_target_pct"),
            frontier_ok=facts.get("frontier_ok"),
            small_model_ok=facts.get("small_model_ok"),
        )


def _b1(alt: str, rec: str, s: Situation) -> str:
    return (
        f"no prompt baseline has been measured, so nothing yet shows a gap that prompting "
        f"cannot close: measure first, before paying for a {BEHAVIOUR_NOUNS[alt]}"
    )


def _b2(alt: str, rec: str, s: Situation) -> str:
    return (
        f"your prompt already reaches {s.baseline_pct} % of the target, at or above the "
        f"80 % where a {BEHAVIOUR_NOUNS[alt]} becomes a depreciating asset that the next "
        "base model with a good prompt catches up with"
    )


def _trained_here(alt: str, rec: str, why: str) -> str:
    """Distillation against a tuned model of the one you serve: the constraint is missing."""
    return (
        f"{why} calls for a {BEHAVIOUR_NOUNS[rec]} of the model you serve; distilling adds "
        "a frontier teacher and a data-generation step that only pay off when frontier "
        "serving is ruled out and off-the-shelf small models fall short"
    )


def _structural_gaps(s: Situation) -> str:
    return gap_phrase(STRUCTURAL & s.gaps)


def _b3(alt: str, rec: str, s: Situation) -> str:
    gaps, base = _structural_gaps(s), s.baseline_pct
    if alt == "prompting":
        return (
            f"your {base} % baseline with {gaps} is below 50 %: a structural gap that wide "
            "is unlikely to close by prompting, even on the next base model"
        )
    if alt == "distillation":
        return _trained_here(alt, rec, f"your {base} % baseline with {gaps}")
    if rec == "fine_tune_format":
        return (
            "your only structural gap is the output format, which a format-only fine-tune "
            "closes; a full fine-tune costs more and ages with every base model"
        )
    return (
        f"a format-only fine-tune would leave {_others(s)} open; at a {base} % baseline "
        "that takes a full fine-tune"
    )


def _others(s: Situation) -> str:
    return gap_phrase(STRUCTURAL & s.gaps - {"format"})


def _b4(alt: str, rec: str, s: Situation) -> str:
    gaps, base = _structural_gaps(s), s.baseline_pct
    if rec == "fine_tune_format":  # the only structural gap is the format
        if alt == "prompting":
            return (
                f"your {base} % baseline with {gaps} is below the 80 % at which prompting "
                "is enough, and a format fix is small, cheap and survives base-model "
                "upgrades"
            )
        if alt == "distillation":
            return _trained_here(alt, rec, f"your {base} % baseline with {gaps}")
        return (
            "only the output format falls short, so a format-only fine-tune is enough; a "
            "full fine-tune costs more and ages with every base model"
        )
    if alt == "fine_tune_format" and "format" not in s.gaps:
        return f"a format-only fine-tune does not touch {gaps}, which is what falls short"
    if alt == "fine_tune_format":
        return (
            f"a format-only fine-tune would fix the format but leave {_others(s)} open, "
            f"and at a {base} % baseline the next base model may close that; keep prompting "
            "and re-measure at each release"
        )
    return (
        f"at a {base} % baseline, a {BEHAVIOUR_NOUNS[alt]} for {_others(s)} would probably "
        "be overtaken by the next base model; keep prompting and re-measure at each "
        "release"
    )


def _b5(alt: str, rec: str, s: Situation) -> str:
    found = gap_phrase(s.gaps)
    if not s.gaps:
        head = f"your {s.baseline_pct} % baseline shows no specific gap"
    else:
        which = "which is not structural" if len(s.gaps) == 1 else "none of them structural"
        head = f"your {s.baseline_pct} % baseline has {found}, {which}"
    if "knowledge" in s.gaps:
        return f"{head}: facts come from retrieval or a lookup, not a {BEHAVIOUR_NOUNS[alt]}"
    return f"{head}: better prompting closes the rest for less than a {BEHAVIOUR_NOUNS[alt]}"


def _k5(alt: str, rec: str, s: Situation) -> str:
    q, base = s.quality_target_pct, s.baseline_pct
    if alt == "prompting":
        return (
            f"your {q} % quality target is past 90 % and the prompt reaches {base} %: "
            "retrieval with prompting alone rarely gets there; the combination needs a "
            "fine-tune on approved answers"
        )
    if alt == "fine_tune_format":
        return (
            f"past 90 % quality (your target: {q} %) a format-only fine-tune is not enough: "
            "the tuned model must learn from whole approved answers, not their format alone"
        )
    return _trained_here(alt, rec, f"your {q} % quality target with a {base} % baseline")


def _d1(alt: str, rec: str, s: Situation) -> str:
    return (
        f"{_some(alt)} would run either on the frontier model, which you said is too "
        "slow or costly to serve, or on an off-the-shelf small model, which you said misses "
        "your bar; only a distilled small model meets both"
    )


def _some(behaviour: str) -> str:
    words = BEHAVIOUR_NOUNS[behaviour]
    return words if behaviour == "prompting" else f"a {words}"


def _d2(alt: str, rec: str, s: Situation) -> str:
    return (
        "an off-the-shelf small model already meets your bar, so there is no student to "
        "distil from a frontier teacher: the chosen approach runs on that small model"
    )


def _k2(alt: str, rec: str, s: Situation) -> str:
    return (
        "your knowledge is small and well defined, so a deterministic lookup answers it; "
        "retrieval adds an index to build and run, and retrieved context on every request"
    )


def _k3(alt: str, rec: str, s: Situation) -> str:
    return (
        "your knowledge is a large, changing or customer-specific collection, which a fixed "
        "lookup table cannot cover; that is what retrieval is for"
    )


_BEHAVIOUR = {"B1": _b1, "B2": _b2, "B3": _b3, "B4": _b4, "B5": _b5, "K5": _k5, "D1": _d1}
_KNOWLEDGE = {"lookup": ("K2", _k2), "rag": ("K3", _k3)}


def why_not(
    decision: Decision, behaviour: str, knowledge: str, cheaper: bool, s: Situation
) -> tuple[WhyNot, ...]:
    """The fired rules against the alternative (behaviour, knowledge), each with its reason."""
    found: list[tuple[str, str]] = []
    rec = str(decision.behaviour)
    if behaviour != rec and decision.behaviour_rule in _BEHAVIOUR:
        rule = str(decision.behaviour_rule)
        found.append((rule, _BEHAVIOUR[rule](behaviour, rec, s)))
        if behaviour == "distillation" and "D2" in decision.fired:
            found.append(("D2", _d2(behaviour, rec, s)))
    if knowledge != decision.knowledge and decision.knowledge in _KNOWLEDGE:
        rule, explain = _KNOWLEDGE[str(decision.knowledge)]
        if rule in decision.fired:
            found.append((rule, explain(behaviour, rec, s)))
    return tuple(WhyNot(rule, _sentence(text, cheaper, i)) for i, (rule, text) in enumerate(found))


def _sentence(clause: str, cheaper: bool, index: int) -> str:
    """The reason as a sentence: the first of a cheaper alternative's says it is cheaper, a
    later one adds to it."""
    if index:
        return f"Also, {clause}."
    if cheaper:
        return f"Cheaper, but {clause}."
    return f"{clause[0].upper()}{clause[1:]}."
