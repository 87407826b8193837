"""`/ragft` with a word it does not know says so before the command list; the README lists
every command the app answers; each verb is declared once and the rest follows from it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.command_text import (
    COMMAND_HELP,
    RAGFT_VERBS,
    Verb,
    command_ack,
    parse_command,
    words_of,
)
from bot.listeners.commands import VERBS
from bot.views import text as t

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")


def test_an_unknown_command_is_named_before_the_help() -> None:
    """`/ragft bogus` answers "I don't know `/ragft bogus`." and then the command list."""
    assert command_ack("bogus") == f"I don't know `/ragft bogus`.\n{COMMAND_HELP}"
    assert command_ack("  PLEASE do something ").startswith("I don't know `/ragft PLEASE`.\n")
    body = {"command": "/ragft", "text": "bogus"}
    assert command_ack(body.get("text")) == f"I don't know `/ragft bogus`.\n{COMMAND_HELP}"


def test_help_and_nothing_give_the_help_alone() -> None:
    """Asking for help (in any of its words) or typing nothing is no unknown command."""
    for text in ("help", "", "  ", "?", "HELP me"):
        assert command_ack(text) == COMMAND_HELP, text
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


def test_every_verb_declared_has_one_handler() -> None:
    """The verbs `/ragft` understands and the handlers (`@handles`) name the same verbs."""
    assert set(VERBS) == {v.name for v in RAGFT_VERBS}


def test_a_verbs_words_help_and_id_follow_from_its_row() -> None:
    """Every synonym reads as its verb, each help line is in the help in the table's order, and
    an id-taking verb keeps only the id."""
    for verb in RAGFT_VERBS:
        for word in (verb.name, *verb.synonyms):
            assert parse_command(f"{word.upper()} abc1 more").verb == verb.name, word
        assert f"`/ragft {verb.name}" in COMMAND_HELP or not verb.help
        if verb.takes_id:
            assert parse_command(f"{verb.name} `abc1` more").argument == "abc1"
    lines = [v.help for v in RAGFT_VERBS if v.help]
    assert [COMMAND_HELP.index(line) for line in lines] == sorted(
        COMMAND_HELP.index(line) for line in lines
    )


def test_a_word_claimed_by_two_verbs_is_refused_at_import() -> None:
    """Two rows giving the same word is a clear error naming the word, not a silent winner."""
    with pytest.raises(ValueError, match="'go'"):
        words_of((Verb("assess", ("go",)), Verb("list", ("go",))))
