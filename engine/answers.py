"""Reading a profile (FRAMEWORK.md §2): each answer checked against its field, defaults
filled, fields that are not asked dropped; the models `parse_profile` builds."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from engine.errors import ProfileError
from engine.prices import CUSTOM
from engine.profile import FIELD_BY_ID, FIELDS, YES_NO_FIELDS, applies

MAX_MODEL_CHARS = 200  # longer than any catalogue id with its provider


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
