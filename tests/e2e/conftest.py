"""End-to-end fixtures; see tests/e2e/harness.py for what each gives."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from bot.standin.server import SlackStandIn
from bot.standin.signing import SignedSender
from tests.e2e.harness import ClockProcess, WebProcess


@pytest.fixture
def standin() -> Iterator[SlackStandIn]:
    """A Slack Web API stand-in on loopback."""
    with SlackStandIn() as server:
        yield server


@pytest.fixture
def start_web(
    standin: SlackStandIn, redis_url: str, redis_client: Any
) -> Iterator[Callable[..., WebProcess]]:
    """Start `ragft web` processes on the stand-in and the test Redis; all stopped afterwards."""
    started: list[WebProcess] = []

    def start(**kwargs: Any) -> WebProcess:
        web = WebProcess(standin, kwargs.pop("redis_url", redis_url), **kwargs).start()
        started.append(web)
        return web

    yield start
    for web in started:
        web.stop()


@pytest.fixture
def web(start_web: Callable[..., WebProcess]) -> WebProcess:
    """The real app in a `ragft web` process, healthy."""
    return start_web()


@pytest.fixture
def sender(web: WebProcess) -> SignedSender:
    """Signed requests to the running app's /slack/events."""
    return web.sender


@pytest.fixture
def start_clock(standin: SlackStandIn, redis_url: str) -> Iterator[Callable[..., ClockProcess]]:
    """Start `ragft clock` processes on the stand-in and the test Redis; all stopped afterwards."""
    started: list[ClockProcess] = []

    def start(**kwargs: Any) -> ClockProcess:
        clock = ClockProcess(standin, kwargs.pop("redis_url", redis_url), **kwargs).start()
        started.append(clock)
        return clock

    yield start
    for clock in started:
        clock.stop()
