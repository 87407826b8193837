"""Inference priced from a catalogue model: input and output apart, cached and tuned prices.

Without a catalogue model a request's tokens cost one `price_per_mtok` and each option's
inference is that base times a multiplier (FRAMEWORK.md §4). With one, the multiplier of an
option is what its tokens cost at the model's own prices, against the plain prompt's:

    per token = behaviour × ((1 − s) × input + s × output + (rag − 1) × context)

s the output share, `rag` the retrieval multiplier (retrieved tokens are input), `context`
the input price, or with prompt caching the cached-input price for the cached share; a
fine-tune uses the catalogue's fine-tuned prices where it has them (no premium on top).
"""

from __future__ import annotations

from typing import Any

from engine.calibration import Assumption, Calibration
from engine.errors import ProfileError
from engine.prices import CUSTOM, ModelPrice, PriceCatalogue
from engine.profile import FIELD_BY_ID

Pair = tuple[float, float]
_TUNED = ("fine_tune", "fine_tune_format")
PRICE_UNIT = "USD per million tokens"


def _tuned_prices(price: ModelPrice) -> tuple[float, float] | None:
    if price.fine_tuned_input_mtok is None or price.fine_tuned_output_mtok is None:
        return None
    return price.fine_tuned_input_mtok, price.fine_tuned_output_mtok


def catalogue_multiplier(
    behaviour: str,
    knowledge: str,
    modifiers: tuple[str, ...],
    served_small: bool,
    price: ModelPrice,
    output_share: float,
    cal: Calibration,
) -> tuple[Pair, frozenset[str]]:
    """The inference multiplier of one option against the model's blended price, and the
    calibration keys it read (the price keys `price.*` included)."""
    figures = cal
    used: set[str] = {"price.input_mtok", "price.output_mtok"}
    tuned = _tuned_prices(price) if behaviour in _TUNED else None
    into, out = tuned if tuned is not None else (price.input_mtok, price.output_mtok)
    if tuned is not None:
        used |= {"price.fine_tuned_input_mtok", "price.fine_tuned_output_mtok"}
        behaviour_mult: Pair = (1.0, 1.0)
    else:
        key = {
            "prompting": "prompting.inference_multiplier",
            "distillation": "distillation.inference_multiplier",
        }.get(behaviour, "fine_tune.inference_multiplier")
        used.add(key)
        behaviour_mult = figures[key].pair
    if served_small and behaviour != "distillation":
        used.add("small_model.inference_multiplier")
        small = figures["small_model.inference_multiplier"].pair
        behaviour_mult = (behaviour_mult[0] * small[0], behaviour_mult[1] * small[1])
    knowledge_mult: Pair = (1.0, 1.0)
    context = into
    if knowledge in ("lookup", "rag"):
        used.add(f"{knowledge}.inference_multiplier")
        knowledge_mult = figures[f"{knowledge}.inference_multiplier"].pair
    if knowledge == "rag" and "prompt_caching" in modifiers:
        share = figures["prompt_caching.share"].low
        used.add("prompt_caching.share")
        if tuned is None and price.cached_input_mtok is not None:
            cached = price.cached_input_mtok
            used.add("price.cached_input_mtok")
        else:  # no cached price for this model in the catalogue: the calibration's discount
            cached = into * (1 - figures["prompt_caching.discount"].low)
            used.add("prompt_caching.discount")
        context = into * (1 - share) + cached * share
    plain = price.blended(output_share)
    own = (1 - output_share) * into + output_share * out

    def one(b: float, k: float) -> float:
        per_token = b * (own + (k - 1) * context)
        return per_token / plain if plain > 0 else b * k

    mult = (one(behaviour_mult[0], knowledge_mult[0]), one(behaviour_mult[1], knowledge_mult[1]))
    return mult, frozenset(used)


def price_assumptions(
    price: ModelPrice, used: frozenset[str], source: str, output_share: float | None
) -> tuple[Assumption, ...]:
    """The catalogue's figures the costs used (mark P), and the output share when it is ours."""
    where = f"{source}, {price.model}"
    values = {
        "price.input_mtok": price.input_mtok,
        "price.output_mtok": price.output_mtok,
        "price.cached_input_mtok": price.cached_input_mtok,
        "price.fine_tuned_input_mtok": price.fine_tuned_input_mtok,
        "price.fine_tuned_output_mtok": price.fine_tuned_output_mtok,
    }
    out = [
        Assumption(key, float(value), PRICE_UNIT, "P", where)
        for key, value in values.items()
        if key in used and value is not None
    ]
    if output_share is not None:
        out.append(
            Assumption("usage.output_share", output_share, "of a request's tokens", "A", "ours")
        )
    return tuple(out)


def catalogue_price(
    facts: dict[str, Any], prices: PriceCatalogue | None, where: str
) -> ModelPrice | None:
    """The catalogue's prices for the workload's `model` (None for `custom`); the blended
    price becomes `price_per_mtok` unless the profile gave one. Unknown ids are bad input."""
    model = facts.get("model", CUSTOM)
    if model == CUSTOM:
        return None
    accepted = FIELD_BY_ID["model"].accepted()
    if prices is None:
        raise ProfileError(where, accepted, f"{where}: no price catalogue is loaded here")
    price = prices.find(model)
    if price is None:
        near = prices.near(model)
        hint = f"; did you mean {', '.join(near)}?" if near else ""
        raise ProfileError(where, accepted, f"{where}: {model!r} is not in {prices.source}{hint}")
    facts.setdefault("price_per_mtok", round(price.blended(facts["output_share"]), 6))
    return price
