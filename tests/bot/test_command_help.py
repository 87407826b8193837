"""`/ragft` with a word it does not know says so before the command list; the README lists
every command the app answers."""

from __future__ import annotations

import re
from pathlib import Path

from bot.command_text import command_ack
from bot.listeners.commands import VERBS
from bot.views import text as t

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")


def test_an_unknown_command_is_named_before_the_help() -> None:
    """`/ragft bogus` answers "I don't know `/ragft bogus`." and then the command list."""
    assert command_ack("bogus") == f"I don't know `/ragft bogus`.\n{t.HELP}"
    assert command_ack("  PLEASE do something ").startswith("I don't know `/ragft PLEASE`.\n")
    body = {"command": "/ragft", "text": "bogus"}
    assert command_ack(body.get("text")) == f"I don't know `/ragft bogus`.\n{t.HELP}"


def test_help_and_nothing_give_the_help_alone() -> None:
    """Asking for help (in any of its words) or typing nothing is no unknown command."""
    for text in ("help", "", "  ", "?", "HELP me"):
        assert command_ack(text) == t.HELP, text
    assert command_ack("list") == ""


def test_the_echoed_word_is_inert_and_bounded() -> None:
    """The word comes back escaped once (Slack sent it escaped), without a backtick that would
    end the code span, and cut to a bounded length."""
    first = command_ack("&lt;!channel&gt;").split("\n", 1)[0]
    assert first == "I don't know `/ragft &lt;!channel&gt;`."
    first = command_ack("a`b<@U1>").split("\n", 1)[0]
    assert first == "I don't know `/ragft a'b&lt;@U1&gt;`."
    first = command_ack("x" * 5000).split("\n", 1)[0]
    assert first == f"I don't know `/ragft {'x' * (t.MAX_UNKNOWN_CHARS - 1)}…`."


def test_readme_lists_every_command() -> None:
    """Each verb the `/ragft` listener answers appears in the README as `/ragft VERB`."""
    for verb in VERBS:
        assert re.search(rf"`/ragft {re.escape(verb)}[ `]", README), verb
