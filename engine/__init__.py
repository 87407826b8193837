"""The decision engine: profile in, recommendation out. Pure: no I/O, no environment."""

from __future__ import annotations

from typing import Any

from engine.errors import CalibrationError, EngineError, ProfileError, RuleTableError
from engine.profile import (
    DEFAULTS,
    FIELDS,
    AssessmentProfile,
    FieldSpec,
    WorkloadProfile,
    applies,
    check_value,
    normalise_answers,
    parse_profile,
    parse_workload,
)

__all__ = [
    "DEFAULTS",
    "FIELDS",
    "AssessmentProfile",
    "CalibrationError",
    "EngineError",
    "FieldSpec",
    "ProfileError",
    "RuleTableError",
    "WorkloadProfile",
    "applies",
    "check_value",
    "normalise_answers",
    "parse_profile",
    "parse_workload",
]

# Loaded on first use: keeps `import engine` light and lets engine.compare import engine.assess.
_LAZY = {
    "assess": "engine.assess",
    "Assessment": "engine.assess",
    "WorkloadResult": "engine.assess",
    "load_calibration": "engine.costs",
    "Calibration": "engine.costs",
    "to_markdown": "engine.record",
    "compare": "engine.compare",
    "Comparison": "engine.compare",
}
__all__ += list(_LAZY)


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'engine' has no attribute {name!r}")
