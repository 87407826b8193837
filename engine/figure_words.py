"""Calibration figures in words: their names, values and marks, the workload's own cost inputs
beside them, and a catalogue price that moved. The views, the CLI and the record show the
assumptions behind a cost through this module (engine.words holds the rest of the words)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from engine.profile import DEFAULTS
from engine.words import answer_words, field_words, number_range

# The marks of a calibration figure, and how a team puts its own figures in.
MARK_WORDS: dict[str, str] = {
    "F": "from the article",
    "D": "derived from the article",
    "A": "our assumption",
    "P": "a price from the genai-prices catalogue",
}
MARKS_LEGEND = (
    "F = from the article, D = derived from it, A = our assumption, P = a catalogue price"
)
OVERRIDE_HINT = (
    "put them in a TOML file laid out like engine/calibration.toml and point the app's "
    "RAGFT_CALIBRATION setting at it, or run `ragft assess --calibration team.toml`; "
    "they show the source “ours”"
)


# The plural words of calibration units (engine.calibration.UNITS) and their singulars,
# for a figure of exactly 1: "1 engineer-quarter per step", "1 re-training a year".
_SINGULAR = {
    "engineer-quarters": "engineer-quarter",
    "re-trainings": "re-training",
    "points": "point",
}


def figure_words(value: float | Sequence[float], unit: str) -> str:
    """A calibration figure with its unit: "1–3 engineer-quarters", "85 % quality",
    "1 engineer-quarter per step" (singular when the figure is 1)."""
    if unit == "USD per million tokens" and not isinstance(value, Sequence):
        cents = round(value * 100, 6).is_integer()
        return (f"${value:,.2f}" if cents else f"${value:g}") + " per million tokens"
    if unit == "of a request's tokens" and not isinstance(value, Sequence):
        return f"{value * 100:g} % {unit}"
    shown = number_range(value) if isinstance(value, Sequence) else f"{value:.3g}"
    if shown == "1":
        unit = " ".join(_SINGULAR.get(word, word) for word in unit.split(" "))
    return f"{shown} {unit}".strip()


# A calibration figure's name in words: its table (what it costs) and its kind.
_FIGURE_OWNERS = {
    "prompting": "Prompting",
    "fine_tune": "Fine-tune",
    "fine_tune_format": "Format-only fine-tune",
    "distillation": "Distillation",
    "small_model": "Small model",
    "upgrades": "Base-model upgrades",
    "lookup": "Lookup",
    "rag": "RAG",
    "rag_plateau": "RAG quality plateau",
    "source_curation": "Source curation",
    "structured_knowledge": "Structured knowledge",
    "human_review": "Human review",
    "prompt_caching": "Prompt caching",
}
_FIGURE_KINDS = {
    "build_eq": "build",
    "ongoing_fte": "upkeep",
    "inference_multiplier": "inference cost",
    "training_share_max": "training's largest share",
    "data_generation_eq": "data generation",
    "retrainings_per_year": "frequency",
    "eq_per_retraining": "effort per re-training",
    "vector_db_share_max": "vector database's largest share",
    "start_pct": "start",
    "step_points": "step size",
    "eq_per_step": "effort per step",
    "share": "context reused",
    "discount": "discount on cached tokens",
}
# The workload's own answers that its costs rest on, beside the calibration figures.
COST_INPUTS = (
    "requests_per_day",
    "tokens_per_request",
    "model",
    "output_share",
    "price_per_mtok",
    "engineer_quarter_usd",
)
# The catalogue's prices (engine.priced), named by what they price.
_PRICE_NAMES = {
    "price.input_mtok": "Input price",
    "price.output_mtok": "Output price",
    "price.cached_input_mtok": "Cached input price",
    "price.fine_tuned_input_mtok": "Fine-tuned input price",
    "price.fine_tuned_output_mtok": "Fine-tuned output price",
    "usage.output_share": "Output share",
}


def figure_name(key: str) -> str:
    """A calibration key in words: "rag.build_eq" -> "RAG build"."""
    if key in _PRICE_NAMES:
        return _PRICE_NAMES[key]
    owner, _, kind = key.partition(".")
    if owner not in _FIGURE_OWNERS or kind not in _FIGURE_KINDS:
        return key
    return f"{_FIGURE_OWNERS[owner]} {_FIGURE_KINDS[kind]}"


def cost_input_words(answers: Mapping[str, Any], defaulted: Iterable[str] | None = None) -> str:
    """The answers the costs rest on, in words, a default value marked as such:
    "requests per day 20,000; tokens per request 1,500 (the default); …".

    `defaulted` names the fields the engine filled in; without it (an interview's answers,
    where `skip` stores the default) a value equal to the default is marked."""
    filled = None if defaulted is None else set(defaulted)
    said = []
    for field in COST_INPUTS:
        value = answers.get(field)
        if value is None or (field == "model" and value == "custom"):
            continue
        is_default = value == DEFAULTS.get(field) if filled is None else field in filled
        default = " (the default)" if is_default else ""
        if field == "price_per_mtok" and answers.get("model", "custom") != "custom":
            given = filled is not None and field not in filled
            default = "" if given else " (the model's, at that output share)"
        said.append(f"{field_words(field)} {answer_words(field, value)}{default}")
    return "; ".join(said)


def assumption_words(
    name: str, value: float | Sequence[float], unit: str, mark: str, source: str
) -> str:
    """One assumption, compactly, by name and key:
    "RAG build (`rag.build_eq`): 1–3 engineer-quarters [F; RAG TCO]"."""
    return f"{figure_name(name)} (`{name}`): {figure_words(value, unit)} [{mark}; {source}]"


def price_move_words(model: str, figure: str, before: float, after: float) -> str:
    """A catalogue price that moved: "gpt-4.1-mini input price −60 % ($0.40 → $0.16)"."""
    unit = "USD per million tokens"
    pct = (after - before) / before * 100 if before else 0.0
    sign = "+" if pct > 0 else "−"
    was, now = (figure_words(v, unit).removesuffix(" per million tokens") for v in (before, after))
    return f"{model} {figure_name(figure).lower()} {sign}{abs(pct):.0f} % ({was} → {now})"
