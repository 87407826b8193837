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
- `start_web(env=..., factory=..., with_ticker=...)` — start another one with extra
  environment (e.g. `{"REVISIT_AFTER": "PT2S", "REVISIT_TICK_SECONDS": "0.5"}`).
- `press(sender, message, action_index=0)` — press a button of a stand-in message.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from bot.signing import SignedSender, SlackResponse
from bot.slack_standin import SlackStandIn

SIGNING_SECRET = "fake-signing-secret-for-tests"
BOT_TOKEN = "xoxb-fake-token"
REPO = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class WebProcess:
    """`ragft web` in a child process; start, wait until healthy, kill -9, restart."""

    def __init__(
        self, standin: SlackStandIn, redis_url: str | None, *, env: dict[str, str] | None = None,
        factory: str | None = None, with_ticker: bool = False, data_dir: str | None = None,
    ) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        fd, self.log_path = tempfile.mkstemp(prefix="ragft-web-", suffix=".log")
        os.close(fd)
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "REDIS_"))},
            "PORT": str(self.port), "SLACK_API_URL": standin.api_url,
            "SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_SIGNING_SECRET": SIGNING_SECRET,
            "SLACK_APP_TOKEN": "", "LOG_FORMAT": "json",
            "RAGFT_DATA_DIR": data_dir or tempfile.mkdtemp(prefix="ragft-e2e-"),
            **({"REDIS_URL": redis_url} if redis_url else {}),
            **(env or {}),
        }
        self.args = [sys.executable, "-m", "bot.cli", "web", "--host", "127.0.0.1"]
        if factory:
            self.args += ["--factory", factory]
        if with_ticker:
            self.args.append("--with-ticker")
        self.sender = SignedSender(f"{self.url}/slack/events", SIGNING_SECRET,
                                   response_url_base=standin.url)
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 30.0) -> WebProcess:
        with open(self.log_path, "ab") as log:  # the child keeps its own copy of the descriptor
            self.proc = subprocess.Popen(self.args, env=self.env, cwd=REPO, stdout=log,
                                         stderr=log, start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"ragft web exited with {self.proc.returncode}:\n{self.logs()}")
            if self.health() == 200:
                return self
            time.sleep(0.1)
        raise TimeoutError(f"ragft web not healthy after {timeout}s:\n{self.logs()}")

    def health(self) -> int | None:
        try:
            with urllib.request.urlopen(f"{self.url}/healthz", timeout=2) as response:
                return int(response.status)
        except urllib.error.HTTPError as err:
            return err.code
        except OSError:
            return None

    def logs(self) -> str:
        return Path(self.log_path).read_text(errors="replace")

    def kill(self) -> None:
        """kill -9 the server and its workers, as a crash would."""
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(10)

    def stop(self) -> int | None:
        """A graceful stop (SIGTERM), as a deploy would; returns the exit status."""
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(5)
        with_group = self.proc.pid if self.proc else None
        if with_group:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(with_group, signal.SIGKILL)  # any worker left behind
        return self.proc.returncode if self.proc else None

    def restart(self, timeout: float = 30.0) -> WebProcess:
        self.kill()
        return self.start(timeout)


def press(sender: SignedSender, message: dict[str, Any], action_index: int = 0,
          **kwargs: Any) -> SlackResponse:
    """Press the `action_index`-th button (across all actions blocks) of a posted message."""
    buttons = [
        (block.get("block_id"), element)
        for block in message.get("blocks") or []
        if block.get("type") == "actions"
        for element in block.get("elements", [])
    ]
    block_id, element = buttons[action_index]
    action = {"action_id": element["action_id"], "block_id": block_id,
              "value": element.get("value", ""), "type": element.get("type", "button"),
              "text": element.get("text")}
    return sender.block_action(action, message=message, **kwargs)
