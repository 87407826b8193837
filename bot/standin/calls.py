"""A call the app made to the stand-in, as recorded for tests and benchmarks."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Call"]


@dataclass
class Call:
    """One request the app made: the API method, its arguments and its headers."""

    method: str
    args: dict[str, Any]
    headers: dict[str, str]
    team: str | None = None  # the workspace whose token made the call (OAuth tokens)
    status: int = 200
    response: dict[str, Any] = field(default_factory=dict)
    at: float = field(default_factory=time.monotonic)
