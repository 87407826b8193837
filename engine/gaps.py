"""What closes each gap a workload reported: `gaps_answered` of INTERFACES.md.

Every reported gap gets one answer in the chosen option's terms: the part of it that closes
the gap, or why no technique is needed for it, with the rule (or null for our own reading).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from engine.rules import Decision

_GAP_ORDER = ("tone", "format", "refusal", "reasoning", "knowledge")
_TUNED = {
    "fine_tune": "the fine-tune",
    "fine_tune_format": "the format-only fine-tune",
    "distillation": "the distilled small model",
}


@dataclass(frozen=True, slots=True)
class GapAnswer:
    """One reported gap and what in the chosen option closes it."""

    gap: str
    answer: str
    rule: str | None = None


def _rule(d: Decision, *candidates: str) -> str | None:
    """The first of `candidates` that fired for this decision."""
    return next((r for r in candidates if r in d.fired), None)


def _tone(d: Decision) -> GapAnswer:
    tuned = _TUNED.get(str(d.behaviour))
    if tuned is not None and d.behaviour != "fine_tune_format":
        return GapAnswer(
            "tone",
            f"{tuned[0].upper()}{tuned[1:]} learns the house voice from its training examples; "
            "until it ships, a style guide and a few sample answers in the prompt carry it.",
            d.behaviour_rule,
        )
    return GapAnswer(
        "tone",
        "No technique of its own: tone is not a structural gap, because a style guide, a "
        "persona and a few sample answers in the prompt usually reach it. Measure the voice on "
        "real answers; only if it still misses after that is a small tone fine-tune worth "
        "costing (our reading).",
        None,
    )


def _format(d: Decision) -> GapAnswer:
    behaviour = str(d.behaviour)
    if behaviour in _TUNED:
        tuned = _TUNED[behaviour]
        return GapAnswer(
            "format",
            f"{tuned[0].upper()}{tuned[1:]} is trained on answers in the exact format; keep a "
            "schema validator on its output.",
            d.behaviour_rule,
        )
    rule = _rule(d, "B1", "B2", "B4")
    why = {
        "B1": "until a baseline is measured",
        "B2": "a fine-tune would depreciate at this baseline",
        "B4": "the other structural gaps keep the behaviour on prompting",
    }.get(str(rule), "prompting stays")
    return GapAnswer(
        "format",
        "Structured output closes it with prompting: the provider's JSON or schema mode "
        "(schema-constrained decoding), the schema and an example in the prompt, and a "
        f"validator that retries a malformed answer; {why}. A format-only fine-tune is the "
        "fallback only if that still fails.",
        rule,
    )


def _behavioural(gap: str, d: Decision) -> GapAnswer:
    """A refusal or reasoning gap."""
    what = {
        "refusal": (
            "when to answer and when to decline",
            "the refusal policy, with examples of questions to answer and to decline,",
        ),
        "reasoning": (
            "the domain's reasoning pattern",
            "worked examples of the domain's reasoning, step by step,",
        ),
    }[gap]
    behaviour = str(d.behaviour)
    if behaviour in ("fine_tune", "distillation"):
        tuned = _TUNED[behaviour]
        return GapAnswer(
            gap,
            f"{tuned[0].upper()}{tuned[1:]} is trained on examples of {what[0]}.",
            d.behaviour_rule,
        )
    rule = _rule(d, "B1", "B2", "B4")
    why = {
        "B1": "measure how wide it is before choosing a technique",
        "B2": "at this baseline a fine-tune for it would depreciate with the next base model",
        "B4": "the next base model may close it, so re-measure at each release rather than "
        "fine-tune now",
    }.get(str(rule), "re-measure at each base-model release")
    lead = (
        "The format-only fine-tune does not cover it: prompting does,"
        if behaviour == "fine_tune_format"
        else "Prompting closes it:"
    )
    return GapAnswer(gap, f"{lead} with {what[1]} in the prompt; {why}.", rule)


def _knowledge(d: Decision) -> GapAnswer:
    if d.knowledge == "rag":
        text = (
            "Retrieval (RAG) brings the missing or stale facts into each request; a fine-tune "
            "would not inject them reliably."
        )
        return GapAnswer("knowledge", text, "K3")
    if d.knowledge == "lookup":
        text = (
            "The deterministic lookup supplies the facts; a fine-tune would not inject them "
            "reliably."
        )
        return GapAnswer("knowledge", text, "K2")
    return GapAnswer(
        "knowledge",
        "Nothing in this option injects facts, because you said none need injecting: check "
        "which facts are missing, and answer the knowledge question again if some must be.",
        "K1" if "K1" in d.fired else None,
    )


def gaps_answered(decision: Decision, facts: Mapping[str, Any]) -> tuple[GapAnswer, ...]:
    """One answer per reported gap, in id order; empty without gaps or without a behaviour."""
    gaps = facts.get("gaps") or frozenset()
    if decision.behaviour is None or not gaps:
        return ()
    out = []
    for gap in _GAP_ORDER:
        if gap not in gaps:
            continue
        if gap == "tone":
            out.append(_tone(decision))
        elif gap == "format":
            out.append(_format(decision))
        elif gap == "knowledge":
            out.append(_knowledge(decision))
        else:
            out.append(_behavioural(gap, decision))
    return tuple(out)
