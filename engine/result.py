"""The assessment result as typed values: what the views, the decision record and compare read.

`Assessment.to_json()` (INTERFACES.md) is what gets stored; `AssessmentResult.from_json`
gives the typed values back, and `AssessmentResult.of` takes them straight from the engine.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from engine.calibration import Assumption
from engine.costs import CostLine
from engine.gaps import GapAnswer
from engine.why_not import WhyNot
from engine.words import chosen_option

if TYPE_CHECKING:
    from engine.assess import Assessment

Pair = tuple[float, float]
BreakEven = str | dict[str, int]  # "always", "never", {"above": N} or {"below": N}


def _pair(value: Any) -> Pair:
    low, high = value
    return (float(low), float(high))


def _strings(items: Any) -> tuple[str, ...]:
    return tuple(str(i) for i in items or ())


@dataclass(frozen=True)
class TraceStep:
    """One fired rule: its id, the article section and the reason in words."""

    rule: str
    section: str
    reason: str


@dataclass(frozen=True)
class Flip:
    """Changing `field` from `from_` to `to` (assuming `also`) gives `pattern`."""

    field: str
    from_: Any
    to: Any
    pattern: str
    also: Mapping[str, Any] = dataclasses.field(default_factory=dict)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Flip:
        return cls(
            field=str(data["field"]),
            from_=data["from"],
            to=data["to"],
            pattern=str(data["pattern"]),
            also=dict(data.get("also") or {}),
        )


def _cost_line(data: Mapping[str, Any]) -> CostLine:
    """The figures of one option, from its JSON (the recommendation's or an alternative's)."""
    return CostLine(
        build_eq=_pair(data["build_eq"]),
        ongoing_fte=_pair(data["ongoing_fte"]),
        inference_multiplier=_pair(data["inference_multiplier"]),
        year_one_usd=_pair(data["year_one_usd"]),
        steady_state_usd=_pair(data["steady_state_usd"]),
        three_year_usd=_pair(data["three_year_usd"]),
    )


@dataclass(frozen=True)
class AlternativeCost:
    """Another cell of the pattern table, costed, and when it would be cheaper."""

    behaviour: str
    knowledge: str
    pattern: str
    figures: CostLine
    break_even: BreakEven
    why_not: tuple[WhyNot, ...] = ()

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> AlternativeCost:
        even = data["break_even_requests_per_day"]
        return cls(
            behaviour=str(data["behaviour"]),
            knowledge=str(data["knowledge"]),
            pattern=str(data["pattern"]),
            figures=_cost_line(data),
            break_even=dict(even) if isinstance(even, Mapping) else str(even),
            why_not=tuple(WhyNot(**w) for w in data.get("why_not") or ()),
        )


@dataclass(frozen=True)
class Costs:
    """The recommendation's costs, its alternatives', and the figures they assume."""

    recommended: CostLine
    alternatives: tuple[AlternativeCost, ...]
    assumptions: tuple[Assumption, ...] = ()

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Costs:
        return cls(
            recommended=_cost_line(data["recommended"]),
            alternatives=tuple(AlternativeCost.from_json(a) for a in data["alternatives"]),
            assumptions=tuple(Assumption.from_json(a) for a in data.get("assumptions") or ()),
        )


@dataclass(frozen=True)
class WorkloadRecommendation:
    """One workload's recommendation, as INTERFACES.md's JSON names it."""

    name: str
    answers: Mapping[str, Any]
    behaviour: str | None
    knowledge: str | None
    pattern: str
    modifiers: tuple[str, ...] = ()
    served_on_small_model: bool = False
    rules_fired: tuple[str, ...] = ()
    trace: tuple[TraceStep, ...] = ()
    warnings: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    risks: tuple[str, ...] = ()
    measure_next: tuple[str, ...] = ()
    flips: tuple[Flip, ...] = ()
    costs: Costs | None = None
    gaps_answered: tuple[GapAnswer, ...] = ()
    defaulted: tuple[str, ...] | None = None  # the fields filled by default, where known

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> WorkloadRecommendation:
        costs = data.get("costs")
        return cls(
            name=str(data["name"]),
            answers=dict(data.get("answers") or {}),
            behaviour=data.get("behaviour"),
            knowledge=data.get("knowledge"),
            pattern=str(data["pattern"]),
            modifiers=_strings(data.get("modifiers")),
            served_on_small_model=bool(data.get("served_on_small_model")),
            rules_fired=_strings(data.get("rules_fired")),
            trace=tuple(TraceStep(**t) for t in data.get("trace") or ()),
            warnings=_strings(data.get("warnings")),
            notes=_strings(data.get("notes")),
            risks=_strings(data.get("risks")),
            measure_next=_strings(data.get("measure_next")),
            flips=tuple(Flip.from_json(f) for f in data.get("flips") or ()),
            costs=None if costs is None else Costs.from_json(costs),
            gaps_answered=tuple(
                GapAnswer(str(g["gap"]), str(g["answer"]), g.get("rule"))
                for g in data.get("gaps_answered") or ()
            ),
            defaulted=None if data.get("defaulted") is None else _strings(data["defaulted"]),
        )

    def chosen_name(self) -> str:
        """The cost table's name for the chosen option (`engine.words.chosen_option`)."""
        alternatives = self.costs.alternatives if self.costs else ()
        others = [(a.behaviour, a.knowledge) for a in alternatives]
        return chosen_option(self.pattern, str(self.behaviour), str(self.knowledge), others)


@dataclass(frozen=True)
class Summary:
    """The whole assessment in one sentence, and the recommended totals."""

    text: str
    patterns: tuple[str, ...] = ()
    measure_first: bool = False
    recommended_totals: Mapping[str, Pair | None] = dataclasses.field(default_factory=dict)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Summary:
        totals = data.get("recommended_totals") or {}
        return cls(
            text=str(data["text"]),
            patterns=_strings(data.get("patterns")),
            measure_first=bool(data.get("measure_first")),
            recommended_totals={k: None if v is None else _pair(v) for k, v in totals.items()},
        )


@dataclass(frozen=True)
class AssessmentResult:
    """A whole assessment's result: name, dates, one recommendation per workload, summary."""

    name: str
    decided_on: date
    revisit_on: date
    workloads: tuple[WorkloadRecommendation, ...]
    summary: Summary

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> AssessmentResult:
        """The typed result of a stored `Assessment.to_json()`."""
        meta = data["assessment"]
        return cls(
            name=str(meta["name"]),
            decided_on=date.fromisoformat(meta["decided_on"]),
            revisit_on=date.fromisoformat(meta["revisit_on"]),
            workloads=tuple(WorkloadRecommendation.from_json(w) for w in data["workloads"]),
            summary=Summary.from_json(data["summary"]),
        )

    @staticmethod
    def patterns_in(data: Mapping[str, Any]) -> tuple[str, ...]:
        """Each workload's pattern id in a stored result, without reading the rest of it
        (lists and the register show only these)."""
        return tuple(str(w["pattern"]) for w in data.get("workloads") or ())

    @classmethod
    def of(cls, assessment: Assessment) -> AssessmentResult:
        """The typed result of a fresh assessment (the same values as its stored JSON)."""
        return cls.from_json(assessment.to_json())
