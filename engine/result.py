"""The assessment result, typed: what `assess` returns, what a record stores, what views read.

One model, one serialisation: `to_json()` is the CLI JSON of INTERFACES.md, and a stored
result (that JSON) validates back into the same model. Figures are held as the JSON shows
them (rounded), so a result read back from storage equals the one `assess` returned.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SerializerFunctionWrapHandler,
    model_serializer,
    model_validator,
)

from engine.calibration import Assumption
from engine.gaps import GapAnswer
from engine.why_not import WhyNot
from engine.words import chosen_option, pattern_title

Pair = tuple[float, float]
BreakEven = str | dict[str, int]  # "always", "never", {"above": N} or {"below": N}
_CONFIG = ConfigDict(
    frozen=True, validate_by_name=True, validate_by_alias=True, serialize_by_alias=True
)


def _dropping(data: dict[str, Any], key: str, empty: object) -> dict[str, Any]:
    if data.get(key) == empty:
        del data[key]
    return data


class TraceStep(BaseModel):
    """One fired rule: its id, the article section and the reason in words."""

    model_config = _CONFIG

    rule: str
    section: str
    reason: str


class Flip(BaseModel):
    """Changing `field` from `from_` to `to` (assuming `also`) gives `pattern`."""

    model_config = _CONFIG

    field: str
    from_: Any = Field(alias="from")
    to: Any
    pattern: str
    also: dict[str, Any] = Field(default_factory=dict)  # left out of the JSON when empty

    @model_serializer(mode="wrap")
    def _json(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        return _dropping(handler(self), "also", {})


class CostFigures(BaseModel):
    """One option's figures, each a (low, high) range, rounded as the JSON shows them."""

    model_config = _CONFIG

    build_eq: Pair
    ongoing_fte: Pair
    inference_multiplier: Pair
    year_one_usd: Pair
    steady_state_usd: Pair
    three_year_usd: Pair

    @classmethod
    def rounded(cls, line: Any) -> CostFigures:
        """The figures of a cost line (`engine.costs.CostLine`) as shown: 4 and 2 digits."""

        def r(p: Pair, digits: int) -> Pair:
            return (round(p[0], digits), round(p[1], digits))

        return cls(
            build_eq=r(line.build_eq, 4),
            ongoing_fte=r(line.ongoing_fte, 4),
            inference_multiplier=r(line.inference_multiplier, 4),
            year_one_usd=r(line.year_one_usd, 2),
            steady_state_usd=r(line.steady_state_usd, 2),
            three_year_usd=r(line.three_year_usd, 2),
        )


class AlternativeCost(BaseModel):
    """Another cell of the pattern table, costed, when it would be cheaper, and why not."""

    model_config = _CONFIG

    behaviour: str
    knowledge: str
    pattern: str
    build_eq: Pair
    ongoing_fte: Pair
    inference_multiplier: Pair
    year_one_usd: Pair
    steady_state_usd: Pair
    three_year_usd: Pair
    break_even: BreakEven = Field(alias="break_even_requests_per_day")
    why_not: tuple[WhyNot, ...] = ()

    @property
    def figures(self) -> CostFigures:
        return CostFigures.model_validate(self.model_dump(include=set(CostFigures.model_fields)))


class Costs(BaseModel):
    """The recommendation's costs, its alternatives', and the figures they assume."""

    model_config = _CONFIG

    recommended: CostFigures
    alternatives: tuple[AlternativeCost, ...]
    assumptions: tuple[Assumption, ...] = ()


class WorkloadRecommendation(BaseModel):
    """One workload's recommendation, as INTERFACES.md's JSON names it."""

    model_config = _CONFIG

    name: str
    answers: dict[str, Any] = Field(default_factory=dict)  # a set as a list of ids
    behaviour: str | None = None
    knowledge: str | None = None
    pattern: str
    modifiers: tuple[str, ...] = ()
    served_on_small_model: bool = False
    rules_fired: tuple[str, ...] = ()
    trace: tuple[TraceStep, ...] = ()
    gaps_answered: tuple[GapAnswer, ...] = ()
    warnings: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    risks: tuple[str, ...] = ()
    measure_next: tuple[str, ...] = ()
    flips: tuple[Flip, ...] = ()
    costs: Costs | None = None
    # The fields the engine filled with their default (None: not known, left out of the JSON).
    defaulted: tuple[str, ...] | None = None

    @model_serializer(mode="wrap")
    def _json(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        return _dropping(handler(self), "defaulted", None)

    def to_json(self) -> dict[str, Any]:
        return self.model_dump(mode="json")

    def chosen_name(self) -> str:
        """The cost table's name for the chosen option (`engine.words.chosen_option`)."""
        alternatives = self.costs.alternatives if self.costs else ()
        others = [(a.behaviour, a.knowledge) for a in alternatives]
        return chosen_option(self.pattern, str(self.behaviour), str(self.knowledge), others)


class Summary(BaseModel):
    """The whole assessment in one sentence, and the recommended totals."""

    model_config = _CONFIG

    text: str
    patterns: tuple[str, ...] = ()
    measure_first: bool = False
    recommended_totals: dict[str, Pair | None] = Field(default_factory=dict)

    @classmethod
    def of(
        cls, revisit_on: date, workloads: tuple[WorkloadRecommendation, ...], lines: list[Any]
    ) -> Summary:
        """The summary of these workloads' recommendations; `lines` are the recommended cost
        lines (`engine.costs.CostLine`, not rounded) of those with costs."""
        costed = lines
        totals: dict[str, Pair | None] = {}
        for key in ("build_eq", "year_one_usd", "steady_state_usd", "three_year_usd"):
            pairs = [getattr(c, key) for c in costed]
            digits = 4 if key == "build_eq" else 2
            totals[key] = (
                (round(sum(p[0] for p in pairs), digits), round(sum(p[1] for p in pairs), digits))
                if pairs
                else None
            )
        n = len(workloads)
        revisit = f"Revisit on {revisit_on.isoformat()}."
        if n == 0:
            text = f"No workloads assessed. {revisit}"
        else:
            parts = "; ".join(f"“{w.name}” → {pattern_title(w.pattern)}" for w in workloads)
            text = f"Recommended for {n} workload{'' if n == 1 else 's'}: {parts}. {revisit}"
        return cls(
            text=text,
            patterns=tuple(w.pattern for w in workloads),
            measure_first=any("measure_first" in w.modifiers for w in workloads),
            recommended_totals=totals,
        )


class AssessmentResult(BaseModel):
    """A whole assessment's result: name, dates, one recommendation per workload, summary.

    Its JSON nests the name and dates under "assessment", as INTERFACES.md pins it."""

    model_config = _CONFIG

    name: str
    decided_on: date
    revisit_on: date
    workloads: tuple[WorkloadRecommendation, ...]
    summary: Summary

    @model_validator(mode="before")
    @classmethod
    def _from_json(cls, data: Any) -> Any:
        if isinstance(data, Mapping) and "assessment" in data:
            return {**data["assessment"], **{k: v for k, v in data.items() if k != "assessment"}}
        return data

    @model_serializer(mode="wrap")
    def _json(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        data = handler(self)
        head = {k: data.pop(k) for k in ("name", "decided_on", "revisit_on")}
        return {"assessment": head, **data}

    def to_json(self) -> dict[str, Any]:
        """The CLI JSON (INTERFACES.md), which is also what a record stores."""
        return self.model_dump(mode="json")

    def patterns(self) -> tuple[str, ...]:
        """Each workload's pattern id, in workload order."""
        return tuple(w.pattern for w in self.workloads)
