"""Model prices from the `genai-prices` package's bundled data, as an `engine.PriceCatalogue`.

Only the data that ships inside the installed package is read (its `data` module): never
`genai_prices.UpdatePrices`, which fetches from the network. The engine stays pure: it is
handed the catalogue this module builds, once per process and decision date.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from functools import lru_cache
from importlib.metadata import version
from typing import Any

from engine.prices import CUSTOM, ModelPrice, PriceCatalogue

PACKAGE = "genai-prices"


def _amount(value: Any) -> float | None:
    """A Decimal price, or a tiered one's base price, as a float."""
    if value is None:
        return None
    if isinstance(value, Decimal | int | float):
        return float(value)
    base = getattr(value, "base", None)  # TieredPrices: the first tier's price
    return None if base is None else float(base)


def _in_force(prices: Any, on: date) -> Any:
    """The model's prices on `on`: a plain ModelPrice, or the latest dated one by then."""
    if not isinstance(prices, list):
        return prices
    chosen = None
    for conditional in prices:  # in date order in the data; later entries supersede
        start = getattr(conditional.constraint, "start_date", None)
        if conditional.constraint is None or (start is not None and start <= on):
            chosen = conditional.prices
    return chosen


def _dates(snapshot: Any, on: date) -> date | None:
    """The newest price change the data records on or before `on`: its data date."""
    found: date | None = None
    for provider in snapshot.providers:
        for model in provider.models:
            entries = [*(model.prices if isinstance(model.prices, list) else [])]
            entries += list(model.price_variants or [])
            for entry in entries:
                start = getattr(entry.constraint, "start_date", None)
                if start is not None and start <= on and (found is None or start > found):
                    found = start
    return found


@lru_cache(maxsize=4)
def bundled_catalogue(on: date) -> PriceCatalogue:
    """Every model of the bundled data with an input and an output price in force on `on`,
    each bare id meaning its own provider's model (OpenAI's gpt-4.1, not a reseller's)."""
    from genai_prices import data_snapshot  # the bundled data; never UpdatePrices (network)

    snapshot = data_snapshot._bundled_snapshot()
    tuned: dict[str, tuple[float, float]] = {}
    rows: list[tuple[bool, ModelPrice]] = []
    for provider in snapshot.providers:
        for model in provider.models:
            prices = _in_force(model.prices, on)
            into = _amount(getattr(prices, "input_mtok", None))
            out = _amount(getattr(prices, "output_mtok", None))
            if into is None or out is None:
                continue
            if model.id.startswith("ft:"):  # "ft:gpt-4o-mini": the tuned prices of its base
                tuned[f"{provider.id}:{model.id[3:].rstrip('-')}"] = (into, out)
                continue
            cached = _amount(getattr(prices, "cache_read_mtok", None))
            price = ModelPrice(f"{provider.id}:{model.id}", into, out, cached)
            rows.append((_home(snapshot, model.id) == provider.id, price))
    rows.sort(key=lambda row: not row[0])  # stable: each id's own provider first
    models = [
        ModelPrice(p.model, p.input_mtok, p.output_mtok, p.cached_input_mtok, *tuned[p.model])
        if p.model in tuned
        else p
        for _, p in rows
    ]
    data_date = _dates(snapshot, on) or on
    source = f"{PACKAGE} {version(PACKAGE)} (prices as of {data_date.isoformat()})"
    return PriceCatalogue.of(source, data_date, models)


def _home(snapshot: Any, model_id: str) -> str | None:
    try:
        return str(snapshot.find_provider(model_id, None, None).id)
    except LookupError:
        return None


def catalogue_id(text: str, on: date) -> str | None:
    """A typed model id as the catalogue names it ("GPT-4.1 mini" -> "gpt-4.1-mini"), or
    None when the catalogue has no such model; "custom" stays "custom"."""
    key = text.strip().lower()
    if key == CUSTOM:
        return CUSTOM
    catalogue = bundled_catalogue(on)
    for candidate in (key, key.replace(" ", "-")):
        if catalogue.find(candidate) is not None:
            return candidate
    return None


def near_ids(text: str, on: date) -> list[str]:
    """The catalogue ids closest to a typed one, for "did you mean"."""
    return bundled_catalogue(on).near(text.strip().lower().replace(" ", "-"))
