"""The calibration table of FRAMEWORK.md §4: every figure, its F/D/A mark, a team's overrides."""

from __future__ import annotations

import math
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from engine.errors import CalibrationError
from engine.vocabulary import SECTIONS

Pair = tuple[float, float]
MARKS = frozenset({"F", "D", "A"})
OURS = "ours"  # the source of a figure a team's own file sets
# The unit of each figure, by its name after the component ("rag.build_eq" -> "build_eq").
UNITS: dict[str, str] = {
    "build_eq": "engineer-quarters",
    "data_generation_eq": "engineer-quarters",
    "ongoing_fte": "share of one engineer (FTE)",
    "inference_multiplier": "× the cost of a prompt without retrieved context",
    "training_share_max": "share of the bill",
    "vector_db_share_max": "share of the bill",
    "retrainings_per_year": "re-trainings a year",
    "eq_per_retraining": "engineer-quarters per re-training",
    "start_pct": "% quality",
    "step_points": "quality points per step",
    "eq_per_step": "engineer-quarters per step",
    "share": "share of the context",
    "discount": "price cut on cached tokens",
}


@dataclass(frozen=True, slots=True)
class Figure:
    """One calibrated figure: a (low, high) range (equal for a single value), its mark, a note."""

    low: float
    high: float
    mark: str
    note: str = ""
    source: str = OURS  # the article section, or "ours" for a team's own figure

    @property
    def pair(self) -> Pair:
        return (self.low, self.high)


@dataclass(frozen=True, slots=True)
class Assumption:
    """A calibration figure as a workload's costs used it, ready to show beside them."""

    name: str
    value: float | Pair
    unit: str
    mark: str  # F, D or A: a range marked F/A counts as its weaker end, A
    source: str


def _weakest(mark: str) -> str:
    marks = set(mark.split("/"))
    return next(m for m in ("A", "D", "F") if m in marks)


def _shown(key: str, fig: Figure) -> Assumption:
    value: float | Pair = fig.low if fig.low == fig.high else fig.pair
    return Assumption(
        key, value, UNITS.get(key.rpartition(".")[2], ""), _weakest(fig.mark), fig.source
    )


def assumptions(cal: Calibration, keys: frozenset[str]) -> tuple[Assumption, ...]:
    """The figures named in `keys`, in the table's order, as Assumptions."""
    return tuple(a for key, a in cal._shown.items() if key in keys)


@dataclass(frozen=True)
class Calibration:
    """All figures, keyed "component.figure" (e.g. "rag.build_eq")."""

    figures: tuple[tuple[str, Figure], ...]
    _by_key: dict[str, Figure] = field(init=False, repr=False, compare=False)
    _shown: dict[str, Assumption] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_key", dict(self.figures))
        object.__setattr__(self, "_shown", {k: _shown(k, f) for k, f in self.figures})

    def __getitem__(self, key: str) -> Figure:
        return self._by_key[key]

    def __contains__(self, key: object) -> bool:
        return key in self._by_key

    def as_dict(self) -> dict[str, Figure]:
        return dict(self.figures)


def _figure(key: str, raw: Any, default: Figure | None) -> Figure:
    if isinstance(raw, bool):
        raise CalibrationError(key, "expected a number, [low, high] or a table")
    if isinstance(raw, int | float):
        raw = {"value": raw}
    elif isinstance(raw, list):
        raw = {"range": raw}
    if not isinstance(raw, Mapping):
        raise CalibrationError(key, "expected a number, [low, high] or a table")
    unknown = (
        set(raw) - {"range", "value", "mark", "note"} - ({"source"} if default is None else set())
    )
    if unknown:
        raise CalibrationError(key, f"unknown entry {sorted(unknown)[0]!r}")
    if "range" in raw:
        pair = raw["range"]
        ok = isinstance(pair, list) and len(pair) == 2
        if not ok or not all(_number(x) for x in pair):
            raise CalibrationError(key, "range must be [low, high] with two numbers")
        low, high = float(pair[0]), float(pair[1])
    elif "value" in raw and _number(raw["value"]):
        low = high = float(raw["value"])
    else:
        raise CalibrationError(key, "needs a number: range = [low, high] or value = x")
    if not (math.isfinite(low) and math.isfinite(high)) or low < 0 or high < low:
        raise CalibrationError(key, f"needs 0 <= low <= high, got [{low}, {high}]")
    mark = str(raw.get("mark", "A"))
    if not set(mark.split("/")) <= MARKS:
        raise CalibrationError(key, f"mark must be F, D or A (or low/high like F/A), got {mark!r}")
    note = raw.get("note", default.note if default and "mark" not in raw else "")
    source = OURS
    if default is None:  # the shipped table: every figure cites the article section it calibrates
        section = raw.get("source")
        if section not in SECTIONS:
            raise CalibrationError(key, f"source must be one of {', '.join(SECTIONS)}")
        source = SECTIONS[section]
    return Figure(low, high, mark, str(note), source)


def _number(x: Any) -> bool:
    return isinstance(x, int | float) and not isinstance(x, bool)


def _parse(text: str, base: Mapping[str, Figure] | None) -> Calibration:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CalibrationError("file", f"not valid TOML: {exc}") from exc
    figures: dict[str, Figure] = dict(base or {})
    for component, table in data.items():
        if not isinstance(table, Mapping):
            raise CalibrationError(component, "expected a [component] table")
        for name, raw in table.items():
            key = f"{component}.{name}"
            if base is not None and key not in base:
                raise CalibrationError(key, "no such figure; known: " + ", ".join(sorted(base)))
            figures[key] = _figure(key, raw, base.get(key) if base else None)
    return Calibration(tuple(figures.items()))


def calibration_table(toml_text: str) -> Calibration:
    """A whole table in the shipped file's shape (every figure with its mark and its article
    section), merged over nothing: the shipped table is one, the tests' own is another."""
    return _parse(toml_text, None)


@cache
def default_calibration() -> Calibration:
    """The shipped table (engine/calibration.toml, package data)."""
    text = resources.files("engine").joinpath("calibration.toml").read_text(encoding="utf-8")
    return calibration_table(text)


def load_calibration(toml_text: str) -> Calibration:
    """A team's TOML merged over the defaults; unknown figures raise CalibrationError."""
    return _parse(toml_text, default_calibration().as_dict())
