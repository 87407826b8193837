"""The profile of FRAMEWORK.md §2: field specs, the "asked when" conditions, parsing."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from engine.choices import Deployment as Deployment
from engine.choices import Domain as Domain
from engine.choices import Freshness as Freshness
from engine.choices import Gap as Gap
from engine.choices import KnowledgeNeed as KnowledgeNeed
from engine.choices import RepeatQueries as RepeatQueries
from engine.choices import Task as Task
from engine.choices import YesNo as YesNo
from engine.errors import ProfileError
from engine.prices import CUSTOM

FieldKind = Literal["choice", "int", "float", "set", "text"]


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """One profile field: its id, kind, accepted ids (list order), default and bounds."""

    id: str
    kind: FieldKind
    choices: tuple[str, ...] = ()
    default: Any = None
    minimum: float | None = None
    maximum: float | None = None

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


FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("deployment", "choice", _ids(Deployment)),
    FieldSpec("domain", "choice", _ids(Domain)),
    FieldSpec("task", "choice", _ids(Task)),
    FieldSpec("knowledge", "choice", _ids(KnowledgeNeed)),
    FieldSpec("freshness", "choice", _ids(Freshness), default="weekly"),
    FieldSpec("prompt_pass", "choice", _ids(YesNo)),
    FieldSpec("baseline_pct", "int", minimum=0, maximum=100),
    FieldSpec("gaps", "set", _ids(Gap)),
    FieldSpec("quality_target_pct", "int", default=85, minimum=0, maximum=100),
    FieldSpec("frontier_ok", "choice", _ids(YesNo)),
    FieldSpec("small_model_ok", "choice", _ids(YesNo)),
    FieldSpec("repeat_queries", "choice", _ids(RepeatQueries), default="sometimes"),
    FieldSpec("requests_per_day", "int", minimum=0),
    FieldSpec("tokens_per_request", "int", default=1500, minimum=1),
    FieldSpec("model", "text", default=CUSTOM),
    FieldSpec("output_share", "float", default=0.3, minimum=0, maximum=1),
    FieldSpec("price_per_mtok", "float", default=5.0, minimum=0),
    FieldSpec("engineer_quarter_usd", "float", default=60000.0, minimum=0),
)
FIELD_BY_ID: dict[str, FieldSpec] = {f.id: f for f in FIELDS}
DEFAULTS: dict[str, Any] = {f.id: f.default for f in FIELDS if f.default is not None}
MAX_MODEL_CHARS = 200  # longer than any catalogue id with its provider
YES_NO_FIELDS = frozenset({"prompt_pass", "frontier_ok", "small_model_ok"})

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


def _val(answers: Mapping[str, Any], field_id: str) -> object:
    value = answers.get(field_id)
    if field_id in YES_NO_FIELDS and isinstance(value, bool):
        return "yes" if value else "no"
    return value


def applies(field_id: str, answers: Mapping[str, Any]) -> bool:
    """Whether `field_id` is asked, given one workload's answers so far (FRAMEWORK.md §2)."""
    # Hot (every answer, every flip candidate): plain lookups; _val only where bools may occur.
    if field_id == "deployment":
        return True
    get = answers.get
    production = get("deployment") == "production"
    if field_id == "domain":
        return production
    if field_id == "task":
        return production and get("domain") == "general"
    if field_id not in FIELD_BY_ID:
        raise KeyError(field_id)
    if not (production and get("domain") == "general" and get("task") == "generation"):
        return False
    if field_id == "freshness" or field_id == "quality_target_pct" or field_id == "repeat_queries":
        knowledge = get("knowledge")
        return knowledge == "corpus" or (field_id == "freshness" and knowledge == "small_fixed")
    if field_id == "baseline_pct":
        return _val(answers, "prompt_pass") == "yes"
    if field_id == "gaps":
        passed = _val(answers, "prompt_pass")
        baseline = get("baseline_pct")
        return passed == "no" or (
            passed == "yes" and isinstance(baseline, int | float) and baseline < 100
        )
    if field_id == "small_model_ok":
        return _val(answers, "frontier_ok") == "no"
    if field_id == "output_share":  # only a catalogue model splits input from output
        return bool(get("model", CUSTOM) != CUSTOM)
    return True  # knowledge, prompt_pass, frontier_ok and the cost inputs


# The numbers "asked when" reads, and where: gaps is asked only below a baseline of 100.
ASKED_EDGES: dict[str, tuple[int, ...]] = {"baseline_pct": (100,)}


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
    """One workload's answers after the "asked when" rules: non-applicable fields are None."""

    model_config = ConfigDict(frozen=True)

    name: str
    deployment: Deployment
    domain: Domain | None = None
    task: Task | None = None
    knowledge: KnowledgeNeed | None = None
    freshness: Freshness | None = None
    prompt_pass: YesNo | None = None
    baseline_pct: int | None = Field(default=None, ge=0, le=100)
    gaps: frozenset[Gap] | None = None
    quality_target_pct: int | None = Field(default=None, ge=0, le=100)
    frontier_ok: YesNo | None = None
    small_model_ok: YesNo | None = None
    repeat_queries: RepeatQueries | None = None
    requests_per_day: int | None = Field(default=None, ge=0)
    tokens_per_request: int | None = Field(default=None, ge=1)
    model: str | None = None
    output_share: float | None = Field(default=None, ge=0, le=1)
    price_per_mtok: float | None = Field(default=None, ge=0)
    engineer_quarter_usd: float | None = Field(default=None, ge=0)

    def answers(self) -> dict[str, Any]:
        """The applicable answers as plain ids (gaps as frozenset of str), in FIELDS order."""
        out: dict[str, Any] = {}
        for spec in FIELDS:
            value = getattr(self, spec.id)
            if value is None:
                continue
            if spec.kind == "set":
                out[spec.id] = frozenset(str(g) for g in value)
            elif spec.kind == "choice":
                out[spec.id] = str(value)
            else:
                out[spec.id] = value
        return out


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
    return WorkloadProfile.model_validate({"name": name, **answers})


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
    parsed = (WorkloadProfile.model_validate({"name": n, **a}) for n, a in workloads)
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
