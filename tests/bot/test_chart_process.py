"""The drawing process comes back after it dies: one chart fails, the next is drawn."""

from __future__ import annotations

import os
from concurrent.futures.process import BrokenProcessPool

import pytest

from bot.chart_process import DrawingProcess


def test_a_dead_drawing_process_is_replaced_for_the_next_chart() -> None:
    drawing = DrawingProcess()
    try:
        assert drawing.submit(abs, -3).result(timeout=60) == 3
        with pytest.raises(BrokenProcessPool):
            drawing.submit(os._exit, 1).result(timeout=60)  # killed mid-chart
        assert drawing.submit(abs, -4).result(timeout=60) == 4
    finally:
        drawing.shutdown(wait=True)
