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
import threading
from collections.abc import Callable
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

from engine.curves import workload_curves
from engine.result import AssessmentResult

__all__ = ["DrawingProcess", "Drawn", "drawing_process", "drawn"]

T = TypeVar("T")

# (workload index, PNG bytes, alt text, the workload's name or None)
Drawn = tuple[int, bytes, str, str | None]


def _lowest_priority() -> None:
    with contextlib.suppress(OSError):
        os.nice(19)


def _one_process() -> ProcessPoolExecutor:
    return ProcessPoolExecutor(
        max_workers=1,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_lowest_priority,
    )


class DrawingProcess(Executor):
    """One process that draws charts, started on first use (spawned: nothing of the web
    process's threads and locks comes along). If it dies (killed, out of memory), the chart
    it held fails and the next one starts a new process, instead of charts stopping until
    the web process restarts."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pool = _one_process()

    def submit(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> Future[T]:
        pool = self._pool
        try:
            return pool.submit(fn, *args, **kwargs)
        except BrokenProcessPool:
            with self._lock:
                if self._pool is pool:
                    self._pool = _one_process()
                pool = self._pool
            return pool.submit(fn, *args, **kwargs)

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        self._pool.shutdown(wait=wait, cancel_futures=cancel_futures)


def drawing_process() -> DrawingProcess:
    """The web process's drawing process."""
    return DrawingProcess()


def drawn(result: AssessmentResult) -> list[Drawn]:
    """Every costed workload's chart of `result`: what the drawing process hands back."""
    from bot.charts import chart_alt_text, render_cost_chart

    return [
        (index, render_cost_chart(curves), chart_alt_text(curves), curves.workload)
        for index, w in enumerate(result.workloads)
        if (curves := workload_curves(w)) is not None
    ]
