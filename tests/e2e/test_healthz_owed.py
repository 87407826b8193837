"""/healthz counts the deliveries given up, for an operator's monitoring (`ragft owed`)."""

from __future__ import annotations

import json
import urllib.request
from typing import Any

import pytest
import redis

from conversations.storage.keys import ThreadKey
from conversations.storage.owed import GivenUp
from tests.e2e.harness import WebProcess

pytestmark = pytest.mark.slow


def _health(web: WebProcess) -> dict[str, Any]:
    with urllib.request.urlopen(f"{web.url}/healthz", timeout=5) as response:
        body: dict[str, Any] = json.loads(response.read())
        return body


def test_healthz_counts_the_deliveries_owed(web: WebProcess, redis_client: redis.Redis) -> None:
    health = _health(web)
    assert (health["ok"], health["redis"], health["owed"]) == (True, "up", 0)
    GivenUp(redis_client).add(ThreadKey("T1", "C1", "1.1"), "Ev1", user="U1", error="SlackApiError")
    assert _health(web)["owed"] == 1
