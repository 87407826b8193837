"""Charts are drawn in a process of their own, at the lowest CPU priority.

Drawing a chart is about a second of matplotlib, holding the interpreter lock all along: on
a thread of the web process it would stall every interview step of that process behind it
(bench/slack.py measured the last answer's recommendation at 2.3 s, p50, with charts drawn
in process). Here the web process only waits on the answer, as it waits on Slack.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
from concurrent.futures import Executor, ProcessPoolExecutor

from engine.result import AssessmentResult

__all__ = ["Drawn", "drawing_process", "drawn"]

# (workload index, PNG bytes, alt text, the workload's name or None)
Drawn = tuple[int, bytes, str, str | None]


def _lowest_priority() -> None:
    with contextlib.suppress(OSError):
        os.nice(19)


def drawing_process() -> Executor:
    """One process that draws charts, started on first use (spawned: nothing of the web
    process's threads and locks comes along)."""
    return ProcessPoolExecutor(
        max_workers=1,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_lowest_priority,
    )


def drawn(result: AssessmentResult) -> list[Drawn]:
    """Every costed workload's chart of `result`: what the drawing process hands back."""
    from bot.charts import chart_alt_text, render_cost_chart, result_curves

    return [
        (index, render_cost_chart(curves), chart_alt_text(curves), curves.workload)
        for index, curves in result_curves(result)
    ]
