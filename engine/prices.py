"""Model prices as data: what a workload's `model` costs per million tokens.

The engine reads prices from a `PriceCatalogue` it is given, never from a file or the
network: `conversations.catalogue` builds one from the `genai-prices` package's bundled data
for a date, and tests build their own (two snapshots, say). A catalogue is plain values.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

CUSTOM = "custom"  # the `model` answer that means "my own price_per_mtok"


@dataclass(frozen=True, slots=True)
class ModelPrice:
    """One model's prices in USD per million tokens, as a catalogue gives them."""

    model: str  # "provider:id", the catalogue's own names
    input_mtok: float
    output_mtok: float
    cached_input_mtok: float | None = None
    fine_tuned_input_mtok: float | None = None
    fine_tuned_output_mtok: float | None = None

    def blended(self, output_share: float) -> float:
        """The price of one million request tokens split `output_share` to output."""
        return (1 - output_share) * self.input_mtok + output_share * self.output_mtok


@dataclass(frozen=True)
class PriceCatalogue:
    """Model prices by id; `source` names the catalogue and its data date in words."""

    source: str
    data_date: date
    models: Mapping[str, ModelPrice]  # by "provider:id"
    # A bare id -> the "provider:id" it means (the model's own provider first).
    aliases: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, source: str, data_date: date, prices: Iterable[ModelPrice]) -> PriceCatalogue:
        """A catalogue of `prices`; a bare id means the first model of that id given."""
        models: dict[str, ModelPrice] = {}
        aliases: dict[str, str] = {}
        for price in prices:
            key = price.model.lower()
            models.setdefault(key, price)
            aliases.setdefault(key.partition(":")[2], key)
        return cls(source, data_date, models, aliases)

    def find(self, ref: str) -> ModelPrice | None:
        """The model `ref` names ("gpt-4.1-mini" or "openai:gpt-4.1-mini"), or None."""
        key = ref.strip().lower()
        found = self.models.get(key)
        if found is None and key in self.aliases:
            found = self.models[self.aliases[key]]
        return found

    def near(self, ref: str, n: int = 3) -> list[str]:
        """The ids closest to `ref`, for "did you mean"."""
        key = ref.strip().lower()
        names = list(self.aliases) if ":" not in key else list(self.models)
        return difflib.get_close_matches(key, names, n=n, cutoff=0.6)

    def ids(self) -> list[str]:
        """Every bare id the catalogue knows."""
        return sorted(self.aliases)


def names_a_model(profile: Any) -> bool:
    """Whether a profile mapping names a catalogue model anywhere (so the catalogue, slow to
    load the first time, is loaded only for profiles that need it)."""
    if not isinstance(profile, Mapping):
        return False
    workloads = profile.get("workloads", [profile])
    if not isinstance(workloads, list):
        return False
    return any(
        isinstance(w, Mapping)
        and isinstance(w.get("model"), str)
        and w["model"].strip().lower() not in ("", CUSTOM)
        for w in workloads
    )
