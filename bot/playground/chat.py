"""The playground: chat with the real app in a terminal, no Slack workspace needed.

It runs what production runs — `ragft web` (gunicorn, the Bolt app from `create_app`)
as a child process on loopback, the embedded Redis under RAGFT_DATA_DIR — and stands in
for Slack: a Web API stand-in receives the app's messages, and what you type is sent to
the app as signed slash commands, thread replies and button presses.
"""

from __future__ import annotations

import json
import queue
import secrets
import sys
import threading
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TextIO

from slack_sdk import WebClient

from bot import bootstrap
from bot.log import get_logger
from bot.playground.render import Control, render_blocks, state_values
from bot.playground.web_child import PlaygroundSender, WebChild
from bot.settings import Settings
from bot.standin.server import TEAM_ID, SlackStandIn
from bot.views import question_message
from bot.views.questions import question_view
from conversations.machine import reask
from conversations.storage.connection import connect
from conversations.storage.interviews import InterviewStore

log = get_logger(__name__)
PLAYER = "U0PLAYER"
CHANNEL = "C0PLAYGND"
FAKE_BOT_TOKEN = "xoxb-fake-playground-token"
QUIT = frozenset({"quit", "exit", ":q"})
NO_THREAD = "(No interview is open here: type /ragft assess [name] to start one, or /ragft help.)"
NAMES = {PLAYER: "you"}  # how mentions of the person at the keyboard read


class Playground:
    """The stand-in, the app, the embedded Redis and the revisit ticker, wired together."""

    def __init__(self, settings: Settings, out: TextIO = sys.stdout) -> None:
        self.out = out
        self.data_dir = settings.data_dir
        self.standin = SlackStandIn()
        self.settings = settings
        self.seen: dict[str, str] = {}  # ts -> rendered text, to print new and edited messages
        self.responses_seen = 0
        self.ephemerals_seen = 0
        self.choices: list[Control] = []
        self.choice_message: dict[str, Any] | None = None
        self.ticked: set[str] = set()  # checkbox values ticked on the choice message
        self.thread_ts: str | None = None
        self._closers: list[Callable[[], object]] = []
        self.store: InterviewStore | None = None  # the app's, once started

    def start(self, environ: dict[str, str]) -> Playground:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.standin.start()
        self._closers.append(self.standin.stop)
        handle = connect(self.settings.redis_url, self.data_dir)
        self._closers.append(handle.close)
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
        }
        web = WebChild(env, self.data_dir / "playground-web.log")
        self._closers.append(web.stop)
        web.start()
        self.sender = PlaygroundSender(
            f"{web.url}/slack/events", secret, response_url_base=self.standin.url
        )
        # The app runs in the child; this process sends the nudges and reads the store.
        services = bootstrap.build(app_settings, handle.client)
        self.store = services.store
        self._closers.append(services.ticker.start().shutdown)
        return self

    def close(self) -> None:
        """Stop what `start` started, last first; called again, it goes on where it was cut."""
        while self._closers:
            close = self._closers.pop()
            try:
                close()
            except Exception:  # shutting down: keep closing the rest
                log.exception("playground_close_failed")

    # --- the chat --------------------------------------------------------------------
    def say(self, line: str) -> None:
        """Handle one line the person typed."""
        line = line.strip()
        if not line:
            return
        before = len(self.standin.calls)
        if line.startswith("/"):
            command, _, text = line.partition(" ")
            response = self.sender.command(
                text.strip(), command=command, user_id=PLAYER, channel_id=CHANNEL
            )
            self._print_ack(response.status, response.body)
        elif (choice := self._choice(line)) is not None:
            self._press(choice)
            if choice.is_checkbox:
                return  # a tick stays in the client until Done is pressed
        elif self.thread_ts is None:
            self._write(NO_THREAD)
            return
        else:
            thread = self.thread_ts
            typed = self.standin.add_user_message(CHANNEL, line, PLAYER, thread)
            self.sender.message(
                line, channel=CHANNEL, user=PLAYER, thread_ts=thread, ts=typed["ts"]
            )
        self._settle(before)
        self.show()

    def _choice(self, line: str) -> Control | None:
        key = line.lower()
        return next((c for c in self.choices if c.key == key), None)

    def _press(self, choice: Control) -> None:
        """Press a button or an option; a checkbox toggles and the ticks are shown."""
        if choice.is_checkbox and choice.option is not None:
            value = str(choice.option.get("value"))
            self.ticked.symmetric_difference_update({value})
            picked = [
                c.label
                for c in self.choices
                if c.option is not None and c.is_checkbox and c.option.get("value") in self.ticked
            ]
            done = next((c.key for c in self.choices if not c.is_checkbox), None)
            after = f" — press {done} when done" if done else ""
            self._write(f"  ticked: {', '.join(picked) or 'nothing'}{after}")
        self.sender.state = state_values(self.choices, self.ticked)
        try:
            self.sender.block_action(
                choice.action(self.ticked), message=self.choice_message, user_id=PLAYER
            )
        finally:
            self.sender.state = None

    def resume(self) -> None:
        """Show the open question of the person's latest unfinished interview again, so
        replies carry on where the last session stopped.

        It posts as the bot itself, rendering with the app's views: the app has no request
        that re-asks a question (an interview command for it would be the way through).
        """
        if self.store is None:
            return
        open_ = [
            s
            for s in self.store.list_interviews(TEAM_ID, PLAYER)
            if s.status == "open" and s.channel == CHANNEL and s.current is not None
        ]
        if not open_:
            return
        state = max(open_, key=lambda s: s.started_at)
        ask = reask(state)
        assert ask is not None  # open with a current question
        view = question_view(ask, state.assessment_id)
        name = state.answers.top.get("name") or "your assessment"
        self._write(f"Picking up “{name}” where you left off (/ragft list shows the rest).")
        message = question_message(view)
        before = len(self.standin.calls)
        WebClient(token=FAKE_BOT_TOKEN, base_url=self.standin.api_url).chat_postMessage(
            channel=CHANNEL,
            thread_ts=state.thread_ts,
            text=message.text,
            blocks=message.blocks,
            metadata=message.metadata,
        )
        self.standin.wait_for(lambda: len(self.standin.calls) > before, timeout=5)
        self.show()

    def _settle(self, before: int) -> None:
        # Wait for the app to start answering, then for it to go quiet.
        try:
            self.standin.wait_for(lambda: len(self.standin.calls) > before, timeout=5)
        except TimeoutError:
            return
        self.standin.wait_quiet(quiet=0.5, timeout=20)

    def _print_ack(self, status: int, body: str) -> None:
        if status != 200:
            self._write(f"(the app answered HTTP {status})")
        elif body.strip():
            text = body
            if body.lstrip().startswith("{"):
                text = str(json.loads(body).get("text", ""))
            if text:
                self._write(f"ragft (only you): {text}")

    def show(self) -> None:
        """Print every message, edit, ephemeral and response_url reply not printed yet."""
        for message in list(self.standin.messages):
            if not message.get("bot_id"):
                continue
            text, found = render_blocks(message, NAMES)
            previous = self.seen.get(message["ts"])
            if previous == text:
                continue
            self.seen[message["ts"]] = text
            label = "ragft" if previous is None else "ragft (edited)"
            self._write(f"{label}: {text}")
            if previous is None:
                self.thread_ts = message.get("thread_ts") or message["ts"]
            if found and previous is None:
                self._offer(found, message)
        for ephemeral in self.standin.ephemerals[self.ephemerals_seen :]:
            self._write(f"ragft (only you): {render_blocks(ephemeral, NAMES)[0]}")
        self.ephemerals_seen = len(self.standin.ephemerals)
        for body in self.standin.responses[self.responses_seen :]:
            text, found = render_blocks(body, NAMES)
            self._write(f"ragft (only you): {text}")
            if found:
                self._offer(found, None)
        self.responses_seen = len(self.standin.responses)
        for file in self.standin.files.values():
            if file.get("content") is not None and not file.get("shown"):
                file["shown"] = True
                self._write(f"ragft (file {file.get('filename')}): {len(file['content'])} bytes")

    def _offer(self, found: list[Control], message: dict[str, Any] | None) -> None:
        self.choices, self.choice_message, self.ticked = found, message, set()

    def _write(self, text: str) -> None:
        print(text, file=self.out, flush=True)

    def chat(self, lines: Iterable[str], prompt: bool) -> None:
        """Read lines until EOF or `quit`.

        On a terminal a `you>` prompt is shown; from a pipe each line is echoed after
        `you>` instead, so the transcript shows what each reply answers."""
        self._write(
            "ragft playground — type /ragft assess [name] to start, the key in "
            "[brackets] to press a button, quit to leave."
        )
        self.resume()
        if prompt:
            print("you> ", end="", file=self.out, flush=True)
        for line in lines:
            if not prompt and line.strip():
                self._write(f"you> {line.strip()}")
            if line.strip().lower() in QUIT:
                break
            self.say(line)
            if prompt:
                print("you> ", end="", file=self.out, flush=True)


class StdinLines:
    """Lines of a stream, read on a daemon thread so that `stop()` (called from a signal
    handler: Ctrl-C, a closed terminal, SIGTERM) ends the wait at once, without raising
    into whatever the main thread is doing. EOF or a read error (EIO: the terminal is
    gone) ends the lines too."""

    def __init__(self, stream: TextIO) -> None:
        self._queue: queue.Queue[str | None] = queue.Queue()
        self._stopped = threading.Event()
        threading.Thread(
            target=self._read, args=(stream,), daemon=True, name="playground-stdin"
        ).start()

    def _read(self, stream: TextIO) -> None:
        try:
            for line in stream:
                self._queue.put(line)
        except (OSError, ValueError):
            pass
        self._queue.put(None)

    def stop(self, *_: object) -> None:
        self._stopped.set()

    @property
    def stopped(self) -> bool:
        return self._stopped.is_set()

    def __iter__(self) -> Iterator[str]:
        while not self._stopped.is_set():
            try:
                line = self._queue.get(timeout=0.1)
            except queue.Empty:
                continue
            if line is None:
                return
            yield line
