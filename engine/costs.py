"""The cost model of FRAMEWORK.md §4, every figure read from a calibration table."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import NamedTuple

from engine.calibration import Assumption, Calibration, Figure, assumptions
from engine.priced import catalogue_multiplier, price_assumptions
from engine.prices import ModelPrice
from engine.rules import Decision
from engine.vocabulary import PATTERNS
from engine.why_not import Situation, WhyNot, why_not

Pair = tuple[float, float]
BEHAVIOURS = ("prompting", "fine_tune_format", "fine_tune", "distillation")
TECHNIQUES = {"none": ("none",), "small_fixed": ("lookup", "rag"), "corpus": ("rag",)}
KNOWLEDGE_MODIFIERS = ("prompt_caching", "source_curation", "structured_knowledge", "human_review")


def _add(a: Pair, b: Pair) -> Pair:
    return (a[0] + b[0], a[1] + b[1])


def _mul(a: Pair, b: Pair) -> Pair:
    return (a[0] * b[0], a[1] * b[1])


@dataclass(frozen=True, slots=True)
class CostLine:
    """One option's figures, each a (low, high) range."""

    build_eq: Pair
    ongoing_fte: Pair
    inference_multiplier: Pair
    year_one_usd: Pair
    steady_state_usd: Pair
    three_year_usd: Pair
    # The calibration keys this line's figures were computed from (not shown in its JSON).
    figures: frozenset[str] = field(default=frozenset(), compare=False)


@dataclass(frozen=True, slots=True)
class Usage:
    """The cost inputs of one workload."""

    requests_per_day: int
    tokens_per_request: int
    price_per_mtok: float
    engineer_quarter_usd: float
    quality_target_pct: int | None
    # A catalogue model (engine.priced): its prices, the output share, the catalogue in words,
    # and whether the output share is our default rather than the team's answer.
    price: ModelPrice | None = None
    output_share: float = 0.0
    price_source: str = ""
    share_assumed: bool = False


class _Reads:
    """The calibration index, noting every figure read: the costs' assumptions, honestly."""

    __slots__ = ("_figures", "used")

    def __init__(self, figures: Calibration) -> None:
        self._figures = figures
        self.used: set[str] = set()

    def __getitem__(self, key: str) -> Figure:
        self.used.add(key)
        return self._figures[key]

    def __contains__(self, key: str) -> bool:
        return key in self._figures


def components(
    behaviour: str,
    knowledge: str,
    modifiers: tuple[str, ...],
    served_small: bool,
    quality: int | None,
    cal: Calibration,
) -> tuple[Pair, Pair, Pair, frozenset[str]]:
    """Build (engineer-quarters), ongoing (FTE), inference multiplier of one combination, and
    the calibration keys they were read from."""
    c = _Reads(cal)
    zero: Pair = (0.0, 0.0)
    if behaviour == "prompting":
        build, ongoing = c["prompting.build_eq"].pair, c["prompting.ongoing_fte"].pair
        mult = c["prompting.inference_multiplier"].pair
    else:
        part = "fine_tune_format" if behaviour == "fine_tune_format" else "fine_tune"
        build, ongoing = c[f"{part}.build_eq"].pair, c[f"{part}.ongoing_fte"].pair
        mult = c["fine_tune.inference_multiplier"].pair
        if behaviour == "distillation":
            build = _add(build, c["distillation.data_generation_eq"].pair)
            mult = c["distillation.inference_multiplier"].pair
        upgrades = c["upgrades.retrainings_per_year"], c["upgrades.eq_per_retraining"]
        per_year = _mul(upgrades[0].pair, upgrades[1].pair)
        ongoing = _add(ongoing, (per_year[0] / 4, per_year[1] / 4))
    if served_small and behaviour != "distillation":
        mult = _mul(mult, c["small_model.inference_multiplier"].pair)
    if knowledge in ("lookup", "rag"):
        build = _add(build, c[f"{knowledge}.build_eq"].pair)
        ongoing = _add(ongoing, c[f"{knowledge}.ongoing_fte"].pair)
        k_mult = c[f"{knowledge}.inference_multiplier"].pair
        if knowledge == "rag":
            start, step = c["rag_plateau.start_pct"].low, c["rag_plateau.step_points"].low
            if quality is not None and quality > start and step > 0:
                extra = math.ceil((quality - start) / step) * c["rag_plateau.eq_per_step"].low
                build = _add(build, (extra, extra))
            if "prompt_caching" in modifiers:
                keep = 1 - c["prompt_caching.share"].low * c["prompt_caching.discount"].low
                k_mult = (1 + (k_mult[0] - 1) * keep, 1 + (k_mult[1] - 1) * keep)
        mult = _mul(mult, k_mult)
    for mod in ("source_curation", "structured_knowledge", "human_review"):
        if mod in modifiers:
            build = _add(build, c[f"{mod}.build_eq"].pair if f"{mod}.build_eq" in c else zero)
            ongoing = _add(ongoing, c[f"{mod}.ongoing_fte"].pair)
    return build, ongoing, mult, frozenset(c.used)


def cost_line(
    build: Pair, ongoing: Pair, mult: Pair, usage: Usage, figures: frozenset[str] = frozenset()
) -> CostLine:
    """Yearly figures of §4 from the components and the workload's usage."""
    eq = usage.engineer_quarter_usd
    base = usage.requests_per_day * 365 * usage.tokens_per_request / 1e6 * usage.price_per_mtok
    # Written out per end of the range (same arithmetic, same order): this runs per alternative.
    low = build[0] * eq + ongoing[0] * 4 * eq + base * mult[0]
    high = build[1] * eq + ongoing[1] * 4 * eq + base * mult[1]
    steady = (low - build[0] * eq, high - build[1] * eq)
    return CostLine(
        build,
        ongoing,
        mult,
        (low, high),
        steady,
        (low + 2 * steady[0], high + 2 * steady[1]),
        figures,
    )


def _even_line(c: CostLine, usage: Usage) -> tuple[float, float]:
    """Three-year fixed cost and cost per request a day, at the midpoints of the ranges."""
    eq = usage.engineer_quarter_usd
    per_request = 3 * 365 * usage.tokens_per_request / 1e6 * usage.price_per_mtok
    fixed = (sum(c.build_eq) / 2) * eq + 3 * (sum(c.ongoing_fte) / 2) * 4 * eq
    return fixed, per_request * sum(c.inference_multiplier) / 2


def break_even(rec: CostLine, alt: CostLine, usage: Usage) -> str | dict[str, int]:
    """Where `alt` has the lower three-year total (midpoints): always, never, above or below N."""
    (f_rec, s_rec), (f_alt, s_alt) = _even_line(rec, usage), _even_line(alt, usage)
    d_fixed, d_slope = f_alt - f_rec, s_alt - s_rec
    eps = 1e-9
    if abs(d_slope) <= eps:
        return "always" if d_fixed < -eps else "never"
    crossing = -d_fixed / d_slope  # beyond any float (absurd figures): no volume reaches it
    if d_slope < 0:
        if d_fixed <= eps:
            return "always"
        return {"above": math.ceil(crossing - eps)} if math.isfinite(crossing) else "never"
    if d_fixed >= -eps:
        return "never"
    return {"below": math.ceil(crossing - eps)} if math.isfinite(crossing) else "always"


@dataclass(frozen=True, slots=True)
class Alternative:
    behaviour: str
    knowledge: str
    pattern: str
    line: CostLine
    break_even: str | dict[str, int]
    why_not: tuple[WhyNot, ...] = ()  # the fired rules against it; never empty from assess


class WorkloadCosts(NamedTuple):
    """One workload's cost table and the calibration figures it used."""

    recommended: CostLine
    alternatives: tuple[Alternative, ...]
    assumptions: tuple[Assumption, ...]


def _three_year_mid(line: CostLine) -> float:
    return line.three_year_usd[0] + line.three_year_usd[1]


def workload_costs(
    decision: Decision,
    knowledge_answer: str,
    usage: Usage,
    cal: Calibration,
    situation: Situation | None = None,
) -> WorkloadCosts:
    """The recommended line, every other (behaviour, technique) pair in §4's order with why it
    was not chosen (given the `situation`), and the figures all these lines used."""
    if decision.behaviour is None or decision.knowledge is None:
        raise ValueError(f"pattern {decision.pattern} carries no cost table")
    mods = tuple(m for m in decision.modifiers if m in KNOWLEDGE_MODIFIERS)
    q = usage.quality_target_pct

    def line(behaviour: str, technique: str) -> CostLine:
        build, ongoing, mult, figures = components(
            behaviour, technique, mods, decision.served_small, q, cal
        )
        if usage.price is not None:  # the multiplier from the model's own prices instead
            mult, read = catalogue_multiplier(
                behaviour,
                technique,
                mods,
                decision.served_small,
                usage.price,
                usage.output_share,
                cal,
            )
            figures = frozenset(k for k in figures if not _inference_key(k)) | read
        return cost_line(build, ongoing, mult, usage, figures)

    rec = line(decision.behaviour, decision.knowledge)
    alts = []
    used = set(rec.figures)
    for behaviour in BEHAVIOURS:
        for technique in TECHNIQUES[knowledge_answer]:
            if (behaviour, technique) == (decision.behaviour, decision.knowledge):
                continue
            alt = line(behaviour, technique)
            used |= alt.figures
            pattern = PATTERNS[(behaviour, technique)]
            even = break_even(rec, alt, usage)
            against: tuple[WhyNot, ...] = ()
            if situation is not None:
                cheaper = _three_year_mid(alt) < _three_year_mid(rec)
                against = why_not(decision, behaviour, technique, cheaper, situation)
            alts.append(Alternative(behaviour, technique, pattern, alt, even, against))
    figures = assumptions(cal, frozenset(k for k in used if not k.startswith("price.")))
    if usage.price is not None:
        share = usage.output_share if usage.share_assumed else None
        figures += price_assumptions(usage.price, frozenset(used), usage.price_source, share)
    return WorkloadCosts(rec, tuple(alts), figures)


def _inference_key(key: str) -> bool:
    """A figure that only the inference multiplier reads (engine.priced reads its own)."""
    return key.endswith(".inference_multiplier") or key.startswith("prompt_caching.")
