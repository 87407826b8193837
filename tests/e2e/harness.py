"""The end-to-end harness: the real `ragft web` process against the Slack stand-in.

Fixtures (tests/e2e/conftest.py):

- `standin` — a `SlackStandIn` on loopback (`standin.api_url` is the app's SLACK_API_URL).
  Assert on `standin.calls`, `standin.calls_to(method)`, `standin.bot_messages(channel)`;
  wait with `standin.wait_for_call(method, where, timeout)` or `standin.wait_for(pred)`;
  program failures with `standin.fail_next("chat.postMessage", status=429, retry_after=1)`.
- `web` — a started `WebProcess`: `ragft web` as a subprocess (gunicorn, gthread) with
  SLACK_API_URL = the stand-in, REDIS_URL = the test's `redis_url`, fake tokens, a free
  PORT, LOG_FORMAT=json, ready once `/healthz` says 200. `web.sender` is a `SignedSender`
  to its `/slack/events` (`command`, `message`, `event`, `block_action`, `send_raw`);
  `web.kill()` is kill -9 of the whole process group, `web.restart()` starts it again on
  the same port, `web.logs()` is what it wrote to stderr.
- `start_web(env=..., with_ticker=...)` — start another one with extra
  environment (e.g. `{"REVISIT_AFTER": "PT2S", "REVISIT_TICK_SECONDS": "0.5"}`).
- `SocketModeWebProcess(standin, redis_url)` — `ragft web` over Socket Mode (SLACK_APP_TOKEN
  set): ready once its socket is open; its `sender` sends envelopes down the socket.
- `press(sender, message, action_index=0)` — press a button of a stand-in message.
- `start_clock(env=..., redis_url=...)` — a `ClockProcess`: `ragft clock` on the stand-in and
  the test Redis (ticking every 0.2 s); `clock.kill()` is kill -9, `clock.proc` the Popen.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from bot.playground.web_child import WebChild
from bot.standin.server import SlackStandIn
from bot.standin.signing import SignedSender, SlackResponse
from bot.standin.socket_sender import SocketSender

SIGNING_SECRET = "fake-signing-secret-for-tests"
BOT_TOKEN = "xoxb-fake-token"
APP_TOKEN = "xapp-1-A0RAGFT-fake-app-token"
REPO = Path(__file__).resolve().parents[2]


class WebProcess(WebChild):
    """`ragft web` in a child process with the test's settings; kill -9 and restart too."""

    def __init__(
        self,
        standin: SlackStandIn,
        redis_url: str | None,
        *,
        env: dict[str, str] | None = None,
        with_ticker: bool = False,
        data_dir: str | None = None,
    ) -> None:
        fd, log_path = tempfile.mkstemp(prefix="ragft-web-", suffix=".log")
        os.close(fd)
        extra = ["--clock", "inline" if with_ticker else "separate"]
        super().__init__(
            {
                **{k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "REDIS_"))},
                "SLACK_API_URL": standin.api_url,
                "SLACK_BOT_TOKEN": BOT_TOKEN,
                "SLACK_SIGNING_SECRET": SIGNING_SECRET,
                "SLACK_APP_TOKEN": "",
                "LOG_FORMAT": "json",
                "RAGFT_DATA_DIR": data_dir or tempfile.mkdtemp(prefix="ragft-e2e-"),
                **({"REDIS_URL": redis_url} if redis_url else {}),
                **(env or {}),
            },
            Path(log_path),
            extra,
            cwd=REPO,
        )
        self.sender = SignedSender(
            f"{self.url}/slack/events", SIGNING_SECRET, response_url_base=standin.url
        )

    def restart(self, timeout: float = 30.0) -> WebProcess:
        self.kill()
        return self.start(timeout)


class SocketModeWebProcess(WebProcess):
    """`ragft web` over Socket Mode (SLACK_APP_TOKEN set, no signing secret): ready once its
    socket to the stand-in is open; `sender` sends envelopes down that socket."""

    def __init__(self, standin: SlackStandIn, redis_url: str | None, **kwargs: Any) -> None:
        env = {"SLACK_APP_TOKEN": APP_TOKEN, "SLACK_SIGNING_SECRET": "", **kwargs.pop("env", {})}
        super().__init__(standin, redis_url, env=env, **kwargs)
        self.standin = standin
        self.sender = SocketSender(standin.sockets, response_url_base=standin.url)

    def health(self) -> int | None:
        """200 once the app holds an open socket (Socket Mode serves no HTTP)."""
        return 200 if self.standin.sockets.connected() else None


def press(
    sender: SignedSender, message: dict[str, Any], action_index: int = 0, **kwargs: Any
) -> SlackResponse:
    """Press the `action_index`-th button (across all actions blocks) of a posted message."""
    buttons = [
        (block.get("block_id"), element)
        for block in message.get("blocks") or []
        if block.get("type") == "actions"
        for element in block.get("elements", [])
    ]
    block_id, element = buttons[action_index]
    action = {
        "action_id": element["action_id"],
        "block_id": block_id,
        "value": element.get("value", ""),
        "type": element.get("type", "button"),
        "text": element.get("text"),
    }
    return sender.block_action(action, message=message, **kwargs)


class ClockProcess:
    """`ragft clock` in a child process on the stand-in and a Redis; its log in a temp file."""

    def __init__(
        self, standin: SlackStandIn, redis_url: str, *, env: dict[str, str] | None = None
    ) -> None:
        fd, log_path = tempfile.mkstemp(prefix="ragft-clock-", suffix=".log")
        os.close(fd)
        self.log_path = Path(log_path)
        self.env = {
            **{
                k: v
                for k, v in os.environ.items()
                if not k.startswith(("SLACK_", "REDIS_", "REVISIT_", "RAGFT_"))
            },
            "REDIS_URL": redis_url,
            "SLACK_API_URL": standin.api_url,
            "SLACK_BOT_TOKEN": BOT_TOKEN,
            "REVISIT_TICK_SECONDS": "0.2",
            "LOG_FORMAT": "json",
            "RAGFT_DATA_DIR": tempfile.mkdtemp(prefix="ragft-clock-"),
            **(env or {}),
        }
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> ClockProcess:
        with open(self.log_path, "ab") as log:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "bot.cli", "clock"],
                env=self.env,
                cwd=REPO,
                stdout=log,
                stderr=log,
                start_new_session=True,
            )
        return self

    def logs(self) -> str:
        return self.log_path.read_text(errors="replace")

    def kill(self) -> None:
        """kill -9 of the clock's process group."""
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(10)

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.kill()
