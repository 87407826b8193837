"""What reaches the app: nothing unverified acts, nothing oversized is read, every text arrives.

Against a real `ragft web` process and the Web API stand-in, with requests signed as
Slack signs them (reliability review B1, B3, B10).
"""

from __future__ import annotations

import json
import socket
import time
from urllib.parse import urlencode, urlparse

import psutil
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.request_gate import MAX_BODY_BYTES
from bot.standin.server import SlackStandIn
from bot.standin.signing import SignedSender
from tests.e2e.harness import WebProcess

FORM = "application/x-www-form-urlencoded"


@pytest.fixture
def shared_web(web: WebProcess, standin: SlackStandIn) -> tuple[WebProcess, SlackStandIn]:
    """One app for every example of a property test."""
    return web, standin


def _command_form(standin: SlackStandIn, **extra: str) -> dict[str, str]:
    return {
        "team_id": "T0PLAYGND",
        "team_domain": "playground",
        "channel_id": "C0PLAYGND",
        "channel_name": "ragft",
        "user_id": "U0PLAYER",
        "user_name": "player",
        "command": "/ragft",
        "text": "list",
        "trigger_id": "1.abc",
        "response_url": f"{standin.url}response/ssrf",
        **extra,
    }


def _raw_post(web: WebProcess, headers: dict[str, str], body: bytes) -> int:
    """POST with exactly these headers (no signing); the HTTP status."""
    url = urlparse(web.sender.url)
    lines = [f"POST {url.path} HTTP/1.1", f"Host: {url.netloc}", "Connection: close"]
    lines += [f"{k}: {v}" for k, v in headers.items()]
    with socket.create_connection((url.hostname, url.port), timeout=10) as sock:
        sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
        status_line = sock.makefile("rb").readline().decode()
    return int(status_line.split()[1])


def test_malformed_signature_headers_are_refused_and_nothing_acts(
    web: WebProcess, standin: SlackStandIn
) -> None:
    """A timestamp that is not a number gets 401; no response_url call, no ephemeral (B1)."""
    form = urlencode(_command_form(standin)).encode()
    for ts in ("abc", "1e3", "", "99999999999999999999999"):
        headers = {
            "Content-Type": FORM,
            "Content-Length": str(len(form)),
            "X-Slack-Request-Timestamp": ts,
            "X-Slack-Signature": "v0=00",
        }
        assert _raw_post(web, headers, form) == 401, ts
    event = json.dumps(
        {
            "type": "event_callback",
            "team_id": "T0PLAYGND",
            "event_id": "EvVICTIM",
            "event": {
                "type": "message",
                "channel": "CVICTIM",
                "user": "UVICTIM",
                "text": "x",
                "ts": "1.000001",
                "thread_ts": "1.000000",
            },
        }
    ).encode()
    headers = {
        "Content-Type": "application/json",
        "Content-Length": str(len(event)),
        "X-Slack-Request-Timestamp": "1e3",
        "X-Slack-Signature": "v0=00",
    }
    assert _raw_post(web, headers, event) == 401
    time.sleep(0.5)
    assert standin.responses == []
    assert standin.calls_to("chat.postEphemeral") == []
    assert "Traceback" not in web.logs()


def test_oversized_bodies_are_refused_before_they_are_read(web: WebProcess) -> None:
    """A 100 MB unsigned body is answered 413 from its length; worker memory stays flat (B10)."""
    worker = psutil.Process(web.proc.pid).children(recursive=True)[0]
    before = worker.memory_info().rss
    for _ in range(8):
        headers = {"Content-Type": "application/json", "Content-Length": str(100 * 1024 * 1024)}
        assert _raw_post(web, headers, b"{" * 65536) == 413
    assert worker.memory_info().rss - before < 20 * 1024 * 1024
    just_over = b"x" * (MAX_BODY_BYTES + 1)
    assert web.sender.send_raw(just_over, FORM).status == 413


def test_garbage_gets_a_quiet_4xx(web: WebProcess) -> None:
    """Unsigned or signed garbage is a 4xx, with no traceback in the log (B10)."""
    assert web.sender.send_raw(b"{not json", "application/json", forge=True).status == 401
    assert web.sender.send_raw(b"{not json", "application/json").status == 400
    assert web.sender.send_raw(b"payload=%7Bnope", FORM).status == 400
    not_utf8 = {
        "Content-Type": FORM,
        "Content-Length": "2",
        "X-Slack-Request-Timestamp": str(int(time.time())),
        "X-Slack-Signature": "v0=00",
    }
    assert _raw_post(web, not_utf8, b"\xff\xfe") == 401
    assert web.sender.send_raw(b"[1, 2]", "application/json").status == 400
    assert "Traceback" not in web.logs()


def test_the_word_payload_anywhere_in_a_command_is_just_text(
    web: WebProcess, standin: SlackStandIn
) -> None:
    """`/ragft assess payload parser`, or any command in #payload-team, is handled (B3)."""
    sender = web.sender
    assert sender.command("list", channel_name="payload-team").status == 200
    assert sender.command("list", user_name="payload.bot", team_domain="payloadco").status == 200
    assert sender.command("assess payload parser").status == 200
    root = standin.wait_for(
        lambda: [m for m in standin.bot_messages() if "payload parser" in m.get("text", "")]
    )
    assert root


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    text=st.text(max_size=60),
    channel_name=st.text(min_size=1, max_size=30),
    user_name=st.text(min_size=1, max_size=30),
    team_domain=st.text(min_size=1, max_size=30),
)
def test_any_command_text_arrives(
    shared_web: tuple[WebProcess, SlackStandIn],
    text: str,
    channel_name: str,
    user_name: str,
    team_domain: str,
) -> None:
    """Whatever a person types, and whatever the channel, user and workspace are called,
    a signed `/ragft` command is acknowledged with an answer, never dropped (B3)."""
    web, _ = shared_web
    text = "help " + text  # a verb that only answers, whatever follows
    surrogate_free = {
        k: v.encode("utf-8", "replace").decode()
        for k, v in {
            "channel_name": channel_name,
            "user_name": user_name,
            "team_domain": team_domain,
        }.items()
    }
    response = web.sender.command(text.encode("utf-8", "replace").decode(), **surrogate_free)
    assert response.status == 200
    assert response.body


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(value=st.text(max_size=80), reply=st.text(min_size=1, max_size=80))
def test_any_button_value_or_reply_is_answered_not_dropped(
    shared_web: tuple[WebProcess, SlackStandIn], value: str, reply: str
) -> None:
    """A button value or a thread reply of any text gets a 200 (handled, not a 404)."""
    web, _ = shared_web
    value = value.encode("utf-8", "replace").decode()
    reply = reply.encode("utf-8", "replace").decode()
    sender: SignedSender = web.sender
    action = {"action_id": "ragft_answer_0", "block_id": "q", "value": value}
    assert sender.block_action(action).status == 200
    assert sender.message(reply, thread_ts="1.000001").status == 200
