"""`ragft web` as the README starts it sends the yearly nudges itself; a web process told that a
separate clock sends them says so, and warns in its log and /healthz while no clock ticks."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import redis

from bot.playground.web_child import WebChild
from bot.standin.server import SlackStandIn
from tests.e2e.test_revisit_clocks import deliveries, seed, wait_delivered

pytestmark = pytest.mark.slow
REPO = Path(__file__).resolve().parents[2]
TICK = "0.2"  # the watch allows 12 ticks of silence: 2.4 s


@pytest.fixture
def standin() -> Iterator[SlackStandIn]:
    with SlackStandIn() as server:
        yield server


def web(standin: SlackStandIn, redis_url: str, tmp_path: Path, **env: str) -> WebChild:
    """`ragft web` with no flags, as README and the Procfile's web line run it."""
    fd, log_path = tempfile.mkstemp(prefix="ragft-web-", suffix=".log", dir=tmp_path)
    os.close(fd)
    base = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "REDIS_", "RAGFT_"))}
    return WebChild(
        {
            **base,
            "SLACK_API_URL": standin.api_url,
            "SLACK_BOT_TOKEN": "xoxb-fake-token",
            "SLACK_SIGNING_SECRET": "fake-signing-secret",
            "SLACK_APP_TOKEN": "",
            "REDIS_URL": redis_url,
            "REVISIT_TICK_SECONDS": TICK,
            "LOG_FORMAT": "json",
            "RAGFT_DATA_DIR": str(tmp_path),
            **env,
        },
        Path(log_path),
        cwd=REPO,
    )


def healthz(child: WebChild) -> dict[str, Any]:
    with urllib.request.urlopen(f"{child.url}/healthz", timeout=5) as response:
        report: dict[str, Any] = json.loads(response.read())
    return report


def logged(child: WebChild, event: str) -> list[dict[str, Any]]:
    lines = [json.loads(line) for line in child.logs().splitlines() if line.startswith("{")]
    return [line for line in lines if line.get("event") == event]


def test_ragft_web_with_no_flags_sends_a_due_nudge(
    standin: SlackStandIn, redis_client: redis.Redis, redis_url: str, tmp_path: Path
) -> None:
    """The safe default: plain `ragft web` ticks, so a due revisit reaches the owner's DM and
    the thread; the start-up log and /healthz say this process sends them."""
    ids = seed(redis_client, 1, time.time() - 1)
    child = web(standin, redis_url, tmp_path).start()
    try:
        wait_delivered(standin, ids, timeout=30)
        assert set(deliveries(standin).values()) == {1}
        started = logged(child, "revisits_sent_by")
        assert started and started[0]["sent_by"] == "this process"
        report = healthz(child)["revisits"]
        assert report["sent_by"] == "this process"
        assert report["sending"] is True and report["last_tick"]
    finally:
        child.stop()


def test_a_web_process_waiting_on_a_clock_that_never_ticks_warns(
    standin: SlackStandIn, redis_client: redis.Redis, redis_url: str, tmp_path: Path
) -> None:
    """RAGFT_CLOCK=separate with no `ragft clock` running: nothing is sent, and within a few
    ticks' time the log and /healthz say no clock is ticking and what to start."""
    ids = seed(redis_client, 1, time.time() - 1)
    child = web(standin, redis_url, tmp_path, RAGFT_CLOCK="separate").start()
    try:
        assert healthz(child)["revisits"]["sent_by"] == "a separate `ragft clock`"
        deadline = time.monotonic() + 20
        while not logged(child, "revisit_clock_silent") and time.monotonic() < deadline:
            time.sleep(0.2)
        warnings = logged(child, "revisit_clock_silent")
        assert warnings, child.logs()[-2000:]
        assert "ragft clock" in warnings[0]["warning"]
        report = healthz(child)
        assert report["ok"] is True  # Slack requests are still served
        assert report["revisits"]["sending"] is False
        assert report["revisits"]["last_tick"] is None
        assert "ragft clock" in report["revisits"]["warning"]
        assert deliveries(standin) == {} and ids
    finally:
        child.stop()


def test_the_warning_clears_when_a_clock_ticks(
    standin: SlackStandIn, redis_client: redis.Redis, redis_url: str, tmp_path: Path
) -> None:
    """A real clock's tick (`ragft clock --once`) is what the web process's /healthz reads."""
    child = web(standin, redis_url, tmp_path, RAGFT_CLOCK="separate").start()
    try:
        assert healthz(child)["revisits"]["last_tick"] is None
        clock = subprocess.run(
            [sys.executable, "-m", "bot.cli", "clock", "--once"],
            env=child.env,
            cwd=REPO,
            capture_output=True,
            timeout=60,
        )
        assert clock.returncode == 0, clock.stderr[-2000:]
        report = healthz(child)["revisits"]
        assert report["sending"] is True and report["last_tick"]
    finally:
        child.stop()
