"""Person-supplied text never becomes live Slack markup (reliability review B9)."""

from __future__ import annotations

import re

import pytest

from conversations import Reply
from conversations.parsing import MAX_NAME_CHARS, clean_text, escape, read_name

from .helpers import FULL_RAG_WORKLOAD, answer_by_question, new, send

LIVE = re.compile(r"<[@#!]|<https?:|<[^>]*\|")


@pytest.mark.parametrize(
    "typed",
    [
        "<<_!here>>",
        "<<*!channel>>",
        "<<~@U999>>",
        "<<`https://evil.example|click`>>",
        "<_<_!everyone>_>",
        "<!channel> <@U999> <https://evil.example|click>",
    ],
)
def test_the_cleaner_cannot_be_walked_around(typed: str) -> None:
    """Removing one layer of markup never leaves another behind; escaped, nothing is live."""
    cleaned = clean_text(typed)
    assert clean_text(cleaned) == cleaned
    assert not LIVE.search(cleaned)
    assert "<" not in escape(cleaned) and ">" not in escape(cleaned)


def test_escape_makes_the_three_characters_entities() -> None:
    assert escape("a & <b> &lt;") == "a &amp; &lt;b&gt; &amp;lt;"


def test_a_name_is_cleaned_and_bounded() -> None:
    assert read_name("<!channel> <@U999> <https://evil.example|click>") == "click"
    assert read_name("x" * 100_000) is None
    assert read_name("x" * (MAX_NAME_CHARS + 1)) is None
    assert read_name("<<_!here>>") is None


def test_unknown_field_and_status_show_the_value_escaped() -> None:
    """`change <<*!channel>>` and a workload named with `<`/`&` echo nothing live."""
    state, _ = new()
    state, _ = send(state, "billing")
    _, effects = send(state, "change a<b&c")
    assert "“a&lt;b&amp;c”" in next(e for e in effects if isinstance(e, Reply)).text
    for text in ("change <<*!channel>>", "change a<b&c"):
        _, effects = send(state, text)
        replies = " ".join(e.text for e in effects if isinstance(e, Reply))
        assert not LIVE.search(replies) and "<b" not in replies
    state, effects = new()
    state, effects = answer_by_question(
        state, effects, {**FULL_RAG_WORKLOAD, "workload_name": "R&D > ops"}
    )
    _, effects = send(state, "status")
    status = next(e for e in effects if isinstance(e, Reply)).text
    assert "R&amp;D &gt; ops" in status and "D > ops" not in status
