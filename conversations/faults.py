"""Fault injection for tests: `RAGFT_FAULT=<point>` makes the process die at that point.

The points sit at the step boundaries of a completion and of moving its revisit into the
schedule, so tests can prove that no crash leaves a decision without a revisit.
"""

from __future__ import annotations

import os

POINTS = (
    "after_completion_commit",  # the record and its outbox entry are written (web)
    "after_outbox_index",  # the team is in the outbox index (web or clock)
    "after_revisit_scheduled",  # the revisit is in the schedule, the entry still in the outbox
)


def fault_point(name: str) -> None:
    """Die here, as kill -9 would (no cleanup, exit status 137), when RAGFT_FAULT names `name`."""
    if os.environ.get("RAGFT_FAULT") == name:
        os._exit(137)
