"""The names FRAMEWORK.md §3 fixes: article sections, modifiers, the pattern table, thresholds."""

from __future__ import annotations

SECTIONS: dict[str, str] = {
    "applies": "When this applies and when it does not",
    "neither": "When neither is the right answer",
    "solves": "What each technique actually solves",
    "debt": "Fine-tuning maintenance debt",
    "plateau": "The retrieval-quality plateau",
    "hybrid_format": "Hybrid patterns that work: RAG plus a format fine-tune",
    "hybrid_lookup": "Hybrid patterns that work: fine-tuning plus deterministic lookup",
    "hybrid_distillation": "Hybrid patterns that work: distillation",
    "hybrid_caching": "Hybrid patterns that work: RAG plus prompt caching",
    "cost_rag": "The cost model both ways: RAG total cost of ownership",
    "cost_ft": "The cost model both ways: Fine-tuning total cost of ownership",
}
MODIFIERS = (
    "measure_first",
    "prompt_caching",
    "source_curation",
    "structured_knowledge",
    "human_review",
)
STRUCTURAL = frozenset({"format", "refusal", "reasoning"})
# The gaps in the words reasons use, in the ids' list order.
GAP_WORDS: dict[str, str] = {
    "tone": "tone",
    "format": "output-format",
    "refusal": "refusal",
    "reasoning": "reasoning",
    "knowledge": "missing-facts",
}
PATTERNS: dict[tuple[str, str], str] = {
    ("prompting", "none"): "prompting",
    ("prompting", "lookup"): "lookup_prompting",
    ("prompting", "rag"): "rag_prompting",
    ("fine_tune_format", "none"): "fine_tune",
    ("fine_tune_format", "lookup"): "ft_lookup",
    ("fine_tune_format", "rag"): "rag_ft_format",
    ("fine_tune", "none"): "fine_tune",
    ("fine_tune", "lookup"): "ft_lookup",
    ("fine_tune", "rag"): "rag_ft",
    ("distillation", "none"): "distillation",
    ("distillation", "lookup"): "distillation",
    ("distillation", "rag"): "distillation",
}
