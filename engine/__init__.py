"""The decision engine: profile in, recommendation out. Pure: no I/O, no environment."""

from __future__ import annotations

from engine.answers import (
    MAX_WORKLOADS,
    AssessmentProfile,
    WorkloadProfile,
    check_value,
    normalise_answers,
    parse_profile,
    parse_workload,
)
from engine.assess import assess
from engine.calibration import Calibration, default_calibration, load_calibration
from engine.compare import Comparison, compare
from engine.errors import CalibrationError, EngineError, ProfileError, RuleTableError
from engine.profile import DEFAULTS, FIELDS, VOLATILE_FIELDS, FieldSpec, applies
from engine.record import to_markdown
from engine.result import AssessmentResult, WorkloadRecommendation

__all__ = [
    "DEFAULTS",
    "FIELDS",
    "MAX_WORKLOADS",
    "VOLATILE_FIELDS",
    "AssessmentProfile",
    "AssessmentResult",
    "Calibration",
    "CalibrationError",
    "Comparison",
    "EngineError",
    "FieldSpec",
    "ProfileError",
    "RuleTableError",
    "WorkloadProfile",
    "WorkloadRecommendation",
    "applies",
    "assess",
    "check_value",
    "compare",
    "default_calibration",
    "load_calibration",
    "normalise_answers",
    "parse_profile",
    "parse_workload",
    "to_markdown",
]
