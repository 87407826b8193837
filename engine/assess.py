"""`assess`: profile in, recommendation out, with trace, costs, flips and a revisit date."""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import date
from typing import Any

from dateutil.relativedelta import relativedelta

from engine.answers import (
    AssessmentProfile,
    WorkloadProfile,
    check_text,
    check_workload_count,
    profile_answers,
)
from engine.calibration import Assumption, Calibration, default_calibration
from engine.costs import Alternative, CostLine, Usage, workload_costs
from engine.errors import ProfileError
from engine.flips import find_flips, json_value
from engine.gaps import gaps_answered
from engine.priced import catalogue_price
from engine.prices import PriceCatalogue
from engine.profile import DEFAULTS, FIELDS
from engine.result import (
    AlternativeCost,
    AssessmentResult,
    CostFigures,
    Costs,
    Flip,
    Summary,
    TraceStep,
    WorkloadRecommendation,
)
from engine.rules import RULE_BY_ID, Decision, decide, explain
from engine.why_not import Situation

_FT = ("fine_tune", "fine_tune_format", "distillation")
FIELD_ORDER = tuple(spec.id for spec in FIELDS)


def _span(low: float, high: float) -> str:
    return f"{low:g}" if low == high else f"{low:g}–{high:g}"


def _risks(d: Decision, cal: Calibration) -> tuple[str, ...]:
    out = list(d.risks)
    if d.behaviour in _FT:
        per_year = _span(*cal["upgrades.retrainings_per_year"].pair)
        out.append(
            "Maintenance debt: every base-model upgrade means re-training and re-evaluating "
            f"the tuned model (costed as {per_year} re-trainings a year)."
        )
        out.append(
            "Depreciation: a newer base model with a good prompt may overtake the "
            "fine-tune; compare at each upgrade."
        )
    if d.knowledge == "rag":
        out.append(
            "Plateau: retrieval quality tends to level off around 85 %; each point "
            "beyond it costs much more than the last."
        )
    if "human_review" in d.modifiers:
        out.append("The residual error class needs people to review it, every week, for good.")
    return tuple(out)


def _measure_next(
    d: Decision, cal: Calibration, quality_target: int | None = None
) -> tuple[str, ...]:
    fixed = {
        "no_llm": "Benchmark a small specialised model, classic NLP or plain search on a sample "
        "before paying for an LLM.",
        "out_of_scope_research": "Write down what the experiment should teach you, then try the "
        "technique you find most promising.",
        "out_of_scope_specialized": "Collect the specialist literature and benchmarks of your "
        "domain; this framework does not cover it.",
    }
    if d.pattern in fixed:
        return (fixed[d.pattern],)
    out = []
    if "measure_first" in d.modifiers:
        out.append(
            "Run a serious prompt pass on the latest frontier model and record the share "
            "of your target it reaches (baseline_pct)."
        )
    elif d.behaviour == "prompting":
        out.append("Re-measure the prompt baseline whenever a new base model ships.")
    if d.behaviour in _FT:
        out.append(
            "Keep an eval harness that pits the tuned model against the newest base "
            "model with a good prompt."
        )
    if d.behaviour == "distillation":
        out.append(
            "Measure the small student against the frontier teacher on quality, "
            "latency and cost per request."
        )
    if d.served_small:
        out.append("Keep checking that the small model still meets the bar on your eval set.")
    if d.knowledge == "rag":
        target = 85 if quality_target is None else quality_target
        out.append(
            "Build a retrieval eval set and track grounded-answer quality against "
            f"your quality target ({target} %)."
        )
    if d.knowledge == "lookup":
        out.append("Check what share of questions the lookup table answers exactly.")
    if "prompt_caching" in d.modifiers:
        share = cal["prompt_caching.share"].low
        out.append(
            "Measure the cache hit rate: the saving assumes that about "
            f"{share:.0%} of the context is reused."
        )
    return tuple(out)


def assess_workload(workload: WorkloadProfile, cal: Calibration) -> WorkloadRecommendation:
    """One workload's recommendation (answers already validated)."""
    return _assess_answers(workload.name, workload.answers(), cal)[0]


def _assess_answers(
    name: str,
    facts: dict[str, Any],
    cal: Calibration,
    stated: frozenset[str] | None = None,
    prices: PriceCatalogue | None = None,
    where: str = "model",
) -> tuple[WorkloadRecommendation, CostLine | None]:
    """One workload's recommendation, and its recommended cost line before rounding."""
    d = decide(facts)
    costs = None
    used: tuple[Assumption, ...] = ()
    price = catalogue_price(facts, prices, where) if "model" in facts else None
    if price is not None and "price_per_mtok" in facts:  # keep the answers in FIELDS order
        facts = {k: facts[k] for k in FIELD_ORDER if k in facts}
    if d.behaviour is not None and d.knowledge is not None:
        share = facts.get("output_share", 0.0)
        usage = Usage(
            requests_per_day=facts["requests_per_day"],
            tokens_per_request=facts["tokens_per_request"],
            price_per_mtok=facts["price_per_mtok"],
            engineer_quarter_usd=facts["engineer_quarter_usd"],
            quality_target_pct=facts.get("quality_target_pct"),
            price=price,
            output_share=share,
            price_source=prices.source if prices is not None and price is not None else "",
            share_assumed=price is not None
            and (
                share == DEFAULTS["output_share"]
                if stated is None
                else "output_share" not in stated
            ),
        )
        rec, alts, used = workload_costs(d, facts["knowledge"], usage, cal, Situation.of(facts))
        costs = (rec, alts)
        _check_finite(name, costs)
    reasons = explain(d, facts)
    result = WorkloadRecommendation(
        name=name,
        answers={k: json_value(v) for k, v in facts.items()},
        behaviour=d.behaviour,
        knowledge=d.knowledge,
        pattern=d.pattern,
        modifiers=d.modifiers,
        served_on_small_model=d.served_small,
        rules_fired=d.fired,
        trace=tuple(
            TraceStep(rule=r, section=RULE_BY_ID[r].section, reason=reason)
            for r, reason in zip(d.fired, reasons, strict=True)
        ),
        gaps_answered=gaps_answered(d, facts),
        warnings=d.warnings,
        notes=d.notes,
        risks=_risks(d, cal),
        measure_next=_measure_next(d, cal, facts.get("quality_target_pct")),
        flips=tuple(Flip.model_validate(f) for f in find_flips(facts)),
        costs=None if costs is None else _costs(*costs, used),
        defaulted=None if stated is None else tuple(k for k in facts if k not in stated),
    )
    return result, None if costs is None else costs[0]


def _costs(rec: CostLine, alts: tuple[Alternative, ...], used: tuple[Assumption, ...]) -> Costs:
    return Costs(
        recommended=CostFigures.rounded(rec),
        alternatives=tuple(
            AlternativeCost(
                behaviour=a.behaviour,
                knowledge=a.knowledge,
                pattern=a.pattern,
                **CostFigures.rounded(a.line).model_dump(),
                break_even=a.break_even,
                why_not=a.why_not,
            )
            for a in alts
        ),
        assumptions=used,
    )


def _check_finite(name: str, costs: tuple[CostLine, tuple[Alternative, ...]]) -> None:
    """Refuse inputs so large that a cost overflows: JSON has no infinity to show."""
    lines = (costs[0], *(alt.line for alt in costs[1]))
    if not all(math.isfinite(x) for line in lines for x in line.three_year_usd):
        raise ProfileError(
            "cost inputs",
            "figures whose yearly cost stays within floating-point range",
            f"workload {name!r}: requests_per_day, tokens_per_request, price_per_mtok and "
            "engineer_quarter_usd are too large to cost",
        )


def assess(
    profile: AssessmentProfile | Mapping[str, Any],
    *,
    decided_on: date,
    revisit_on: date | None = None,
    calibration: Calibration | None = None,
    prices: PriceCatalogue | None = None,
) -> AssessmentResult:
    """Assess every workload of `profile`; revisit_on defaults to decided_on + 12 months.

    `prices` is the model price catalogue a workload's `model` is looked up in (the caller
    loads it: the engine reads no file); without one only `custom` is accepted."""
    if isinstance(profile, AssessmentProfile):  # built by hand: its names are not checked yet
        name, workloads = profile.name, [(w.name, w.answers()) for w in profile.workloads]
        check_text(name, "name")
        check_workload_count(len(workloads))
        for i, (workload_name, _) in enumerate(workloads):
            check_text(workload_name, f"workloads[{i}].name")
    else:  # the same checks as parse_profile, without building the models only to read them
        name, workloads = profile_answers(profile)
    stated = _stated(profile, len(workloads))
    cal = calibration or default_calibration()
    done = [
        _assess_answers(n, facts, cal, given, prices, f"workloads[{i}].model")
        for i, ((n, facts), given) in enumerate(zip(workloads, stated, strict=True))
    ]
    results = tuple(w for w, _ in done)
    revisit = revisit_on or decided_on + relativedelta(months=12)
    return AssessmentResult(
        name=name,
        decided_on=decided_on,
        revisit_on=revisit,
        workloads=results,
        summary=Summary.of(revisit, results, [line for _, line in done if line is not None]),
    )


def _stated(profile: Any, n: int) -> list[frozenset[str] | None]:
    """Per workload, the fields the profile itself states (a shared engineer cost counts);
    None for a profile built by hand, whose defaults were filled before it got here."""
    if not isinstance(profile, Mapping):
        return [None] * n
    top = {"engineer_quarter_usd"} & set(profile)
    if "workloads" not in profile:
        return [frozenset(set(profile) | top)]
    return [frozenset(set(w) | top) for w in profile["workloads"]]
