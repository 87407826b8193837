"""What the bot's tests share: a Slack Web API stand-in on loopback, and the tests' own
calibration, on which every view, chart and message is tested."""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.standin.server import SlackStandIn
from engine.calibration import Calibration, calibration_table

TEST_CALIBRATION: Calibration = calibration_table(
    (Path(__file__).with_name("calibration.toml")).read_text(encoding="utf-8")
)


@pytest.fixture(autouse=True)
def test_calibration(monkeypatch: pytest.MonkeyPatch) -> Calibration:
    """The tests' calibration stands in for the shipped one (engine/calibration.toml) in this
    process, so a shipped figure can change without a UI test changing. The `ragft assess`
    tests run the command in a process of its own: they check the shipped figures."""
    for name in ("engine.calibration", "engine.assess"):  # where it is defined and called
        module = importlib.import_module(name)
        monkeypatch.setattr(module, "default_calibration", lambda: TEST_CALIBRATION)
    return TEST_CALIBRATION


@pytest.fixture
def standin() -> Iterator[SlackStandIn]:
    """A Slack Web API stand-in on loopback, stopped after the test."""
    with SlackStandIn() as server:
        yield server
