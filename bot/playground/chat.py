"""The playground: chat with the real app in a terminal, no Slack workspace needed.

It runs what production runs — `ragft web` (gunicorn, the Bolt app from `create_app`)
as a child process on loopback, the embedded Redis under RAGFT_DATA_DIR — and stands in
for Slack: a Web API stand-in receives the app's messages, and what you type is sent to
the app as signed slash commands, thread replies and button presses.
"""

from __future__ import annotations

import re
import sys
import threading
import time
from collections.abc import Iterable
from typing import Any, TextIO

from slack_sdk import WebClient

from bot.command_text import parse_command
from bot.log import get_logger
from bot.playground.answers import (
    Expect,
    Since,
    any_answer,
    interview_started,
    step_answered,
)
from bot.playground.render import Control, state_values
from bot.playground.screen import NAMES, PLAYER, Screen
from bot.playground.stage import FAKE_BOT_TOKEN, Stage
from bot.settings import Settings
from bot.standin.server import TEAM_ID
from bot.views import question_message
from bot.views.action_ids import REASSESS_ACTION, REVISIT_REASSESS_ACTION, START_ACTION
from bot.views.questions import question_view
from conversations.asking import reask
from conversations.storage.interviews import InterviewStore
from conversations.storage.keys import ThreadKey

log = get_logger(__name__)
CHANNEL = "C0PLAYGND"
DM = "D0PLAYER"  # the stand-in's conversations.open gives this DM for PLAYER
QUIT = frozenset({"quit", "exit", ":q"})
NO_THREAD = "(No interview is open here: type /ragft assess [name] to start one, or /ragft help.)"
THREAD_OVER = (
    "(ragft stays quiet in this thread: its interview is over. /ragft list shows your "
    "assessments, /ragft assess [name] starts another.)"
)
NO_ANSWER = "(no answer from the app within {seconds:.0f} s; see {log})"
REPLY_TIMEOUT = 10.0
STORE_RECHECK = 0.005  # seconds between looks at the store while a step is being posted
# Blocks under which a press is an interview step: the answer comes in the same thread.
INTERVIEW_BLOCKS = ("ragft_q:", "ragft_ctl:", "ragft_done:", "ragft_confirm:")
STARTS_INTERVIEW = frozenset({REASSESS_ACTION, REVISIT_REASSESS_ACTION, START_ACTION})


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
    """The chat: what the person types, sent to the app on the stage; what it answers, shown."""

    def __init__(
        self, settings: Settings, out: TextIO = sys.stdout, *, socket_mode: bool = False
    ) -> None:
        self.screen = Screen(out, settings.data_dir, CHANNEL)
        self.stage = Stage(settings, socket_mode=socket_mode)
        self.standin = self.stage.standin
        self.data_dir = settings.data_dir
        self.choices: list[Control] = []
        self.choice_message: dict[str, Any] | None = None
        self.ticked: set[str] = set()  # checkbox values ticked on the choice message
        self.where: tuple[str, str] | None = None  # (channel, thread) replies go to
        self._busy = threading.Event()  # a typed line is being answered: the chat prints
        self._stopping = threading.Event()
        self.store: InterviewStore | None = None  # the app's, once started

    @property
    def thread_ts(self) -> str | None:
        """The thread that typed replies go to."""
        return self.where[1] if self.where else None

    def start(self, environ: dict[str, str]) -> Playground:
        self.sender = self.stage.start(environ)
        self.store = self.stage.store
        watcher = threading.Thread(target=self._watch, daemon=True, name="playground-watch")
        watcher.start()
        self.stage.closers.append(lambda: self._stop_watching(watcher))
        return self

    def _stop_watching(self, watcher: threading.Thread) -> None:
        self._stopping.set()
        watcher.join(5)

    def close(self) -> None:
        """Stop what `start` started, last first; called again, it goes on where it was cut."""
        self.stage.close()

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
        mark = Since.now(self.standin)
        if line.startswith("/"):
            command, _, text = line.partition(" ")
            text = as_slack_mentions(text)
            response = self.sender.command(
                text.strip(), command=command, user_id=PLAYER, channel_id=CHANNEL
            )
            self.screen.print_ack(response.status, response.body)
            verb = parse_command(text).verb
            if response.status != 200 or verb == "help":
                return None  # the ack carried the whole answer
            if verb in ("assess", "revisit"):
                return interview_started(self.standin, mark)
            # A command answers in a message of its own: an edit or a chart upload still on
            # its way from an earlier step (charts are drawn on their own thread) is no answer.
            return any_answer(self.standin, mark, shown=())
        if (choice := self._choice(line)) is not None:
            self._press(choice)
            if choice.is_checkbox:
                return None  # a tick stays in the client until Done is pressed
            block = str(choice.block_id or "")
            message = self.choice_message or {}
            if choice.element.get("action_id") in STARTS_INTERVIEW:
                return interview_started(self.standin, mark)
            if block.startswith(INTERVIEW_BLOCKS) and message.get("channel"):
                thread = message.get("thread_ts") or message["ts"]
                return step_answered(self.standin, self.store, mark, message["channel"], thread)
            return any_answer(self.standin, mark)
        if line.lower().startswith("dm "):
            text = line[3:].strip()
            typed = self.standin.add_user_message(DM, text, PLAYER)
            self.sender.message(text, channel=DM, user=PLAYER, ts=typed["ts"], channel_type="im")
            return step_answered(self.standin, self.store, mark, DM, None)
        if self.where is None:
            self.screen.write(NO_THREAD)
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
            self.screen.write(THREAD_OVER)
            return None
        return step_answered(self.standin, self.store, mark, channel, thread)

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
        self.screen.write(NO_ANSWER.format(seconds=REPLY_TIMEOUT, log=log_path))

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
            self.screen.write(f"  ticked: {', '.join(picked) or 'nothing'}{after}")
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
        self.screen.write(f"Picking up “{name}” where you left off (/ragft list shows the rest).")
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

    def show(self, interrupting: bool = False) -> None:
        """Print every message, edit, ephemeral, response_url reply and file not printed yet;
        replies go to the thread of the last interview message, keys press its last buttons.

        `interrupting`: printed while the `you>` prompt waits, so the prompt is drawn again."""
        with self.screen.printing:
            unseen = self.screen.unseen(self.standin)
            if unseen.where is not None:
                self.where = unseen.where
            if unseen.offer is not None:
                self._offer(*unseen.offer)
            self.screen.print_lines(unseen.lines, interrupting)

    def _offer(self, found: list[Control], message: dict[str, Any] | None) -> None:
        self.choices, self.choice_message, self.ticked = found, message, set()

    def chat(self, lines: Iterable[str], prompt: bool) -> None:
        """Read lines until EOF or `quit`.

        On a terminal a `you>` prompt is shown; from a pipe each line is echoed after
        `you>` instead, so the transcript shows what each reply answers."""
        self.screen.write(
            "ragft playground — type /ragft assess [name] to start, the key in "
            "[brackets] to press a button, dm <text> to message the bot directly, "
            "quit to leave."
        )
        self.resume()
        self._prompt(prompt)
        for line in lines:
            self.screen.prompting = False
            if not prompt and line.strip():
                with self.screen.printing:
                    self.screen.write(f"you> {line.strip()}")
            if line.strip().lower() in QUIT:
                break
            self.say(line)
            self._prompt(prompt)
        self.screen.prompting = False
        # What the app still sends (a chart after the recommendation) is printed before bye.
        self._busy.set()
        self.standin.wait_quiet(quiet=0.2, timeout=3)
        self.show()

    def _prompt(self, prompt: bool) -> None:
        if prompt:
            self.screen.prompt()
