"""Which answer would change the recommendation: the nearest flip per field, by re-running rules."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import lru_cache
from typing import Any

from engine.profile import FIELDS, FieldSpec, applies
from engine.rules import DECISION_KEYS, THRESHOLDS, decide

Facts = dict[str, Any]
# Fields whose value decides whether another field is asked; only these need the "asked" walk.
_GATE_ORDER = ("deployment", "domain", "task", "knowledge", "prompt_pass", "baseline_pct",
               "frontier_ok")  # fmt: skip
_GATES = frozenset(_GATE_ORDER)


@lru_cache(maxsize=4096)
def _asked(gates: tuple[Any, ...]) -> tuple[str, ...] | None:
    """Fields asked given the gate answers; None if a newly asked gate is unanswered."""
    given = dict(zip(_GATE_ORDER, gates, strict=True))
    out: dict[str, Any] = {}
    for spec in FIELDS:
        if applies(spec.id, out):
            if spec.id in given and given[spec.id] is None:
                return None  # a newly asked gate: the slow walk fills it
            out[spec.id] = given.get(spec.id, 0)
    return tuple(out)


def _gate_key(f: Mapping[str, Any]) -> tuple[Any, ...]:
    b = f.get("baseline_pct")
    return tuple(f.get(g) if g != "baseline_pct" else (None if b is None else min(b, 100) // 100
                                                       * 100) for g in _GATE_ORDER)  # fmt: skip


def _edges(spec: FieldSpec) -> list[int]:
    """The values where the rules can change their mind: both sides of every threshold, the ends."""
    if spec.minimum is None:
        return []
    values = {int(spec.minimum)}
    if spec.maximum is not None:
        values.add(int(spec.maximum))
    for t in THRESHOLDS.get(spec.id, ()):
        values.update((t - 1, t))
    high = spec.maximum if spec.maximum is not None else float("inf")
    return sorted(v for v in values if spec.minimum <= v <= high)


def _nearest(spec: FieldSpec, current: Any) -> Iterator[Any]:
    """Other values of `spec` in the order the contract searches them (nearest first)."""
    if spec.kind == "choice":
        yield from (c for c in spec.choices if c != current)
    elif spec.kind == "set":
        for item in spec.choices:
            yield current - {item} if item in current else current | {item}
    elif spec.id in THRESHOLDS:
        yield from sorted((v for v in _edges(spec) if v != current),
                          key=lambda v: (abs(v - current), v))  # fmt: skip
    # other numbers (cost inputs) are read by no rule, so they never flip the pattern


def _fill_values(spec: FieldSpec) -> list[Any]:
    """Values tried, in list order, for a newly asked field without a default."""
    if spec.default is not None:
        return [spec.default]
    if spec.kind == "choice":
        return list(spec.choices)
    if spec.kind == "set":
        return [frozenset(), *(frozenset({c}) for c in spec.choices)]
    return _edges(spec)[:1] if spec.id not in THRESHOLDS else _edges(spec)


def _complete(base: Mapping[str, Any], pattern: str) -> tuple[Facts, Facts] | None:
    """Walk FIELDS: keep answers still asked, fill newly asked ones; first new pattern wins."""

    def walk(i: int, out: Facts, also: Facts) -> tuple[Facts, Facts] | None:
        while i < len(FIELDS):
            spec = FIELDS[i]
            i += 1
            if not applies(spec.id, out):
                continue
            if spec.id in base:
                out[spec.id] = base[spec.id]
                continue
            for value in _fill_values(spec):
                found = walk(i, {**out, spec.id: value}, {**also, spec.id: value})
                if found is not None:
                    return found
            return None
        return (out, also) if decide(out).pattern != pattern else None

    return walk(0, {}, {})


def _json_value(value: Any) -> Any:
    if isinstance(value, frozenset):
        return [c for c in FIELDS_BY_SET_ORDER if c in value]
    return value


_ANSWERED = "answered"
FIELDS_BY_SET_ORDER = next(f.choices for f in FIELDS if f.kind == "set")


def find_flips(facts: Mapping[str, Any]) -> list[dict[str, Any]]:
    """For each answered field, the nearest other answer that changes the pattern (if any)."""
    key = tuple(facts.get(k) for k in DECISION_KEYS)
    return [dict(f) for f in _flips_for(key)]


@lru_cache(maxsize=16384)
def _flips_for(key: tuple[Any, ...]) -> tuple[dict[str, Any], ...]:
    # Flips read only the rules' inputs; cost inputs never change a pattern (no rule reads them).
    facts = {k: v for k, v in zip(DECISION_KEYS, key, strict=True) if v is not None}
    for spec in FIELDS:  # cost inputs stand in as answered, so no flip "assumes" them
        if spec.id not in facts and applies(spec.id, facts):
            facts[spec.id] = _ANSWERED
    pattern = decide(facts).pattern
    flips: list[dict[str, Any]] = []
    for spec in FIELDS:
        if spec.id not in facts:
            continue
        current = facts[spec.id]
        for value in _nearest(spec, current):
            changed = {**facts, spec.id: value}
            also: Facts = {}
            asked = _asked(_gate_key(changed)) if spec.id in _GATES else None
            if asked is not None and all(k in changed for k in asked):
                changed = {k: changed[k] for k in asked}  # only answers that are dropped
            elif spec.id in _GATES:
                found = _complete(changed, pattern)
                if found is None:
                    continue
                changed, also = found
            new_pattern = decide(changed).pattern
            if new_pattern == pattern:
                continue
            flip: dict[str, Any] = {
                "field": spec.id,
                "from": _json_value(current),
                "to": _json_value(value),
                "pattern": new_pattern,
            }
            if also:
                flip["also"] = {k: _json_value(v) for k, v in also.items()}
            flips.append(flip)
            break
    return tuple(flips)
