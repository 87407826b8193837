"""Errors the engine raises; every message names the offending field or key."""

from __future__ import annotations


class EngineError(Exception):
    """Base class for everything the engine raises on bad input."""


class ProfileError(EngineError, ValueError):
    """A profile value is missing or not accepted.

    `field` is the path of the field (`workloads[1].baseline_pct`), `accepted` says what it takes.
    """

    def __init__(self, field: str, accepted: str, message: str | None = None) -> None:
        self.field = field
        self.accepted = accepted
        self.message = message or f"{field}: not accepted"
        super().__init__(f"{self.message} (accepted: {accepted})")


class RuleTableError(EngineError):
    """The rule table is inconsistent (duplicate id, missing citation, unknown effect)."""


class CalibrationError(EngineError, ValueError):
    """A calibration file is unreadable or names a figure we do not know."""

    def __init__(self, key: str, message: str) -> None:
        self.key = key
        super().__init__(f"calibration {key}: {message}")
