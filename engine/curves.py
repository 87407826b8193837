"""The cost table as series to draw: three-year cost against volume, break-even crossings, and
the cumulative cost month by month (issue 10). Pure: the figures come from the result's cost
table (fresh from `assess` or read back from a record), re-costed with `cost_line` at other
volumes; nothing is re-derived.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from engine.costs import Usage, cost_line
from engine.result import AlternativeCost, CostFigures, WorkloadRecommendation
from engine.vocabulary import GAP_WORDS
from engine.why_not import WhyNot
from engine.words import joined

Pair = tuple[float, float]
Line = CostFigures | AlternativeCost  # an option's figures: the recommendation's or another's
MONTHS = 36
POINTS_PER_DECADE = 12
SPAN = 100  # the default range: today's volume ÷ SPAN to × SPAN
MIN_DECADES = 4  # the range spans at least this many powers of ten
ZERO_RANGE = (10, 1_000_000)  # the range when today's volume is 0
MAX_REACH = 1_000  # a crossing stretches the range by at most this factor either way


@dataclass(frozen=True, slots=True)
class OptionCurve:
    """One option (the recommendation or an alternative) as series."""

    behaviour: str
    knowledge: str
    pattern: str
    recommended: bool
    three_year_usd: tuple[Pair, ...]  # [low, high] at each of CostCurves.volumes
    cumulative_usd: tuple[Pair, ...]  # [low, high] after month 1..36 at today's volume
    # Where this alternative is cheaper, as in the JSON; None for the recommendation.
    break_even: str | Mapping[str, int] | None = None
    why_not: tuple[WhyNot, ...] = ()  # the fired rules against this alternative

    @property
    def key(self) -> tuple[str, str]:
        """The option's identity across charts: (behaviour, knowledge technique)."""
        return (self.behaviour, self.knowledge)

    @property
    def three_year_mid(self) -> tuple[float, ...]:
        return tuple((lo + hi) / 2 for lo, hi in self.three_year_usd)


@dataclass(frozen=True, slots=True)
class Crossing:
    """Where an alternative's three-year cost line (midpoints) crosses the recommendation's:
    the alternative is cheaper `side` ("above" or "below") `requests_per_day`."""

    behaviour: str
    knowledge: str
    pattern: str
    side: str
    requests_per_day: int  # exactly the engine's break_even_requests_per_day
    three_year_usd: float  # the recommendation's three-year midpoint there: the mark's height
    on_chart: bool  # within CostCurves.volumes


@dataclass(frozen=True, slots=True)
class CostCurves:
    """One costed workload, ready to plot."""

    workload: str
    pattern: str
    requests_per_day: int  # today's volume
    volumes: tuple[int, ...]  # requests per day, log-spaced, ascending, today's and crossings in
    options: tuple[OptionCurve, ...]  # the recommendation first, then the alternatives (§4)
    crossings: tuple[Crossing, ...]  # in the alternatives' order
    # The workload's answers, read where the legend says what an alternative fails.
    answers: Mapping[str, Any] = field(default_factory=dict, compare=False)

    @property
    def recommended(self) -> OptionCurve:
        return self.options[0]

    @property
    def alternatives(self) -> tuple[OptionCurve, ...]:
        return self.options[1:]

    @property
    def months(self) -> tuple[int, ...]:
        return tuple(range(1, MONTHS + 1))

    def that_matter(self) -> tuple[OptionCurve, ...]:
        """The options a chart shows, in the cost table's order, at most three: the
        recommendation, then the alternatives cheaper than it at today's volume, cheapest
        first (each loses for a reason the legend gives), then, with room left, the one whose
        line crosses the recommendation's nearest to today, else the next cheapest."""
        rec = _mid(self.recommended.cumulative_usd[-1])
        by_cost = sorted(self.alternatives, key=lambda o: _mid(o.cumulative_usd[-1]))
        keep = [o.key for o in by_cost if _mid(o.cumulative_usd[-1]) < rec][:2]
        crossing = [c for c in self.crossings if c.on_chart and (c.behaviour, c.knowledge)]
        today = max(self.requests_per_day, 1)
        crossing.sort(key=lambda c: abs(math.log10(max(c.requests_per_day, 1) / today)))
        extra = [(c.behaviour, c.knowledge) for c in crossing] + [o.key for o in by_cost]
        for key in extra:
            if len(keep) >= 2:
                break
            if key not in keep:
                keep.append(key)
        return (self.recommended, *(o for o in self.alternatives if o.key in keep))

    def fails(self, option: OptionCurve) -> str:
        """Why an alternative loses, in a few words with its rules: "fails the 95 % quality
        target (K5)"; empty for the recommendation."""
        if option.recommended or not option.why_not:
            return ""
        rules = list(dict.fromkeys(w.rule for w in option.why_not))
        chosen = self.recommended.behaviour
        said = [_fails(r, option.behaviour, chosen, self.answers) for r in rules]
        words = "; ".join(dict.fromkeys(w for w in said if w)) or "ruled out"
        return f"{words} ({', '.join(rules)})"


def _fails(rule: str, behaviour: str, chosen: str, answers: Mapping[str, Any]) -> str:
    """What an alternative of `behaviour` fails against the `chosen` one, per rule that chose
    otherwise."""
    reported = answers.get("gaps", ())
    gaps = [GAP_WORDS[g] for g in ("format", "refusal", "reasoning") if g in reported]
    gap = f"the {joined(gaps)} gap" + ("s" if len(gaps) > 1 else "")
    base = answers.get("baseline_pct")
    if rule in ("B3", "B4"):
        if behaviour == "prompting":
            return f"leaves {gap} open at a {base} % baseline"
        if behaviour == "fine_tune_format" and chosen != "prompting":
            rest = [GAP_WORDS[g] for g in ("refusal", "reasoning") if g in reported]
            other = f"the {joined(rest)} gap" + ("s" if len(rest) > 1 else "")
            return f"tunes the format alone, not {other}"
        return f"more tuning than {gap} needs"
    fixed = {
        "B1": "unproven until a prompt baseline is measured",
        "B2": f"a fine-tune would depreciate: the prompt reaches {base} %",
        "B5": "no structural gap for a fine-tune to close",
        "K2": "a small fixed set is a lookup's job",
        "K3": "a large corpus needs retrieval",
        "K5": f"fails the {answers.get('quality_target_pct')} % quality target",
        "D1": "frontier serving too slow or costly, small models too weak",
        "D2": "an off-the-shelf small model already meets the bar",
    }
    return fixed.get(rule, "")


def usage_of(answers: Mapping[str, Any]) -> Usage:
    """The cost inputs of a workload's (normalised) answers, as `assess` reads them."""
    return Usage(
        requests_per_day=answers["requests_per_day"],
        tokens_per_request=answers["tokens_per_request"],
        price_per_mtok=answers["price_per_mtok"],
        engineer_quarter_usd=answers["engineer_quarter_usd"],
        quality_target_pct=answers.get("quality_target_pct"),
    )


def volume_range(today: int, include: Iterable[int] = ()) -> tuple[int, ...]:
    """Whole requests per day, log-spaced from today ÷ 100 (at least 1) to today × 100, at least
    four decades wide (10 to 1,000,000 when today is 0), stretched to reach the volumes in
    `include` (within a factor of 1,000), which are in the result exactly, as is today's."""
    if today > 0:
        low = max(1.0, today / SPAN)
        high = max(today * SPAN, low * 10**MIN_DECADES)
    else:
        low, high = float(ZERO_RANGE[0]), float(ZERO_RANGE[1])
    exact = {today} if today > 0 else set()
    floor, ceiling = max(1.0, low / MAX_REACH), high * MAX_REACH
    for n in include:
        if floor <= n <= ceiling:
            exact.add(n)
            low, high = min(low, n / 2), max(high, n * 2)
    low = max(1.0, low)
    lo_exp, hi_exp = math.log10(low), math.log10(high)
    steps = max(2, math.ceil((hi_exp - lo_exp) * POINTS_PER_DECADE))
    grid = {round(10 ** (lo_exp + (hi_exp - lo_exp) * i / steps)) for i in range(steps + 1)}
    return tuple(sorted(grid | exact))


def three_year_at(line: Line, usage: Usage, requests_per_day: int) -> Pair:
    """The three-year [low, high] of `line`'s components at another volume, all else equal."""
    moved = replace(usage, requests_per_day=requests_per_day)
    return cost_line(
        line.build_eq, line.ongoing_fte, line.inference_multiplier, moved
    ).three_year_usd


def cumulative(line: Line) -> tuple[Pair, ...]:
    """The cost paid by the end of each month 1..36: the build up front in month 1, then the
    ongoing and inference cost (the steady-state year) a twelfth a month; it ends at the
    three-year figure."""
    out: list[Pair] = []
    for month in range(1, MONTHS + 1):
        if month == MONTHS:
            out.append(line.three_year_usd)
            continue
        lo, hi = (
            (year_one - steady) + steady * month / 12
            for year_one, steady in zip(line.year_one_usd, line.steady_state_usd, strict=True)
        )
        out.append((lo, hi))
    return tuple(out)


def _mid(pair: Pair) -> float:
    return (pair[0] + pair[1]) / 2


def workload_curves(
    result: WorkloadRecommendation, volumes: Sequence[int] | None = None
) -> CostCurves | None:
    """The series of one workload's cost table; None where it has no costs. `volumes`
    defaults to `volume_range` around today's volume and the crossings."""
    if result.costs is None:
        return None
    recommended, alternatives = result.costs.recommended, result.costs.alternatives
    usage = usage_of(result.answers)
    today = usage.requests_per_day
    evens = [(a, a.break_even) for a in alternatives]
    points = [next(iter(e.values())) for _, e in evens if isinstance(e, Mapping)]
    grid = tuple(sorted(set(volumes))) if volumes is not None else volume_range(today, points)

    def option(line: Line, alt: AlternativeCost | None) -> OptionCurve:
        return OptionCurve(
            behaviour=alt.behaviour if alt else str(result.behaviour),
            knowledge=alt.knowledge if alt else str(result.knowledge),
            pattern=alt.pattern if alt else result.pattern,
            recommended=alt is None,
            three_year_usd=tuple(three_year_at(line, usage, v) for v in grid),
            cumulative_usd=cumulative(line),
            break_even=alt.break_even if alt else None,
            why_not=alt.why_not if alt else (),
        )

    crossings = []
    for alt, even in evens:
        if not isinstance(even, Mapping):
            continue
        (side, n), *_ = even.items()
        crossings.append(
            Crossing(
                behaviour=alt.behaviour,
                knowledge=alt.knowledge,
                pattern=alt.pattern,
                side=side,
                requests_per_day=n,
                three_year_usd=_mid(three_year_at(recommended, usage, n)),
                on_chart=bool(grid) and grid[0] <= n <= grid[-1],
            )
        )
    return CostCurves(
        workload=result.name,
        pattern=result.pattern,
        requests_per_day=today,
        volumes=grid,
        options=(option(recommended, None), *(option(a, a) for a in alternatives)),
        crossings=tuple(crossings),
        answers=result.answers,
    )
