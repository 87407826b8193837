"""Which answer would change the recommendation: the nearest flip per field, by re-running rules."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from engine.profile import ASKED_EDGES, FIELDS, FieldSpec, applies
from engine.rules import DECISION_KEYS, EDGES, decide

Facts = dict[str, Any]
# Read by no rule: a flip never assumes them (the workload's own values, or none, stand).
COST_INPUTS = frozenset(
    {
        "requests_per_day",
        "tokens_per_request",
        "model",
        "output_share",
        "price_per_mtok",
        "engineer_quarter_usd",
    }
)
# Where a number can change the pattern: the rules' edges and the edges of "asked when".
_EDGES = {
    name: tuple(sorted({*EDGES.get(name, ()), *ASKED_EDGES.get(name, ())}))
    for name in {*EDGES, *ASKED_EDGES}
}
_ANSWERED = "answered"
FIELDS_BY_SET_ORDER = next(f.choices for f in FIELDS if f.kind == "set")


def _edges(spec: FieldSpec) -> list[int]:
    """The values where the rules can change their mind: both sides of every edge, the ends."""
    if spec.minimum is None:
        return []
    values = {int(spec.minimum)}
    if spec.maximum is not None:
        values.add(int(spec.maximum))
    for t in _EDGES.get(spec.id, ()):
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
    elif spec.id in _EDGES:
        yield from sorted(
            (v for v in _edges(spec) if v != current), key=lambda v: (abs(v - current), v)
        )
    # other numbers (cost inputs) are read by no rule, so they never flip the pattern


def _fill_values(spec: FieldSpec) -> list[Any]:
    """Values tried, in list order, for a newly asked field without a default."""
    if spec.default is not None:
        return [spec.default]
    if spec.kind == "choice":
        return list(spec.choices)
    if spec.kind == "set":
        return [frozenset(), *(frozenset({c}) for c in spec.choices)]
    return _edges(spec)[:1] if spec.id not in _EDGES else _edges(spec)


def _complete(base: Mapping[str, Any], pattern: str) -> tuple[Facts, Facts] | None:
    """Walk FIELDS: keep answers still asked, fill newly asked ones; first new pattern wins."""

    def walk(i: int, out: Facts, also: Facts) -> tuple[Facts, Facts] | None:
        while i < len(FIELDS):
            spec = FIELDS[i]
            i += 1
            if not applies(spec.id, out):
                continue
            if spec.id in base or spec.id in COST_INPUTS:
                out[spec.id] = base.get(spec.id, _ANSWERED)
                continue
            for value in _fill_values(spec):
                found = walk(i, {**out, spec.id: value}, {**also, spec.id: value})
                if found is not None:
                    return found
            return None
        return (out, also) if decide(out).pattern != pattern else None

    return walk(0, {}, {})


def json_value(value: Any) -> Any:
    """An answer as the JSON shows it: a set as a list of ids in list order."""
    if isinstance(value, frozenset):
        return [c for c in FIELDS_BY_SET_ORDER if c in value]
    return value


def find_flips(facts: Mapping[str, Any]) -> list[dict[str, Any]]:
    """For each answered field, the nearest other answer that changes the pattern (if any)."""
    pattern = decide(facts).pattern
    out: list[dict[str, Any]] = []
    for spec in FIELDS:
        if spec.id not in facts or spec.id not in DECISION_KEYS:
            continue  # other numbers (cost inputs) are read by no rule: they never flip
        current = facts[spec.id]
        for value in _nearest(spec, current):
            found = _complete({**facts, spec.id: value}, pattern)
            if found is None:
                continue
            full, also = found
            flip: dict[str, Any] = {
                "field": spec.id,
                "from": json_value(current),
                "to": json_value(value),
                "pattern": decide(full).pattern,
            }
            if also:
                flip["also"] = {k: json_value(v) for k, v in also.items()}
            out.append(flip)
            break
    return out
