"""The playground's line to the app: `ragft web` as a child process on loopback, and
the signed sender whose button presses carry the message state, as Slack's do."""

from __future__ import annotations

import contextlib
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
from typing import Any, Self
from urllib.parse import parse_qs, urlencode

from bot.standin.signing import SignedSender
from bot.standin.socket_mode import SocketModeSide
from bot.standin.socket_sender import SocketSender


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

    def __init__(
        self,
        env: dict[str, str],
        log_path: Path,
        extra_args: list[str] | None = None,
        cwd: Path | None = None,
    ):
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {**env, "PORT": str(self.port)}
        self.log_path = log_path
        self.args = [
            sys.executable,
            "-m",
            "bot.cli",
            "web",
            "--host",
            "127.0.0.1",
            *(extra_args or []),
        ]
        self.cwd = cwd
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 30.0) -> Self:
        with self.log_path.open("ab") as out:  # the child keeps its own copy of the descriptor
            self.proc = subprocess.Popen(
                self.args,
                env=self.env,
                cwd=self.cwd,
                stdout=out,
                stderr=out,
                stdin=subprocess.DEVNULL,
                start_new_session=True,  # Ctrl-C in the terminal reaches us, not gunicorn
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(
                    f"ragft web exited with {self.proc.returncode}; "
                    f"see {self.log_path}:\n{self.logs()[-4000:]}"
                )
            if self.health() == 200:
                return self
            time.sleep(0.1)
        raise TimeoutError(f"ragft web not healthy after {timeout}s; see {self.log_path}")

    def health(self) -> int | None:
        """The status /healthz answers, or None when nothing answers."""
        try:
            with urllib.request.urlopen(f"{self.url}/healthz", timeout=2) as response:
                return int(response.status)
        except urllib.error.HTTPError as err:
            return err.code
        except OSError:
            return None

    def logs(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def kill(self) -> None:
        """kill -9 the server and its workers, as a crash would."""
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(10)

    def stop(self) -> int | None:
        """A graceful stop (SIGTERM), as a deploy would; returns the exit status."""
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(5)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGKILL)  # any worker left behind
        return self.proc.returncode


class PlaygroundSocketSender(PlaygroundSender, SocketSender):
    """The playground's sender over Socket Mode: envelopes down the stand-in's WebSocket."""


class SocketWebChild(WebChild):
    """`ragft web` over Socket Mode: ready once its socket to the stand-in is open."""

    def __init__(self, env: dict[str, str], log_path: Path, sockets: SocketModeSide) -> None:
        super().__init__(env, log_path)
        self.sockets = sockets

    def health(self) -> int | None:
        return 200 if self.sockets.connected() else None
