"""What changed between last year's recommendation and this year's (a re-assessment). Pure.

Inputs are what a completed record keeps: the result (``Assessment.to_json()``, or an
object with ``to_json()``) and the profile (``{"workloads": [{field: value}]}``, with
``engineer_quarter_usd`` possibly at the top level, or just the list of workloads).
Answers are compared on the result's normalised ``answers`` (defaults filled in) when it
has them, so an answer left to its default does not read as a change.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from engine.profile import FIELDS

# FRAMEWORK.md §2 order, so changes read in the order the interview asks.
FIELD_ORDER: tuple[str, ...] = tuple(spec.id for spec in FIELDS)

Range = tuple[float, float]


class _HasJson(Protocol):
    def to_json(self) -> dict[str, Any]: ...


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


def _as_json(result: Mapping[str, Any] | _HasJson) -> Mapping[str, Any]:
    if isinstance(result, Mapping):
        return result
    return result.to_json()


def _workload_results(result: Mapping[str, Any] | _HasJson) -> list[Mapping[str, Any]]:
    return list(_as_json(result).get("workloads") or [])


def _workload_answers(
    profile: Mapping[str, Any] | Sequence[Mapping[str, Any]] | None,
) -> list[dict[str, Any]]:
    if profile is None:
        return []
    if isinstance(profile, Mapping):
        shared = {k: v for k, v in profile.items() if k in FIELD_ORDER}
        workloads = list(profile.get("workloads") or [])
    else:
        shared, workloads = {}, list(profile)
    return [{**shared, **dict(w)} for w in workloads]


def _answers_of(
    result: Mapping[str, Any], profiles: list[dict[str, Any]], index: int | None
) -> Mapping[str, Any]:
    """The engine's own normalised answers (defaults filled in), else the stored profile's."""
    answers = result.get("answers")
    if isinstance(answers, Mapping) and answers:
        return answers
    return profiles[index] if index is not None and index < len(profiles) else {}


def _range(costs: Any, key: str) -> Range | None:
    if not isinstance(costs, Mapping):
        return None
    recommended = costs.get("recommended")
    if not isinstance(recommended, Mapping) or key not in recommended:
        return None
    low, high = recommended[key]
    return (float(low), float(high))


def _cost_change(before: Mapping[str, Any], after: Mapping[str, Any]) -> CostChange | None:
    y1b, y1a = (
        _range(before.get("costs"), "year_one_usd"),
        _range(after.get("costs"), "year_one_usd"),
    )
    ssb = _range(before.get("costs"), "steady_state_usd")
    ssa = _range(after.get("costs"), "steady_state_usd")
    if y1b is None or y1a is None or ssb is None or ssa is None:
        return None
    return CostChange(y1b, y1a, ssb, ssa)


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
    before: list[Mapping[str, Any]], after: list[Mapping[str, Any]]
) -> list[tuple[int | None, int | None]]:
    """Index pairs (before, after): by unique name, else by position."""
    names_b = [str(w.get("name", "")) for w in before]
    names_a = [str(w.get("name", "")) for w in after]
    if len(set(names_b)) == len(names_b) and len(set(names_a)) == len(names_a):
        pairs: list[tuple[int | None, int | None]] = [
            (i, names_a.index(n) if n in names_a else None) for i, n in enumerate(names_b)
        ]
        pairs += [(None, j) for j, n in enumerate(names_a) if n not in names_b]
        return pairs
    longest = max(len(before), len(after))
    return [(i if i < len(before) else None, i if i < len(after) else None) for i in range(longest)]


def compare(
    before_result: Mapping[str, Any] | _HasJson,
    after_result: Mapping[str, Any] | _HasJson,
    before_profile: Mapping[str, Any] | Sequence[Mapping[str, Any]] | None,
    after_profile: Mapping[str, Any] | Sequence[Mapping[str, Any]] | None,
) -> Comparison:
    """Per workload: pattern before/after, moved answers, rules firing differently, cost change."""
    results_b, results_a = _workload_results(before_result), _workload_results(after_result)
    answers_b, answers_a = _workload_answers(before_profile), _workload_answers(after_profile)
    changes: list[WorkloadChange] = []
    for ib, ia in _pair_up(results_b, results_a):
        rb: Mapping[str, Any] = results_b[ib] if ib is not None else {}
        ra: Mapping[str, Any] = results_a[ia] if ia is not None else {}
        ab = _answers_of(rb, answers_b, ib)
        aa = _answers_of(ra, answers_a, ia)
        rules_b = [str(r) for r in rb.get("rules_fired") or []]
        rules_a = [str(r) for r in ra.get("rules_fired") or []]
        changes.append(
            WorkloadChange(
                name=str(ra.get("name") or rb.get("name") or f"workload {len(changes) + 1}"),
                pattern_before=rb.get("pattern") if ib is not None else None,
                pattern_after=ra.get("pattern") if ia is not None else None,
                modifiers_before=tuple(str(m) for m in rb.get("modifiers") or []),
                modifiers_after=tuple(str(m) for m in ra.get("modifiers") or []),
                answers_moved=_answers_moved(ab, aa),
                rules_now_firing=tuple(r for r in rules_a if r not in rules_b),
                rules_no_longer_firing=tuple(r for r in rules_b if r not in rules_a),
                costs=_cost_change(rb, ra),
            )
        )
    return Comparison(tuple(changes))
