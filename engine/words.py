"""Our own words for the engine's ids and figures: the one formatter every renderer uses.

The CLI report, the decision record and the Slack views all name patterns, fields, answers,
modifiers, money and break-even points through this module, so that they say the same thing.
Answers read in a vocabulary of value words; the Slack views pass the interview's own labels
(what the person picked), the record and the CLI use `VALUE_WORDS`. The calibration figures
behind a cost have words of their own in engine.figure_words.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

# One title per pattern, everywhere: the headline, "what would change", the cost table's
# chosen row and the chart's recommended line. The other rows of a cost table name each
# option by its techniques (`option_words`), as the titles of most costed patterns do.
PATTERN_TITLES: dict[str, str] = {
    "prompting": "Prompting only",
    "lookup_prompting": "Prompting + lookup",
    "rag_prompting": "Prompting + RAG",
    "fine_tune": "Fine-tune only",
    "ft_lookup": "Fine-tune + lookup",
    "rag_ft_format": "Format-only fine-tune + RAG",
    "rag_ft": "Fine-tune + RAG",
    "distillation": "Distillation",
    "no_llm": "No LLM: a small model, classic NLP or search",
    "out_of_scope_research": "Out of scope: a research project",
    "out_of_scope_specialized": "Out of scope: a specialist domain",
}

FIELD_WORDS: dict[str, str] = {
    "deployment": "deployment",
    "domain": "domain",
    "task": "task",
    "knowledge": "knowledge needed",
    "freshness": "how often the facts change",
    "prompt_pass": "measured prompt pass",
    "baseline_pct": "prompt baseline",
    "gaps": "gaps",
    "quality_target_pct": "quality target",
    "frontier_ok": "frontier model acceptable",
    "small_model_ok": "small model good enough",
    "repeat_queries": "repeated queries",
    "requests_per_day": "requests per day",
    "tokens_per_request": "tokens per request",
    "model": "serving model",
    "output_share": "output share of the tokens",
    "price_per_mtok": "price per million tokens",
    "engineer_quarter_usd": "cost of an engineer-quarter",
}

VALUE_WORDS: dict[str, dict[str, str]] = {
    "domain": {"general": "everyday business", "specialized": "a specialist field"},
    "task": {"generation": "open-ended generation", "document_search": "document search"},
    "knowledge": {"small_fixed": "a small fixed set", "corpus": "a large corpus"},
    "freshness": {
        "realtime": "in real time",
        "daily": "every day",
        "weekly": "every week",
        "monthly": "every month",
        "rarely": "hardly ever",
    },
    "gaps": {
        "tone": "tone",
        "format": "output format",
        "refusal": "refusals",
        "reasoning": "domain reasoning",
        "knowledge": "missing facts",
    },
}

MODIFIER_WORDS: dict[str, str] = {
    "measure_first": "measure a prompt baseline first",
    "prompt_caching": "cache the repeated context",
    "source_curation": "curate the sources",
    "structured_knowledge": "structure the most valuable knowledge",
    "human_review": "keep people reviewing the residual errors",
}

# What must change, in words: how the behaviour and the knowledge are handled.
BEHAVIOUR_WORDS: dict[str, str] = {
    "prompting": "prompting",
    "fine_tune_format": "a fine-tune for the output format",
    "fine_tune": "fine-tuning",
    "distillation": "distillation into a small model",
}
KNOWLEDGE_WORDS: dict[str, str] = {
    "none": "nothing to inject",
    "lookup": "a deterministic lookup",
    "rag": "retrieval (RAG)",
}
# A behaviour technique as a noun, in sentences: "paying for a full fine-tune".
BEHAVIOUR_NOUNS: dict[str, str] = {
    "prompting": "prompting",
    "fine_tune_format": "format-only fine-tune",
    "fine_tune": "full fine-tune",
    "distillation": "distilled small model",
}
_WITH_KNOWLEDGE = {"none": "", "lookup": " with a lookup", "rag": " with retrieval (RAG)"}
# Short names of a costed option: "format-only fine-tune + RAG".
_OPTION_BEHAVIOUR = {
    "prompting": "Prompting",
    "fine_tune_format": "Format-only fine-tune",
    "fine_tune": "Fine-tune",
    "distillation": "Distillation",
}
_OPTION_KNOWLEDGE = {"none": " only", "lookup": " + lookup", "rag": " + RAG"}


def upper_first(text: str) -> str:
    """The text with its first letter a capital: "prompt baseline" -> "Prompt baseline"."""
    return text[:1].upper() + text[1:]


def pattern_title(pattern: str) -> str:
    """A readable title for a pattern id (the id itself if unknown)."""
    return PATTERN_TITLES.get(pattern, pattern)


def field_words(field: str) -> str:
    """A field's name in words: "baseline_pct" → "prompt baseline"."""
    return FIELD_WORDS.get(field, field)


def modifier_words(modifier: str) -> str:
    """A modifier in words: "prompt_caching" → "cache the repeated context"."""
    return MODIFIER_WORDS.get(modifier, modifier)


def joined(items: Iterable[str]) -> str:
    """Words joined as a person would: "a", "a and b", "a, b and c"; "none" when empty."""
    words = list(items)
    if not words:
        return "none"
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def answer_words(
    field: str, value: Any, vocabulary: Mapping[str, Mapping[str, str]] = VALUE_WORDS
) -> str:
    """One answer in words: 72 → "72 %", ["format"] → "output format", 60000.0 → "$60,000".

    `vocabulary` maps a field's value ids to words; an id it lacks is shown as it is.
    """
    words = vocabulary.get(field, {})
    if value is None:
        return "—"
    if isinstance(value, list | tuple | set | frozenset):
        given = {str(v) for v in value}
        picked = [v for v in words if v in given] + sorted(given - set(words))
        return joined(words.get(v, v) for v in picked)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float) and field == "output_share":
        return f"{value * 100:g} %"
    if field == "model" and value == "custom":
        return "your own price"
    if isinstance(value, int | float) and field.endswith("_pct"):
        return f"{value:g} %"
    if isinstance(value, int | float) and (field.endswith("_usd") or field == "price_per_mtok"):
        return f"${value:,.0f}" if field.endswith("_usd") else f"${value:,.2f}"
    if isinstance(value, int | float):
        return f"{value:,.0f}" if float(value).is_integer() else f"{value:,}"
    return words.get(str(value), str(value))


def gap_answer_words(gap: str, answer: str, rule: str | None, rule_format: str = "{rule}") -> str:
    """One reported gap and what closes it: "Output format: structured output … (B2)"."""
    cited = f" ({rule_format.format(rule=rule)})" if rule else ""
    return f"{upper_first(VALUE_WORDS['gaps'].get(gap, gap))}: {answer}{cited}"


def option_words(behaviour: str, knowledge: str) -> str:
    """A costed option's name: "Format-only fine-tune + RAG", "Prompting only"."""
    how = _OPTION_BEHAVIOUR.get(behaviour, behaviour)
    if knowledge == "none" and behaviour not in ("prompting", "fine_tune"):
        return how  # "Distillation", "Format-only fine-tune": nothing to say "only" against
    return how + _OPTION_KNOWLEDGE.get(knowledge, f" + {knowledge}")


def chosen_option(
    pattern: str, behaviour: str, knowledge: str, others: Iterable[tuple[str, str]]
) -> str:
    """The chosen row's name in a cost table: the pattern's title, unless another row of the
    table already goes by it (a format-only fine-tune + lookup is titled "Fine-tune +
    lookup", which is also the full fine-tune's row): then the chosen option's own name."""
    title = pattern_title(pattern)
    if title in {option_words(b, k) for b, k in others}:
        return option_words(behaviour, knowledge)
    return title


def option_sentence(behaviour: str, knowledge: str) -> str:
    """A costed option inside a sentence: "a format-only fine-tune with retrieval (RAG)"."""
    noun = BEHAVIOUR_NOUNS.get(behaviour, behaviour)
    how = noun if behaviour == "prompting" else f"a {noun}"
    return how + _WITH_KNOWLEDGE.get(knowledge, f" with {knowledge}")


def money(value: float) -> str:
    """USD, compact, one style everywhere: $950, $1.5k, $304k, $1.97M, $2B."""
    if abs(value) >= 999.5e9:
        return f"${value / 1e9:,.0f}B"
    if abs(value) >= 999_500_000:
        return f"${value / 1e9:.3g}B"
    if abs(value) >= 999_500:
        return f"${value / 1e6:.3g}M"
    if abs(value) >= 9_995:
        return f"${value / 1e3:.0f}k"
    if abs(value) >= 999.5:
        return f"${value / 1e3:.1f}k"
    return f"${value:.0f}"


def signed_money(value: float) -> str:
    """A change in USD, compact, with its sign: +$12k, -$950, $0."""
    if round(value) == 0:
        return "$0"
    return ("+" if value > 0 else "-") + money(abs(value))


def money_range(pair: Sequence[float] | None) -> str:
    """A [low, high] pair of USD as one compact range: "$304k–$826k", "$1.5k" when equal."""
    if not pair:
        return "—"
    low, high = money(pair[0]), money(pair[-1])
    return low if low == high else f"{low}–{high}"


def signed_money_range(pair: Sequence[float]) -> str:
    """A [low, high] change in USD: "+$12k", "-$3.0k to +$12k"."""
    low, high = signed_money(pair[0]), signed_money(pair[-1])
    return low if low == high else f"{low} to {high}"


def number_range(pair: Sequence[float]) -> str:
    """A [low, high] pair of plain figures: "1.5–3"."""
    low, high = f"{pair[0]:.3g}", f"{pair[-1]:.3g}"
    return low if low == high else f"{low}–{high}"


def break_even_words(value: str | Mapping[str, int]) -> str:
    """`always`, `never`, {"above": N} or {"below": N} in words: "above 12,000/day"."""
    if isinstance(value, Mapping):
        (side, n), *_ = value.items()
        return f"{side} {int(n):,}/day"
    return value


def cheaper_words(value: str | Mapping[str, int]) -> str:
    """When an alternative costs less than the decision, in words: "cheaper at any volume",
    "never cheaper", "cheaper above 2,273 requests a day"."""
    if isinstance(value, Mapping):
        (side, n), *_ = value.items()
        return f"cheaper {side} {int(n):,} requests a day"
    return {"always": "cheaper at any volume", "never": "never cheaper"}.get(value, value)


def why_not_cell(value: str | Mapping[str, int], rules: Iterable[str]) -> str:
    """The "cheaper" cell of a cost table, never bare: "always, but see B4"."""
    ids = ", ".join(dict.fromkeys(rules))
    cheaper = break_even_words(value)
    return f"{cheaper}, but see {ids}" if ids and value != "never" else cheaper


def why_not_text(reasons: Iterable[tuple[str, str]], *, rule_format: str = "{rule}") -> str:
    """An alternative's reasons in one sentence run, each with its rule: "… (B4)"."""
    return " ".join(
        f"{reason.rstrip()} ({rule_format.format(rule=rule)})" for rule, reason in reasons
    )


def option_move_words(
    behaviour: str, knowledge: str, chosen: bool, before: Sequence[float], after: Sequence[float]
) -> str:
    """One option's three-year cost, last time and now: "Prompting + RAG (chosen) down from
    $304k–$826k to $250k–$600k"."""
    name = option_words(behaviour, knowledge) + (" (chosen)" if chosen else "")
    mid_before, mid_after = sum(before) / 2, sum(after) / 2
    way = "down" if mid_after < mid_before else "up" if mid_after > mid_before else "still"
    if way == "still":
        return f"{name} unchanged at {money_range(after)}"
    return f"{name} {way} from {money_range(before)} to {money_range(after)}"
