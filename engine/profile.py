"""The profile of FRAMEWORK.md §2: field specs, the "asked when" conditions, parsing."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

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
from engine.errors import ProfileError
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
MAX_MODEL_CHARS = 200  # longer than any catalogue id with its provider

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


def check_value(field_id: str, value: Any, *, path: str | None = None) -> Any:
    """Return `value` normalised for `field_id` (gaps as frozenset), or raise ProfileError."""
    spec = FIELD_BY_ID[field_id]
    where = path or field_id
    if spec.kind == "text":
        if not isinstance(value, str) or not value.strip() or len(value) > MAX_MODEL_CHARS:
            raise ProfileError(where, spec.accepted(), f"{where}: {value!r} is not a model id")
        model = value.strip()
        return CUSTOM if model.lower() == CUSTOM else model
    if spec.kind == "choice":
        if field_id in YES_NO_FIELDS and isinstance(value, bool):
            return "yes" if value else "no"
        if isinstance(value, str) and value in spec.choices:
            return value
        raise ProfileError(where, spec.accepted(), f"{where}: {value!r} is not accepted")
    if spec.kind == "set":
        if isinstance(value, str) or not isinstance(value, Sequence | set | frozenset):
            raise ProfileError(where, spec.accepted(), f"{where}: expected a list, got {value!r}")
        bad = [v for v in value if v not in spec.choices]
        if bad:
            raise ProfileError(where, spec.accepted(), f"{where}: {bad[0]!r} is not accepted")
        return frozenset(str(v) for v in value)
    if isinstance(value, bool) or not isinstance(value, int | float) or value != value:  # NaN
        raise ProfileError(where, spec.accepted(), f"{where}: expected a number, got {value!r}")
    if not _finite(value):  # inf, or a whole number too large for the cost arithmetic's floats
        raise ProfileError(where, spec.accepted(), f"{where}: {value!r} is out of range")
    if spec.kind == "int":
        if not float(value).is_integer():
            raise ProfileError(where, spec.accepted(), f"{where}: {value!r} is not a whole number")
        value = int(value)
    else:
        value = float(value)
    low_ok = spec.minimum is None or value >= spec.minimum
    if not low_ok or (spec.maximum is not None and value > spec.maximum):
        raise ProfileError(where, spec.accepted(), f"{where}: {value!r} is out of range")
    return value


def check_text(value: str, where: str) -> str:
    """`value` if it can be written out as UTF-8; a lone surrogate raises ProfileError."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        bad = value[exc.start]
        raise ProfileError(
            _shown(where),
            "text without lone surrogates (unpaired \\ud800–\\udfff escapes)",
            f"{_shown(where)}: {bad!r} at position {exc.start} is a lone surrogate, "
            "which no output can encode",
        ) from None
    return value


# One assessment holds at most this many workloads: the interview, the CLI and the engine.
MAX_WORKLOADS = 5


def check_workload_count(n: int) -> None:
    """Refuse an assessment of more workloads than one assessment holds."""
    if n > MAX_WORKLOADS:
        raise ProfileError(
            "workloads",
            f"a list of 1 to {MAX_WORKLOADS} workloads (split a larger system in two assessments)",
            f"workloads has {n} entries",
        )


def _shown(text: str) -> str:
    """`text` safe to print: escaped where it holds a character UTF-8 cannot encode."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def _finite(value: float) -> bool:
    try:
        return math.isfinite(value)
    except OverflowError:  # an int beyond float range
        return False


def normalise_answers(
    answers: Mapping[str, Any], *, path: str = "", engineer_quarter_usd: Any = None
) -> dict[str, Any]:
    """Walk FIELDS in order: keep fields that apply (checked), fill defaults, ignore the rest.

    Returns a plain dict (ids as str, gaps as frozenset) that the rules read directly.
    """
    out: dict[str, Any] = {}
    for spec in FIELDS:
        if not applies(spec.id, out):
            continue
        value = answers.get(spec.id)
        where = f"{path}{spec.id}"
        if value is None and spec.id == "engineer_quarter_usd" and engineer_quarter_usd is not None:
            value, where = engineer_quarter_usd, spec.id  # the top-level value, checked where used
        if value is None and spec.id == "price_per_mtok" and out.get("model", CUSTOM) != CUSTOM:
            continue  # the catalogue's price for the model: engine.assess fills it in
        if value is None:
            if spec.default is None:
                raise ProfileError(where, spec.accepted(), f"{where} is missing")
            value = spec.default
        out[spec.id] = check_value(spec.id, value, path=where)
    return out


class WorkloadProfile(BaseModel):
    """One workload: its name and its answers after the "asked when" rules, checked and with
    defaults filled (FIELDS says what each holds). Made by `parse_workload`/`parse_profile`."""

    model_config = ConfigDict(frozen=True)

    name: str
    answered: dict[str, Any]  # field id -> answer, in FIELDS order (gaps as a frozenset)

    def answers(self) -> dict[str, Any]:
        """The applicable answers as plain ids (gaps as frozenset of str), in FIELDS order."""
        return dict(self.answered)


class AssessmentProfile(BaseModel):
    """An assessment: a name and one or more workloads."""

    model_config = ConfigDict(frozen=True)

    name: str
    workloads: tuple[WorkloadProfile, ...] = Field(min_length=1)


_WORKLOAD_KEYS = frozenset({"name", *FIELD_BY_ID})


def parse_workload(
    data: Mapping[str, Any], *, index: int = 0, path: str = "", engineer_quarter_usd: Any = None
) -> WorkloadProfile:
    """Validate one workload's answers (see `normalise_answers`) into a WorkloadProfile."""
    name, answers = _workload_answers(
        data, index=index, path=path, engineer_quarter_usd=engineer_quarter_usd
    )
    return WorkloadProfile(name=name, answered=answers)


def _workload_answers(
    data: Mapping[str, Any], *, index: int, path: str, engineer_quarter_usd: Any
) -> tuple[str, dict[str, Any]]:
    unknown = sorted(str(k) for k in data if k not in _WORKLOAD_KEYS)
    if unknown:
        raise ProfileError(
            f"{path}{_shown(unknown[0])}",
            "one of " + ", ".join(sorted(_WORKLOAD_KEYS)),
            f"{path}{_shown(unknown[0])} is not a profile field",
        )
    name = data.get("name", f"Workload {index + 1}")
    if not isinstance(name, str) or not name.strip():
        raise ProfileError(f"{path}name", "a non-empty text", f"{path}name must be a text")
    check_text(name, f"{path}name")
    return name, normalise_answers(data, path=path, engineer_quarter_usd=engineer_quarter_usd)


def parse_profile(data: Any) -> AssessmentProfile:
    """Validate a profile mapping ({"name", "workloads": [...]} or one bare workload)."""
    if isinstance(data, AssessmentProfile):
        return data
    name, workloads = profile_answers(data)
    parsed = (WorkloadProfile(name=n, answered=a) for n, a in workloads)
    return AssessmentProfile(name=name, workloads=tuple(parsed))


def profile_answers(data: Any) -> tuple[str, list[tuple[str, dict[str, Any]]]]:
    """What `parse_profile` checks, without building models: the name and, per workload, its
    name and `WorkloadProfile.answers()`. Raises ProfileError exactly as `parse_profile` does."""
    if not isinstance(data, Mapping):
        raise ProfileError("profile", "a JSON object", "the profile must be a JSON object")
    if "workloads" not in data:  # one bare workload is a one-workload assessment
        workload = {k: v for k, v in data.items() if k != "name"}
        data = {"name": data.get("name", "Assessment"), "workloads": [workload]}
    name = data.get("name", "Assessment")
    if not isinstance(name, str) or not name.strip():
        raise ProfileError("name", "a non-empty text", "name must be a text")
    check_text(name, "name")
    extra = sorted(str(k) for k in data if k not in ("name", "workloads", "engineer_quarter_usd"))
    if extra:
        shown = _shown(extra[0])
        raise ProfileError(
            shown, "name, workloads, engineer_quarter_usd", f"{shown} is not a profile key"
        )
    workloads = data["workloads"]
    if isinstance(workloads, str | bytes) or not isinstance(workloads, Sequence):
        raise ProfileError("workloads", "a non-empty list of workloads", "workloads is not a list")
    if not workloads:
        raise ProfileError("workloads", "a non-empty list of workloads", "workloads is empty")
    check_workload_count(len(workloads))
    # Like any field, the shared engineer cost is checked only where a workload uses it.
    top_eq = data.get("engineer_quarter_usd")
    parsed = []
    for i, w in enumerate(workloads):
        if not isinstance(w, Mapping):
            raise ProfileError(f"workloads[{i}]", "a JSON object", f"workloads[{i}] is no object")
        path = f"workloads[{i}]."
        parsed.append(_workload_answers(w, index=i, path=path, engineer_quarter_usd=top_eq))
    return name, parsed
