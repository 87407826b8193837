"""What changed between last year's recommendation and this year's (a re-assessment). Pure.

Inputs are the typed results a completed record keeps (`engine.result.AssessmentResult`).
Answers are compared on each workload's normalised ``answers`` (defaults filled in), so an
answer left to its default does not read as a change.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from engine.profile import FIELDS
from engine.result import AssessmentResult, Costs, WorkloadRecommendation

# FRAMEWORK.md §2 order, so changes read in the order the interview asks.
FIELD_ORDER: tuple[str, ...] = tuple(spec.id for spec in FIELDS)

Range = tuple[float, float]


@dataclass(frozen=True)
class AnswerChange:
    """One answer that is not what it was."""

    field: str
    before: Any
    after: Any


@dataclass(frozen=True)
class CostChange:
    """Yearly cost of the recommended pattern, before and after, as [low, high] ranges."""

    year_one_before: Range
    year_one_after: Range
    steady_state_before: Range
    steady_state_after: Range

    @property
    def year_one_delta(self) -> Range:
        return _minus(self.year_one_after, self.year_one_before)

    @property
    def steady_state_delta(self) -> Range:
        return _minus(self.steady_state_after, self.steady_state_before)


@dataclass(frozen=True)
class PriceMove:
    """A catalogue price (mark P) that is not what it was: `figure` as "price.input_mtok"."""

    figure: str
    model: str
    before: float
    after: float

    @property
    def percent(self) -> float:
        return (self.after - self.before) / self.before * 100 if self.before else 0.0


@dataclass(frozen=True)
class OptionMove:
    """One option's three-year cost before and after, when the prices moved."""

    behaviour: str
    knowledge: str
    chosen: bool
    three_year_before: Range
    three_year_after: Range


@dataclass(frozen=True)
class WorkloadChange:
    """One workload's pattern, answers, rules and costs, last time against now."""

    name: str
    pattern_before: str | None  # None: the workload is new
    pattern_after: str | None  # None: the workload was dropped
    modifiers_before: tuple[str, ...]
    modifiers_after: tuple[str, ...]
    answers_moved: tuple[AnswerChange, ...]
    rules_now_firing: tuple[str, ...]
    rules_no_longer_firing: tuple[str, ...]
    costs: CostChange | None
    price_moves: tuple[PriceMove, ...] = ()
    option_moves: tuple[OptionMove, ...] = ()  # the chosen option first; only with price_moves

    @property
    def pattern_changed(self) -> bool:
        return self.pattern_before != self.pattern_after

    @property
    def changed(self) -> bool:
        return bool(
            self.pattern_changed
            or self.modifiers_before != self.modifiers_after
            or self.answers_moved
            or self.rules_now_firing
            or self.rules_no_longer_firing
            or self.price_moves
        )


@dataclass(frozen=True)
class Comparison:
    """The re-assessment diff, one entry per workload (matched by name, else by position)."""

    workloads: tuple[WorkloadChange, ...]

    @property
    def changed(self) -> bool:
        return any(w.changed for w in self.workloads)


def _minus(a: Range, b: Range) -> Range:
    return (a[0] - b[0], a[1] - b[1])


def _cost_change(before: Costs | None, after: Costs | None) -> CostChange | None:
    if before is None or after is None:
        return None
    b, a = before.recommended, after.recommended
    return CostChange(b.year_one_usd, a.year_one_usd, b.steady_state_usd, a.steady_state_usd)


def _prices(w: WorkloadRecommendation | None) -> dict[str, tuple[str, float]]:
    """The catalogue prices a workload's costs used: figure -> (where from, USD per Mtok)."""
    if w is None or w.costs is None:
        return {}
    return {
        a.name: (a.source, float(a.value))  # type: ignore[arg-type]  # P figures are single
        for a in w.costs.assumptions
        if a.mark == "P"
    }


def _price_moves(
    before: WorkloadRecommendation | None, after: WorkloadRecommendation | None
) -> tuple[PriceMove, ...]:
    """The catalogue prices that moved for the same model (a new model is an answer moved)."""
    if before is None or after is None or before.answers.get("model") != after.answers.get("model"):
        return ()
    old, new = _prices(before), _prices(after)
    model = str(after.answers.get("model"))
    return tuple(
        PriceMove(figure, model, old[figure][1], new[figure][1])
        for figure in new
        if figure in old and old[figure][1] != new[figure][1]
    )


def _option_moves(
    before: WorkloadRecommendation | None, after: WorkloadRecommendation | None
) -> tuple[OptionMove, ...]:
    """Three-year costs of the chosen option and each alternative, before and after."""
    if before is None or after is None or before.costs is None or after.costs is None:
        return ()

    def table(w: WorkloadRecommendation, costs: Costs) -> dict[tuple[str, str], Range]:
        rows = {(str(w.behaviour), str(w.knowledge)): costs.recommended.three_year_usd}
        rows.update(
            {(a.behaviour, a.knowledge): a.figures.three_year_usd for a in costs.alternatives}
        )
        return rows

    old, new = table(before, before.costs), table(after, after.costs)
    chosen = (str(after.behaviour), str(after.knowledge))
    order = [chosen, *(k for k in new if k != chosen)]
    return tuple(OptionMove(k[0], k[1], k == chosen, old[k], new[k]) for k in order if k in old)


def _normalise(value: Any) -> Any:
    if isinstance(value, list | tuple | set | frozenset):
        return tuple(sorted(str(v) for v in value))
    return value


def _answers_moved(before: Mapping[str, Any], after: Mapping[str, Any]) -> tuple[AnswerChange, ...]:
    extra = sorted((set(before) | set(after)) - set(FIELD_ORDER) - {"name"})
    changes: list[AnswerChange] = []
    for field in (*FIELD_ORDER, *extra):
        old, new = before.get(field), after.get(field)
        if _normalise(old) != _normalise(new):
            changes.append(AnswerChange(field, old, new))
    return tuple(changes)


def _pair_up(
    before: tuple[WorkloadRecommendation, ...], after: tuple[WorkloadRecommendation, ...]
) -> list[tuple[WorkloadRecommendation | None, WorkloadRecommendation | None]]:
    """Workloads paired (before, after): by unique name, else by position."""
    names_b = [w.name for w in before]
    names_a = [w.name for w in after]
    if len(set(names_b)) == len(names_b) and len(set(names_a)) == len(names_a):
        now = dict(zip(names_a, after, strict=True))
        pairs = [(w, now.get(w.name)) for w in before]
        return pairs + [(None, w) for w in after if w.name not in names_b]
    longest = max(len(before), len(after))
    return [
        (before[i] if i < len(before) else None, after[i] if i < len(after) else None)
        for i in range(longest)
    ]


def compare(before: AssessmentResult, after: AssessmentResult) -> Comparison:
    """Per workload: pattern before/after, moved answers, rules firing differently, cost change."""
    changes: list[WorkloadChange] = []
    for n, (wb, wa) in enumerate(_pair_up(before.workloads, after.workloads), 1):
        rules_b = wb.rules_fired if wb else ()
        rules_a = wa.rules_fired if wa else ()
        moves = _price_moves(wb, wa)
        moved = _answers_moved(wb.answers if wb else {}, wa.answers if wa else {})
        if moves:  # the blended price followed the catalogue: not an answer of the team's
            moved = tuple(a for a in moved if a.field != "price_per_mtok")
        changes.append(
            WorkloadChange(
                name=next((w.name for w in (wa, wb) if w and w.name), f"workload {n}"),
                pattern_before=wb.pattern if wb else None,
                pattern_after=wa.pattern if wa else None,
                modifiers_before=wb.modifiers if wb else (),
                modifiers_after=wa.modifiers if wa else (),
                answers_moved=moved,
                rules_now_firing=tuple(r for r in rules_a if r not in rules_b),
                rules_no_longer_firing=tuple(r for r in rules_b if r not in rules_a),
                costs=_cost_change(wb.costs if wb else None, wa.costs if wa else None),
                price_moves=moves,
                option_moves=_option_moves(wb, wa) if moves else (),
            )
        )
    return Comparison(tuple(changes))
