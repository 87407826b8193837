"""Which answer would change the recommendation: the nearest flip per field, by re-running rules."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from functools import lru_cache
from operator import itemgetter
from typing import Any

from engine.profile import FIELDS, FieldSpec, applies
from engine.rules import DECISION_KEYS, THRESHOLDS, _decide_key, _interval, coarse_key, decide

Facts = dict[str, Any]
# Fields whose value decides whether another field is asked; only these need the "asked" walk.
_GATE_ORDER = (
    "deployment",
    "domain",
    "task",
    "knowledge",
    "prompt_pass",
    "baseline_pct",
    "frontier_ok",
)
_GATES = frozenset(_GATE_ORDER)
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
    return tuple(
        f.get(g) if g != "baseline_pct" else (None if b is None else min(b, 100) // 100 * 100)
        for g in _GATE_ORDER
    )


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
    return _edges(spec)[:1] if spec.id not in THRESHOLDS else _edges(spec)


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


def _json_value(value: Any) -> Any:
    if isinstance(value, frozenset):
        return [c for c in FIELDS_BY_SET_ORDER if c in value]
    return value


_ANSWERED = "answered"
FIELDS_BY_SET_ORDER = next(f.choices for f in FIELDS if f.kind == "set")


_AT = {k: i for i, k in enumerate(DECISION_KEYS)}
_GATE_AT = tuple(_AT[g] for g in _GATE_ORDER)
Key = tuple[Any, ...]
# A plan entry: (None, finished flip) or (position, (field, stand-in value, numeric candidates)).
Candidate = tuple[Any, str, dict[str, Any] | None]
PlanEntry = tuple[int | None, Any]


def find_flips(facts: Mapping[str, Any]) -> list[dict[str, Any]]:
    """For each answered field, the nearest other answer that changes the pattern (if any)."""
    raw = tuple(facts.get(k) for k in DECISION_KEYS)
    out: list[dict[str, Any]] = []
    # Rules read numbers only by interval: the search runs once per interval key, and only
    # the choice among a number's own flipping edges depends on its exact value.
    for at, item in _plan(coarse_key(raw)):
        if at is None:
            out.append(_fresh(item))
            continue
        field, stand_in, candidates = item
        current = raw[at] if raw[at] is not None else stand_in
        others = [c for c in candidates if c[0] != current]
        if not others:
            continue
        value, pattern, also = min(others, key=lambda c: (abs(c[0] - current), c[0]))
        flip = {
            "field": field,
            "from": _json_value(current),
            "to": _json_value(value),
            "pattern": pattern,
        }
        if also:
            flip["also"] = also
        out.append(_fresh(flip))
    return out


def _fresh(value: Any) -> Any:
    """A copy of a cached flip's lists and dicts: a caller editing its result edits only it."""
    if isinstance(value, dict):
        return {k: _fresh(v) for k, v in value.items()}
    return list(value) if isinstance(value, list) else value


_BASELINE_GATE = _GATE_ORDER.index("baseline_pct")
_GATES_OF = itemgetter(*_GATE_AT)
Asked = tuple[Callable[[Sequence[Any]], tuple[Any, ...]], tuple[int, ...], frozenset[str]]


@lru_cache(maxsize=16384)
def _asked_at(gates: tuple[Any, ...]) -> Asked | None:
    """`_asked` as (getter of the asked rule inputs, positions to drop, other fields asked)."""
    key = list(gates)
    b = key[_BASELINE_GATE]
    key[_BASELINE_GATE] = None if b is None else min(b, 100) // 100 * 100
    asked = _asked(tuple(key))
    if asked is None:
        return None
    at = [_AT[k] for k in asked if k in _AT]
    get = itemgetter(*at, at[0])  # always a tuple, even for one field
    drop = tuple(i for i in range(len(DECISION_KEYS)) if i not in at)
    return get, drop, frozenset(k for k in asked if k not in _AT)


def _try(
    base: Key, extras: frozenset[str], spec: FieldSpec, value: Any, pattern: str
) -> tuple[str, Facts] | None:
    """The new pattern (and assumed answers) if `spec` changes to `value`; None if unchanged."""
    changed = list(base)
    changed[_AT[spec.id]] = value
    also: Facts = {}
    if spec.id in _GATES:
        asked = _asked_at(_GATES_OF(changed))
        if asked is not None and None not in asked[0](changed):  # asked[2]: cost inputs only
            for i in asked[1]:  # only answers that are dropped
                changed[i] = None
        else:
            facts = {k: v for k, v in zip(DECISION_KEYS, changed, strict=True) if v is not None}
            facts.update(dict.fromkeys(extras, _ANSWERED))
            found = _complete(facts, pattern)
            if found is None:
                return None
            full, also = found
            changed = [full.get(k) for k in DECISION_KEYS]
    # base is cut already: only a new number, or answers filled in, need cutting again
    key = coarse_key(changed) if also or spec.id in THRESHOLDS else tuple(changed)
    new_pattern = _decide_key(key).pattern
    return None if new_pattern == pattern else (new_pattern, also)


@lru_cache(maxsize=16384)
def _plan(key: Key) -> tuple[PlanEntry, ...]:
    # Flips read only the rules' inputs; cost inputs never change a pattern (no rule reads them).
    facts = {k: v for k, v in zip(DECISION_KEYS, key, strict=True) if v is not None}
    for spec in FIELDS:  # cost inputs stand in as answered, so no flip "assumes" them
        if spec.id not in facts and applies(spec.id, facts):
            facts[spec.id] = _ANSWERED
    base = tuple(facts.get(k) for k in DECISION_KEYS)
    extras = frozenset(k for k in facts if k not in _AT)
    pattern = _decide_key(coarse_key(base)).pattern
    plan: list[PlanEntry] = []
    for spec in FIELDS:
        if spec.id not in facts or spec.id not in _AT:
            continue  # other numbers (cost inputs) are read by no rule: they never flip
        current = facts[spec.id]
        if spec.id in THRESHOLDS:  # every flipping edge; find_flips picks the nearest
            candidates = []
            by_interval: dict[Any, tuple[str, Facts] | None] = {}
            for value in _edges(spec):  # edges in one interval give one pattern: try one each
                cut = _interval(value, THRESHOLDS[spec.id])
                if cut not in by_interval:
                    by_interval[cut] = _try(base, extras, spec, value, pattern)
                found = by_interval[cut]
                if found is not None:
                    candidates.append((value, found[0], _also_json(found[1])))
            plan.append((_AT[spec.id], (spec.id, current, tuple(candidates))))
            continue
        for value in _nearest(spec, current):
            found = _try(base, extras, spec, value, pattern)
            if found is None:
                continue
            flip: dict[str, Any] = {
                "field": spec.id,
                "from": _json_value(current),
                "to": _json_value(value),
                "pattern": found[0],
            }
            if found[1]:
                flip["also"] = _also_json(found[1])
            plan.append((None, flip))
            break
    return tuple(plan)


def _also_json(also: Facts) -> dict[str, Any] | None:
    return {k: _json_value(v) for k, v in also.items()} if also else None
