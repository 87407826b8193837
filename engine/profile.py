"""The profile of FRAMEWORK.md §2: each field declared once (kind, ids, default, bounds and
when it is asked), and what follows from the declarations. Reading one: engine.answers."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Literal

from engine.asked import AllOf, AnyOf, Below, Condition, IsNot, is_, merged_edges
from engine.choices import (
    Deployment,
    Domain,
    Freshness,
    Gap,
    KnowledgeNeed,
    RepeatQueries,
    Task,
    YesNo,
)
from engine.prices import CUSTOM

FieldKind = Literal["choice", "int", "float", "set", "text"]


ALWAYS = AllOf()
PRODUCTION = is_("deployment", "production")
GENERAL = AllOf((PRODUCTION, is_("domain", "general")))
# FRAMEWORK.md §2: every field after `task` is asked only for a production, general
# generation workload (S1, S2 and N1 decide the others without it).
GENERATION = AllOf((GENERAL, is_("task", "generation")))


def _generation(*more: Condition) -> AllOf:
    return AllOf((GENERATION, *more))


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """One profile field: its id, kind, accepted ids (list order), default, bounds, and when
    it is asked (FRAMEWORK.md §2's "asked when" column, as data)."""

    id: str
    kind: FieldKind
    choices: tuple[str, ...] = ()
    default: Any = None
    minimum: float | None = None
    maximum: float | None = None
    asked_when: Condition = field(default_factory=lambda: GENERATION)

    def accepted(self) -> str:
        """What this field accepts, in words, for error messages and re-asks."""
        if self.kind == "choice":
            return "one of " + ", ".join(self.choices)
        if self.kind == "set":
            return "a list of any of " + ", ".join(self.choices) + " (empty list = none)"
        if self.kind == "text":  # `model`, the one text field
            return (
                f"{CUSTOM} (your own price_per_mtok) or a model id of the genai-prices catalogue, "
                "e.g. gpt-4.1-mini or openai:gpt-4.1-mini"
            )
        noun = "a whole number" if self.kind == "int" else "a number"
        if self.maximum is not None:
            return f"{noun} from {_fmt(self.minimum)} to {_fmt(self.maximum)}"
        if self.minimum is not None:
            return f"{noun} of at least {_fmt(self.minimum)}"
        return noun


def _fmt(x: float | None) -> str:
    return "" if x is None else (str(int(x)) if float(x).is_integer() else str(x))


def _ids(enum: type[StrEnum]) -> tuple[str, ...]:
    return tuple(m.value for m in enum)


CORPUS = is_("knowledge", "corpus")
PASSED = is_("prompt_pass", "yes")
FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("deployment", "choice", _ids(Deployment), asked_when=ALWAYS),
    FieldSpec("domain", "choice", _ids(Domain), asked_when=PRODUCTION),
    FieldSpec("task", "choice", _ids(Task), asked_when=GENERAL),
    FieldSpec("knowledge", "choice", _ids(KnowledgeNeed)),
    FieldSpec(
        "freshness",
        "choice",
        _ids(Freshness),
        default="weekly",
        asked_when=_generation(is_("knowledge", "corpus", "small_fixed")),
    ),
    FieldSpec("prompt_pass", "choice", _ids(YesNo)),
    FieldSpec("baseline_pct", "int", minimum=0, maximum=100, asked_when=_generation(PASSED)),
    FieldSpec(
        "gaps",
        "set",
        _ids(Gap),
        asked_when=_generation(
            AnyOf((is_("prompt_pass", "no"), AllOf((PASSED, Below("baseline_pct", 100)))))
        ),
    ),
    FieldSpec(
        "quality_target_pct",
        "int",
        default=85,
        minimum=0,
        maximum=100,
        asked_when=_generation(CORPUS),
    ),
    FieldSpec("frontier_ok", "choice", _ids(YesNo)),
    FieldSpec(
        "small_model_ok", "choice", _ids(YesNo), asked_when=_generation(is_("frontier_ok", "no"))
    ),
    FieldSpec(
        "repeat_queries",
        "choice",
        _ids(RepeatQueries),
        default="sometimes",
        asked_when=_generation(CORPUS),
    ),
    FieldSpec("requests_per_day", "int", minimum=0),
    FieldSpec("tokens_per_request", "int", default=1500, minimum=1),
    FieldSpec("model", "text", default=CUSTOM),
    # only a catalogue model splits input from output
    FieldSpec(
        "output_share",
        "float",
        default=0.3,
        minimum=0,
        maximum=1,
        asked_when=_generation(IsNot("model", CUSTOM)),
    ),
    FieldSpec("price_per_mtok", "float", default=5.0, minimum=0),
    FieldSpec("engineer_quarter_usd", "float", default=60000.0, minimum=0),
)
FIELD_BY_ID: dict[str, FieldSpec] = {f.id: f for f in FIELDS}
DEFAULTS: dict[str, Any] = {f.id: f.default for f in FIELDS if f.default is not None}

# FRAMEWORK.md §6: the answers that move with time, asked again in a re-assessment.
VOLATILE_FIELDS: tuple[str, ...] = (
    "prompt_pass",
    "baseline_pct",
    "gaps",
    "frontier_ok",
    "small_model_ok",
    "requests_per_day",
    "price_per_mtok",
    "freshness",
    "quality_target_pct",
)


YES_NO_FIELDS = frozenset(f.id for f in FIELDS if f.choices == _ids(YesNo))
# The numbers "asked when" reads, and where (gaps is asked only below a baseline of 100).
ASKED_EDGES: dict[str, tuple[int, ...]] = merged_edges(f.asked_when.edges() for f in FIELDS)


def applies(field_id: str, answers: Mapping[str, Any]) -> bool:
    """Whether `field_id` is asked, given one workload's answers so far (FRAMEWORK.md §2)."""
    return FIELD_BY_ID[field_id].asked_when.holds(answers)
