"""The stage the playground chats on: the Slack stand-in, the embedded Redis, the real app
(`ragft web`, or its Socket Mode client, as a child process) and this process's revisit
ticker, started together and stopped last first."""

from __future__ import annotations

import fcntl
import os
import secrets
from collections.abc import Callable

from bot import bootstrap
from bot.log import get_logger
from bot.playground.web_child import (
    PlaygroundSender,
    PlaygroundSocketSender,
    SocketWebChild,
    WebChild,
)
from bot.settings import Settings
from bot.standin.server import SlackStandIn
from conversations.storage.connection import connect
from conversations.storage.interviews import InterviewStore

__all__ = ["FAKE_BOT_TOKEN", "Stage"]

log = get_logger(__name__)
FAKE_BOT_TOKEN = "xoxb-fake-playground-token"
LOCK_FILE = "playground.lock"
PLAYGROUND_APP_TOKEN = "xapp-1-A0RAGFT-playground"  # Socket Mode's app-level token


class Stage:
    """The stand-in, the app, the embedded Redis and the revisit ticker, wired together."""

    def __init__(self, settings: Settings, *, socket_mode: bool = False) -> None:
        self.settings = settings
        self.data_dir = settings.data_dir
        # Socket Mode: the app opens a WebSocket to the stand-in instead of serving HTTP.
        self.socket_mode = socket_mode
        self.standin = SlackStandIn()
        self.store: InterviewStore | None = None  # the app's, once started
        self.closers: list[Callable[[], object]] = []

    def start(self, environ: dict[str, str]) -> PlaygroundSender | PlaygroundSocketSender:
        """Start the stand-in, the embedded Redis (one playground per data dir), the app and
        this process's revisit ticker; what sends the app the person's requests."""
        self.data_dir.mkdir(parents=True, exist_ok=True)
        if self.settings.redis_url is None:
            self._lock_data_dir()
        self.standin.start()
        self.closers.append(self.standin.stop)
        handle = connect(self.settings.redis_url, self.data_dir)
        self.closers.append(handle.close)
        secret = secrets.token_hex(16)
        app_settings = self.settings.model_copy(
            update={
                "slack_api_url": self.standin.api_url,
                "slack_bot_token": FAKE_BOT_TOKEN,
                "slack_signing_secret": secret,
                "slack_app_token": None,
                "redis_url": handle.url,
            }
        )
        env = {
            **{k: v for k, v in environ.items() if not k.startswith(("SLACK_", "REDIS_"))},
            "SLACK_API_URL": self.standin.api_url,
            "SLACK_BOT_TOKEN": FAKE_BOT_TOKEN,
            "SLACK_SIGNING_SECRET": secret,
            "SLACK_APP_TOKEN": "",
            "REDIS_URL": handle.url,
            "RAGFT_DATA_DIR": str(self.data_dir),
            "LOG_FORMAT": "json",
            "RAGFT_CLOCK": "separate",  # this process's ticker (below) sends the nudges
        }
        log_path = self.data_dir / "playground-web.log"
        web: WebChild
        if self.socket_mode:
            env.update(SLACK_APP_TOKEN=PLAYGROUND_APP_TOKEN, SLACK_SIGNING_SECRET="")
            web = SocketWebChild(env, log_path, self.standin.sockets)
        else:
            web = WebChild(env, log_path)
        self.closers.append(web.stop)
        web.start()
        sender = (
            PlaygroundSocketSender(self.standin.sockets, response_url_base=self.standin.url)
            if self.socket_mode
            else PlaygroundSender(
                f"{web.url}/slack/events", secret, response_url_base=self.standin.url
            )
        )
        # The app runs in the child; this process sends the nudges and reads the store.
        services = bootstrap.build(app_settings, handle.client)
        self.store = services.store
        self.closers.append(services.ticker.start().shutdown)
        return sender

    def _lock_data_dir(self) -> None:
        """One playground per data dir: a second one would share the first one's embedded
        Redis, and lose it when the first one quits."""
        path = self.data_dir / LOCK_FILE
        handle = path.open("a+")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "?"
            handle.close()
            raise RuntimeError(
                f"another playground (process {holder}) is already using {self.data_dir}, and "
                "its embedded Redis would stop under this one when it quits. Type quit there "
                "first, or give this one its own data: RAGFT_DATA_DIR=var2 scripts/run"
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        self.closers.append(handle.close)  # closing the file releases the lock

    def close(self) -> None:
        """Stop what `start` started, last first; called again, it goes on where it was cut."""
        while self.closers:
            close = self.closers.pop()
            try:
                close()
            except Exception:  # shutting down: keep closing the rest
                log.exception("playground_close_failed")
