"""What the bot's tests share: a Slack Web API stand-in on loopback."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.standin.server import SlackStandIn


@pytest.fixture
def standin() -> Iterator[SlackStandIn]:
    """A Slack Web API stand-in on loopback, stopped after the test."""
    with SlackStandIn() as server:
        yield server
