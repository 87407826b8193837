"""What the person at the keyboard sees: the app's messages (new and edited), its private
answers, the files it uploaded (saved under the data dir), each printed once."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from bot.playground.render import Control, plain, render_blocks
from bot.standin.server import SlackStandIn

__all__ = ["FILES_DIR", "NAMES", "PLAYER", "Screen", "Unseen"]

FILES_DIR = "files"  # under the data dir: charts and decision records the app uploaded
THREAD_EVENTS = frozenset({"ragft_question", "ragft_recommendation"})
PLAYER = "U0PLAYER"  # the person at the keyboard
NAMES = {PLAYER: "you"}  # how mentions of them read


@dataclass
class Unseen:
    """What arrived since the last look: the lines to print, the thread the last interview
    message is in, and the last buttons offered (with the message they are on)."""

    lines: list[str] = field(default_factory=list)
    where: tuple[str, str] | None = None
    offer: tuple[list[Control], dict[str, Any]] | None = None


class Screen:
    """The terminal: prints each message, edit, ephemeral, response_url reply and file once."""

    def __init__(self, out: TextIO, data_dir: Path, channel: str) -> None:
        self.out = out
        self.data_dir = data_dir
        self.channel = channel  # where a response_url reply's buttons are pressed
        self.seen: dict[str, str] = {}  # ts -> rendered text, to print new and edited messages
        self.responses_seen = 0
        self.ephemerals_seen = 0
        self.saved: dict[str, Path] = {}  # file id -> where its content was saved
        self.prompting = False  # a `you>` prompt is on screen, waiting for a line
        self.printing = threading.RLock()

    def write(self, text: str) -> None:
        print(text, file=self.out, flush=True)

    def prompt(self) -> None:
        with self.printing:
            print("you> ", end="", file=self.out, flush=True)
            self.prompting = True

    def print_lines(self, lines: list[str], interrupting: bool) -> None:
        """`interrupting`: printed while the `you>` prompt waits, so it is drawn again."""
        with self.printing:
            if not lines:
                return
            if interrupting and self.prompting:
                print("\r", end="", file=self.out)
            for text in lines:
                self.write(text)
            if interrupting and self.prompting:
                print("you> ", end="", file=self.out, flush=True)

    def print_ack(self, status: int, body: str) -> None:
        """The slash command's ack, as Slack shows it to the person alone."""
        if status != 200:
            self.write(f"(the app answered HTTP {status})")
        elif body.strip():
            text = body
            if body.lstrip().startswith("{"):
                text = str(json.loads(body).get("text", ""))
            if text:
                self.write(f"ragft (only you): {plain(text, NAMES)}")

    def unseen(self, standin: SlackStandIn) -> Unseen:
        """Everything the stand-in received that was not printed yet (now marked seen)."""
        out = Unseen()
        for message in list(standin.messages):
            if not message.get("bot_id"):
                continue
            text, found = render_blocks(message, NAMES)
            previous = self.seen.get(message["ts"])
            if previous == text:
                continue
            self.seen[message["ts"]] = text
            out.lines.append(f"{_label(message, edited=previous is not None)}: {text}")
            event = (message.get("metadata") or {}).get("event_type")
            if previous is None and event in THREAD_EVENTS:
                out.where = (message["channel"], message.get("thread_ts") or message["ts"])
            if found and previous is None:
                out.offer = (found, message)
        for ephemeral in standin.ephemerals[self.ephemerals_seen :]:
            out.lines.append(f"ragft (only you): {render_blocks(ephemeral, NAMES)[0]}")
        self.ephemerals_seen = len(standin.ephemerals)
        for body in standin.responses[self.responses_seen :]:
            text, found = render_blocks(body, NAMES)
            out.lines.append(f"ragft (only you): {text}")
            if found:
                out.offer = (found, {**body, "channel": self.channel, "ts": standin.next_ts()})
        self.responses_seen = len(standin.responses)
        for file_id, file in list(standin.files.items()):
            if file.get("content") is not None and file_id not in self.saved:
                path = self._save(file)
                self.saved[file_id] = path
                title = file.get("title") or file.get("filename")
                size = len(file["content"])
                out.lines.append(f"ragft (file “{title}”, {size:,} bytes): saved to {_shown(path)}")
        return out

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


def _label(message: dict[str, Any], *, edited: bool) -> str:
    where = ""
    if str(message.get("channel", "")).startswith("D"):
        where = "direct message"
    elif (message.get("metadata") or {}).get("event_type") == "ragft_revisit":
        where = "thread copy"
    notes = [n for n in (where, "edited" if edited else "") if n]
    return f"ragft ({', '.join(notes)})" if notes else "ragft"


def _shown(path: Path) -> str:
    """A path as short as it reads well: relative to the working directory when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)
