"""The playground's line to the app: `ragft web` as a child process on loopback, and
the signed sender whose button presses carry the message state, as Slack's do."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode

from bot.signing import SignedSender


class PlaygroundSender(SignedSender):
    """A SignedSender whose block_actions carry the message's `state`, as Slack's do."""

    state: dict[str, Any] | None = None

    def send_raw(self, body: bytes, content_type: str, **kwargs: Any) -> Any:
        if self.state is not None and body.startswith(b"payload="):
            payload = json.loads(parse_qs(body.decode())["payload"][0])
            payload["state"] = self.state
            body = urlencode({"payload": json.dumps(payload)}).encode()
        return super().send_raw(body, content_type, **kwargs)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class WebChild:
    """`ragft web` as a child process on loopback, healthy before `start()` returns."""

    def __init__(self, env: dict[str, str], log_path: Path, extra_args: list[str] | None = None):
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {**env, "PORT": str(self.port)}
        self.log_path = log_path
        self.extra_args = extra_args or []
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 30.0) -> WebChild:
        with self.log_path.open("ab") as out:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "bot.cli", "web", "--host", "127.0.0.1", *self.extra_args],
                env=self.env, stdout=out, stderr=out, stdin=subprocess.DEVNULL,
                start_new_session=True,  # Ctrl-C in the terminal reaches us, not gunicorn
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the app exited during start-up; see {self.log_path}")
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=1) as response:
                    if response.status == 200:
                        return self
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.1)
        raise TimeoutError(f"the app did not become healthy in {timeout}s; see {self.log_path}")

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(5)
