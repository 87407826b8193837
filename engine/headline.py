"""The decision first: which figures move the chosen option's cost most (Slack shows those;
the CLI and the decision record keep the full list)."""

from __future__ import annotations

from engine.calibration import Assumption
from engine.result import WorkloadRecommendation

_TUNED = ("fine_tune", "fine_tune_format", "distillation")


def _mid(value: float | tuple[float, float]) -> float:
    return (value[0] + value[1]) / 2 if isinstance(value, tuple) else float(value)


def _owners(w: WorkloadRecommendation) -> set[str]:
    """The calibration tables the chosen option's own line reads."""
    behaviour, knowledge = str(w.behaviour), str(w.knowledge)
    owners = {"price", "usage"}
    owners.add("fine_tune_format" if behaviour == "fine_tune_format" else behaviour)
    if behaviour in _TUNED:
        owners |= {"fine_tune", "upgrades"}
    if w.served_on_small_model:
        owners.add("small_model")
    if knowledge in ("lookup", "rag"):
        owners.add(knowledge)
    if knowledge == "rag":
        owners.add("rag_plateau")
    return owners | set(w.modifiers)


def _three_year_usd(a: Assumption, w: WorkloadRecommendation) -> float:
    """About what this figure puts into the chosen option's three-year cost, in USD."""
    answers = w.answers
    eq = float(answers.get("engineer_quarter_usd") or 0)
    base = (
        float(answers.get("requests_per_day") or 0)
        * 365
        * float(answers.get("tokens_per_request") or 0)
        / 1e6
        * float(answers.get("price_per_mtok") or 0)
    )
    kind = a.name.partition(".")[2]
    value = _mid(a.value)
    if kind in ("build_eq", "data_generation_eq", "eq_per_step"):
        return value * eq
    if kind == "ongoing_fte":
        return value * 4 * eq * 3
    if kind in ("retrainings_per_year", "eq_per_retraining"):  # the two multiply
        both = {x.name: _mid(x.value) for x in w.costs.assumptions} if w.costs else {}
        per_year = both.get("upgrades.retrainings_per_year", 0.0)
        per_year *= both.get("upgrades.eq_per_retraining", 0.0)
        return per_year * eq * 3
    if kind == "inference_multiplier":  # what it adds to (or saves from) a plain prompt
        return abs(value - 1) * base * 3
    if a.mark == "P":  # a price sets the whole inference bill
        return base * 3
    return 0.0


def largest_figures(w: WorkloadRecommendation, n: int = 3) -> tuple[Assumption, ...]:
    """The `n` figures of the chosen option that weigh most in its three-year cost, largest
    first (ties in the list's order); the catalogue's prices count as the inference they set."""
    if w.costs is None:
        return ()
    owners = _owners(w)
    mine = [a for a in w.costs.assumptions if a.name.partition(".")[0] in owners]
    if w.behaviour == "fine_tune_format":  # its own build and upkeep, the fine-tune's inference
        mine = [a for a in mine if a.name not in ("fine_tune.build_eq", "fine_tune.ongoing_fte")]
    weighed = sorted(
        ((_three_year_usd(a, w), i, a) for i, a in enumerate(mine)), key=lambda t: (-t[0], t[1])
    )
    return tuple(a for usd, _, a in weighed[:n] if usd > 0)
