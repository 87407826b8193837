"""The playground: chat with the real app in a terminal, no Slack workspace needed.

It runs what production runs — `ragft web` (gunicorn, the Bolt app from `create_app`)
as a child process on loopback, the embedded Redis under RAGFT_DATA_DIR — and stands in
for Slack: a Web API stand-in receives the app's messages, and what you type is sent to
the app as signed slash commands, thread replies and button presses.
"""

from __future__ import annotations

import fcntl
import json
import os
import queue
import re
import secrets
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, TextIO

from slack_sdk import WebClient

from bot import bootstrap
from bot.command_text import parse_command
from bot.log import get_logger
from bot.playground.render import Control, plain, render_blocks, state_values
from bot.playground.web_child import (
    PlaygroundSender,
    PlaygroundSocketSender,
    SocketWebChild,
    WebChild,
)
from bot.settings import Settings
from bot.standin.server import TEAM_ID, SlackStandIn
from bot.views import question_message
from bot.views.action_ids import REASSESS_ACTION, REVISIT_REASSESS_ACTION, START_ACTION
from bot.views.questions import question_view
from conversations.machine import reask
from conversations.storage.connection import connect
from conversations.storage.interviews import InterviewStore
from conversations.storage.keys import ThreadKey

log = get_logger(__name__)
PLAYER = "U0PLAYER"
CHANNEL = "C0PLAYGND"
DM = "D0PLAYER"  # the stand-in's conversations.open gives this DM for PLAYER
FAKE_BOT_TOKEN = "xoxb-fake-playground-token"
QUIT = frozenset({"quit", "exit", ":q"})
NO_THREAD = "(No interview is open here: type /ragft assess [name] to start one, or /ragft help.)"
THREAD_OVER = (
    "(ragft stays quiet in this thread: its interview is over. /ragft list shows your "
    "assessments, /ragft assess [name] starts another.)"
)
NO_ANSWER = "(no answer from the app within {seconds:.0f} s; see {log})"
REPLY_TIMEOUT = 10.0
STORE_RECHECK = 0.005  # seconds between looks at the store while a step is being posted
FILES_DIR = "files"  # under the data dir: charts and decision records the app uploaded
LOCK_FILE = "playground.lock"
# Messages that mean an interview's thread: the playground's replies go there.
THREAD_EVENTS = frozenset({"ragft_question", "ragft_recommendation"})
# Blocks under which a press is an interview step: the answer comes in the same thread.
INTERVIEW_BLOCKS = ("ragft_q:", "ragft_ctl:", "ragft_done:", "ragft_confirm:")
STARTS_INTERVIEW = frozenset({REASSESS_ACTION, REVISIT_REASSESS_ACTION, START_ACTION})
Expect = Callable[[], bool]
PLAYGROUND_APP_TOKEN = "xapp-1-A0RAGFT-playground"  # Socket Mode's app-level token
NAMES = {PLAYER: "you"}  # how mentions of the person at the keyboard read


_TYPED_MENTION = re.compile(r"(?<![<\w])@([A-Za-z][\w.-]{0,40})")


def as_slack_mentions(text: str) -> str:
    """`@priya` as Slack sends a typed mention in a command: `<@U0PRIYA|priya>` (a stand-in
    user id made from the name; `@you` is the person at the keyboard)."""

    def mention(match: re.Match[str]) -> str:
        name = match.group(1).rstrip(".-")
        user = "U0" + re.sub(r"[^A-Z0-9]", "", name.upper())[:20]
        if name == NAMES[PLAYER]:
            user = PLAYER
        return f"<@{user}|{name}>" + match.group(1)[len(name) :]

    return _TYPED_MENTION.sub(mention, text)


class Playground:
    """The stand-in, the app, the embedded Redis and the revisit ticker, wired together."""

    def __init__(
        self, settings: Settings, out: TextIO = sys.stdout, *, socket_mode: bool = False
    ) -> None:
        self.out = out
        # Socket Mode: the app opens a WebSocket to the stand-in instead of serving HTTP.
        self.socket_mode = socket_mode
        self.data_dir = settings.data_dir
        self.standin = SlackStandIn()
        self.settings = settings
        self.seen: dict[str, str] = {}  # ts -> rendered text, to print new and edited messages
        self.responses_seen = 0
        self.ephemerals_seen = 0
        self.choices: list[Control] = []
        self.choice_message: dict[str, Any] | None = None
        self.ticked: set[str] = set()  # checkbox values ticked on the choice message
        self.where: tuple[str, str] | None = None  # (channel, thread) replies go to
        self.saved: dict[str, Path] = {}  # file id -> where its content was saved
        self.prompting = False  # a `you>` prompt is on screen, waiting for a line
        self._printing = threading.RLock()
        self._busy = threading.Event()  # a typed line is being answered: the chat prints
        self._stopping = threading.Event()
        self._closers: list[Callable[[], object]] = []
        self.store: InterviewStore | None = None  # the app's, once started

    @property
    def thread_ts(self) -> str | None:
        """The thread that typed replies go to."""
        return self.where[1] if self.where else None

    def start(self, environ: dict[str, str]) -> Playground:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        if self.settings.redis_url is None:
            self._lock_data_dir()
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
            "RAGFT_CLOCK": "separate",  # this process's ticker (below) sends the nudges
        }
        log_path = self.data_dir / "playground-web.log"
        web: WebChild
        if self.socket_mode:
            env.update(SLACK_APP_TOKEN=PLAYGROUND_APP_TOKEN, SLACK_SIGNING_SECRET="")
            web = SocketWebChild(env, log_path, self.standin.sockets)
        else:
            web = WebChild(env, log_path)
        self._closers.append(web.stop)
        web.start()
        self.sender = (
            PlaygroundSocketSender(self.standin.sockets, response_url_base=self.standin.url)
            if self.socket_mode
            else PlaygroundSender(
                f"{web.url}/slack/events", secret, response_url_base=self.standin.url
            )
        )
        # The app runs in the child; this process sends the nudges and reads the store.
        services = bootstrap.build(app_settings, handle.client)
        self.store = services.store
        self._closers.append(services.ticker.start().shutdown)
        watcher = threading.Thread(target=self._watch, daemon=True, name="playground-watch")
        watcher.start()
        self._closers.append(lambda: self._stop_watching(watcher))
        return self

    def _stop_watching(self, watcher: threading.Thread) -> None:
        self._stopping.set()
        watcher.join(5)

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
        self._closers.append(handle.close)  # closing the file releases the lock

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
        """Handle one line the person typed; return once its answer has been printed."""
        line = line.strip()
        if not line:
            return
        self._busy.set()
        try:
            expect = self._send(line)
            if expect is not None:
                self._wait(expect)
            self.show()
        finally:
            self._busy.clear()

    def _send(self, line: str) -> Expect | None:
        """Send what the line means; return what its answer looks like, or None if none comes."""
        mark = self._mark()
        if line.startswith("/"):
            command, _, text = line.partition(" ")
            text = as_slack_mentions(text)
            response = self.sender.command(
                text.strip(), command=command, user_id=PLAYER, channel_id=CHANNEL
            )
            self._print_ack(response.status, response.body)
            verb = parse_command(text).verb
            if response.status != 200 or verb == "help":
                return None  # the ack carried the whole answer
            if verb in ("assess", "revisit"):
                return self._started(mark)
            # A command answers in a message of its own: an edit or a chart upload still on
            # its way from an earlier step (charts are drawn on their own thread) is no answer.
            return self._anything(mark, shown=())
        if (choice := self._choice(line)) is not None:
            self._press(choice)
            if choice.is_checkbox:
                return None  # a tick stays in the client until Done is pressed
            block = str(choice.block_id or "")
            message = self.choice_message or {}
            if choice.element.get("action_id") in STARTS_INTERVIEW:
                return self._started(mark)
            if block.startswith(INTERVIEW_BLOCKS) and message.get("channel"):
                thread = message.get("thread_ts") or message["ts"]
                return self._in_thread(mark, message["channel"], thread)
            return self._anything(mark)
        if line.lower().startswith("dm "):
            text = line[3:].strip()
            typed = self.standin.add_user_message(DM, text, PLAYER)
            self.sender.message(text, channel=DM, user=PLAYER, ts=typed["ts"], channel_type="im")
            return self._in_thread(mark, DM, None)
        if self.where is None:
            self._write(NO_THREAD)
            return None
        channel, thread = self.where
        direct = channel.startswith("D")
        # Looked at before the reply goes: the reply itself may end the interview, and in a
        # DM the app answers any line (with its help when no interview is open).
        state = (
            self.store.get_interview(ThreadKey(TEAM_ID, channel, thread)) if self.store else None
        )
        typed = self.standin.add_user_message(channel, line, PLAYER, thread)
        kind = "im" if direct else "channel"
        self.sender.message(
            line, channel=channel, user=PLAYER, thread_ts=thread, ts=typed["ts"], channel_type=kind
        )
        if not direct and (state is None or state.status != "open"):
            self._write(THREAD_OVER)
            return None
        return self._in_thread(mark, channel, thread)

    # What an answer looks like, from the stand-in's records after `mark`.
    def _mark(self) -> tuple[int, int, int, frozenset[str]]:
        s = self.standin
        posted = frozenset(m["ts"] for m in s.messages)
        return len(s.calls), len(s.responses), len(s.ephemerals), posted

    def _new_messages(self, mark: tuple[int, int, int, frozenset[str]]) -> list[dict[str, Any]]:
        return [m for m in self.standin.messages if m.get("bot_id") and m["ts"] not in mark[3]]

    def _private(self, mark: tuple[int, int, int, frozenset[str]]) -> bool:
        return len(self.standin.responses) > mark[1] or len(self.standin.ephemerals) > mark[2]

    def _anything(
        self,
        mark: tuple[int, int, int, frozenset[str]],
        shown: tuple[str, ...] = ("chat.update", "files.completeUploadExternal"),
    ) -> Expect:
        # Not any call: the app's own reads (auth.test, users.info) are no answer.
        def answered() -> bool:
            return (
                self._private(mark)
                or bool(self._new_messages(mark))
                or any(c.method in shown for c in self.standin.calls[mark[0] :])
            )

        return answered

    def _started(self, mark: tuple[int, int, int, frozenset[str]]) -> Expect:
        def asked() -> bool:
            return self._private(mark) or any(
                (m.get("metadata") or {}).get("event_type") == "ragft_question"
                for m in self._new_messages(mark)
            )

        return asked

    def _in_thread(
        self, mark: tuple[int, int, int, frozenset[str]], channel: str, thread: str | None
    ) -> Expect:
        def answered() -> bool:
            if self._private(mark):
                return True
            new = [
                m
                for m in self._new_messages(mark)
                if m["channel"] == channel and (thread is None or m.get("thread_ts") == thread)
            ]
            return bool(new) and (thread is None or self._step_done(channel, thread, new))

        return answered

    def _step_done(self, channel: str, thread: str, new: list[dict[str, Any]]) -> bool:
        """Whether the app has posted all of an interview step: the stored state says what
        the step ends with (the open question's message recorded, the confirmation, the
        recommendation's last message with its buttons, or the note of a cancel)."""
        if self.store is None:
            return True
        where = ThreadKey(TEAM_ID, channel, thread)
        state = self.store.get_interview(where)
        if state is None or state.status == "cancelled":
            return True
        if state.status == "completed":
            return any("ragft_rec:" in str(m.get("blocks")) for m in new)
        if state.pending is not None:
            return any("ragft_confirm:" in str(m.get("blocks")) for m in new)
        if state.current is None:
            return True
        return self.store.question_message_ts(where, state.current.ask_id) is not None

    def _wait(self, expect: Expect) -> None:
        """Wait until the expected answer is there: woken by the stand-in's condition on each
        call, and re-checked every few milliseconds for what the app records in the store
        right after posting (the stand-in hears nothing of that)."""
        deadline = time.monotonic() + REPLY_TIMEOUT
        while time.monotonic() < deadline:
            try:
                self.standin.wait_for(expect, timeout=STORE_RECHECK)
                return
            except TimeoutError:
                continue
        log_path = self.data_dir / "playground-web.log"
        self._write(NO_ANSWER.format(seconds=REPLY_TIMEOUT, log=log_path))

    def _watch(self) -> None:
        """Print what arrives while nobody is typing (a revisit nudge, a late chart)."""
        shown = self._signature()
        while not self._stopping.is_set():
            try:
                self.standin.wait_for(self._changed_since(shown), timeout=1.0)
            except TimeoutError:
                continue
            if self._stopping.is_set():
                return
            if self._busy.is_set():
                self._busy_wait()
                continue
            shown = self._signature()
            try:
                self.show(interrupting=True)
            except Exception:  # the watcher must not die: the chat still prints on each line
                log.exception("playground_watch_failed")

    def _changed_since(self, shown: tuple[int, int]) -> Expect:
        return lambda: self._stopping.is_set() or self._signature() != shown

    def _busy_wait(self) -> None:
        while self._busy.is_set() and not self._stopping.is_set():
            self._stopping.wait(0.05)

    def _signature(self) -> tuple[int, int]:
        return len(self.standin.calls), len(self.standin.responses)

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
            if s.status == "open" and s.channel in (CHANNEL, DM) and s.current is not None
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
        self._busy.set()
        try:
            before = len(self.standin.calls)
            WebClient(token=FAKE_BOT_TOKEN, base_url=self.standin.api_url).chat_postMessage(
                channel=state.channel,
                thread_ts=state.thread_ts,
                text=message.text,
                blocks=message.blocks,
                metadata=message.metadata,
            )
            self.standin.wait_for(lambda: len(self.standin.calls) > before, timeout=5)
            self.show()
        finally:
            self._busy.clear()

    def _print_ack(self, status: int, body: str) -> None:
        if status != 200:
            self._write(f"(the app answered HTTP {status})")
        elif body.strip():
            text = body
            if body.lstrip().startswith("{"):
                text = str(json.loads(body).get("text", ""))
            if text:
                self._write(f"ragft (only you): {plain(text, NAMES)}")

    def show(self, interrupting: bool = False) -> None:
        """Print every message, edit, ephemeral, response_url reply and file not printed yet.

        `interrupting`: printed while the `you>` prompt waits, so the prompt is drawn again."""
        with self._printing:
            lines = self._unseen()
            if not lines:
                return
            if interrupting and self.prompting:
                print("\r", end="", file=self.out)
            for text in lines:
                self._write(text)
            if interrupting and self.prompting:
                print("you> ", end="", file=self.out, flush=True)

    def _unseen(self) -> list[str]:
        out: list[str] = []
        for message in list(self.standin.messages):
            if not message.get("bot_id"):
                continue
            text, found = render_blocks(message, NAMES)
            previous = self.seen.get(message["ts"])
            if previous == text:
                continue
            self.seen[message["ts"]] = text
            out.append(f"{self._label(message, edited=previous is not None)}: {text}")
            event = (message.get("metadata") or {}).get("event_type")
            if previous is None and event in THREAD_EVENTS:
                self.where = (message["channel"], message.get("thread_ts") or message["ts"])
            if found and previous is None:
                self._offer(found, message)
        for ephemeral in self.standin.ephemerals[self.ephemerals_seen :]:
            out.append(f"ragft (only you): {render_blocks(ephemeral, NAMES)[0]}")
        self.ephemerals_seen = len(self.standin.ephemerals)
        for body in self.standin.responses[self.responses_seen :]:
            text, found = render_blocks(body, NAMES)
            out.append(f"ragft (only you): {text}")
            if found:
                self._offer(found, {**body, "channel": CHANNEL, "ts": self.standin.next_ts()})
        self.responses_seen = len(self.standin.responses)
        for file_id, file in list(self.standin.files.items()):
            if file.get("content") is not None and file_id not in self.saved:
                path = self._save(file)
                self.saved[file_id] = path
                title = file.get("title") or file.get("filename")
                size = len(file["content"])
                out.append(f"ragft (file “{title}”, {size:,} bytes): saved to {_shown(path)}")
        return out

    @staticmethod
    def _label(message: dict[str, Any], *, edited: bool) -> str:
        where = ""
        if str(message.get("channel", "")).startswith("D"):
            where = "direct message"
        elif (message.get("metadata") or {}).get("event_type") == "ragft_revisit":
            where = "thread copy"
        notes = [n for n in (where, "edited" if edited else "") if n]
        return f"ragft ({', '.join(notes)})" if notes else "ragft"

    def _save(self, file: dict[str, Any]) -> Path:
        """Write an uploaded file under the data dir, never over a different earlier one."""
        folder = self.data_dir / FILES_DIR
        folder.mkdir(parents=True, exist_ok=True)
        name = Path(str(file.get("filename") or f"{file.get('id')}.bin")).name
        path = folder / name
        n = 1
        while path.exists() and path.read_bytes() != file["content"]:
            n += 1
            path = folder / f"{Path(name).stem}-{n}{Path(name).suffix}"
        path.write_bytes(file["content"])
        return path

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
            "[brackets] to press a button, dm <text> to message the bot directly, "
            "quit to leave."
        )
        self.resume()
        self._prompt(prompt)
        for line in lines:
            self.prompting = False
            if not prompt and line.strip():
                with self._printing:
                    self._write(f"you> {line.strip()}")
            if line.strip().lower() in QUIT:
                break
            self.say(line)
            self._prompt(prompt)
        self.prompting = False
        # What the app still sends (a chart after the recommendation) is printed before bye.
        self._busy.set()
        self.standin.wait_quiet(quiet=0.2, timeout=3)
        self.show()

    def _prompt(self, prompt: bool) -> None:
        if prompt:
            with self._printing:
                print("you> ", end="", file=self.out, flush=True)
                self.prompting = True


def _shown(path: Path) -> str:
    """A path as short as it reads well: relative to the working directory when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


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
