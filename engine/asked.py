"""When a question is asked, as data: conditions on the answers so far that also say which
numbers they read and where (the flip search tries both sides of each such edge)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any


def _answer(answers: Mapping[str, Any], field_id: str) -> object:
    """An answer as the conditions compare it: a yes/no given as true/false reads yes/no."""
    value = answers.get(field_id)
    return ("yes" if value else "no") if isinstance(value, bool) else value


@dataclass(frozen=True, slots=True)
class Is:
    """Asked when `field` was answered with one of `values`."""

    field: str
    values: frozenset[str]

    def holds(self, answers: Mapping[str, Any]) -> bool:
        return _answer(answers, self.field) in self.values

    def edges(self) -> dict[str, tuple[int, ...]]:
        return {}


@dataclass(frozen=True, slots=True)
class IsNot:
    """Asked when `field` was answered with anything but `value` (unanswered reads as it)."""

    field: str
    value: str

    def holds(self, answers: Mapping[str, Any]) -> bool:
        return bool(answers.get(self.field, self.value) != self.value)

    def edges(self) -> dict[str, tuple[int, ...]]:
        return {}


@dataclass(frozen=True, slots=True)
class Below:
    """Asked when the number `field` was answered and is below `limit`."""

    field: str
    limit: int

    def holds(self, answers: Mapping[str, Any]) -> bool:
        value = answers.get(self.field)
        return isinstance(value, int | float) and not isinstance(value, bool) and value < self.limit

    def edges(self) -> dict[str, tuple[int, ...]]:
        return {self.field: (self.limit,)}


@dataclass(frozen=True, slots=True)
class AllOf:
    """Asked when every one of `parts` holds (no part: always)."""

    parts: tuple[Condition, ...] = ()

    def holds(self, answers: Mapping[str, Any]) -> bool:
        return all(p.holds(answers) for p in self.parts)

    def edges(self) -> dict[str, tuple[int, ...]]:
        return merged_edges(p.edges() for p in self.parts)


@dataclass(frozen=True, slots=True)
class AnyOf:
    """Asked when one of `parts` holds."""

    parts: tuple[Condition, ...]

    def holds(self, answers: Mapping[str, Any]) -> bool:
        return any(p.holds(answers) for p in self.parts)

    def edges(self) -> dict[str, tuple[int, ...]]:
        return merged_edges(p.edges() for p in self.parts)


Condition = Is | IsNot | Below | AllOf | AnyOf


def merged_edges(parts: Iterable[Mapping[str, tuple[int, ...]]]) -> dict[str, tuple[int, ...]]:
    out: dict[str, set[int]] = {}
    for part in parts:
        for name, edges in part.items():
            out.setdefault(name, set()).update(edges)
    return {name: tuple(sorted(edges)) for name, edges in out.items()}


def is_(field_id: str, *values: str) -> Is:
    return Is(field_id, frozenset(values))
