"""Block Kit helpers that keep every message inside Slack's limits."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from slack_sdk.models.blocks import Block, MarkdownTextObject, SectionBlock

MAX_BLOCKS = 50  # per message
MAX_SECTION_TEXT = 3000  # characters of one section's text
MAX_HEADER_TEXT = 150
MAX_BUTTON_TEXT = 75
MAX_CONTEXT_TEXT = 2000  # characters of one context element
MAX_TEXT = 3000  # a message's fallback text, as we send it
MAX_OPTIONS = 10  # checkboxes in one element
MAX_ACTIONS = 25  # elements in one actions block
MAX_HOME_ITEMS = 45  # assessments on the App Home: 2 blocks each within a view's 100 blocks


@dataclass(frozen=True)
class SlackMessage:
    """One message ready for chat.postMessage: fallback text, blocks as dicts, optional metadata."""

    text: str
    blocks: list[dict[str, Any]]
    metadata: dict[str, Any] | None = field(default=None)


def clip(text: str, limit: int) -> str:
    """Shorten text to `limit` characters, marking the cut with an ellipsis."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def chunk_text(text: str, limit: int = MAX_SECTION_TEXT) -> list[str]:
    """Split text into pieces of at most `limit` characters, at line breaks where possible."""
    pieces: list[str] = []
    current = ""
    for line in text.split("\n"):
        while len(line) > limit:  # one line too long on its own: hard cut
            if current:
                pieces.append(current)
                current = ""
            pieces.append(line[:limit])
            line = line[limit:]
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > limit:
            pieces.append(current)
            current = line
        else:
            current = candidate
    if current or not pieces:
        pieces.append(current)
    return pieces


def sections(text: str) -> list[SectionBlock]:
    """One or more mrkdwn sections holding `text`, each within the section text limit."""
    return [SectionBlock(text=MarkdownTextObject(text=piece)) for piece in chunk_text(text)]


def code_sections(text: str) -> list[SectionBlock]:
    """Fixed-width text in one or more sections; each piece is its own code block."""
    return [
        SectionBlock(text=MarkdownTextObject(text=f"```{piece}```"))
        for piece in chunk_text(text, MAX_SECTION_TEXT - 6)
    ]


def to_dicts(blocks: Iterable[Block]) -> list[dict[str, Any]]:
    """Serialise Block Kit models (validated by slack_sdk on the way)."""
    return [block.to_dict() for block in blocks]


def pack(
    blocks: Sequence[dict[str, Any]],
    *,
    tail: Sequence[dict[str, Any]] = (),
    limit: int = MAX_BLOCKS,
) -> list[list[dict[str, Any]]]:
    """Split blocks into messages of at most `limit` blocks; `tail` stays together at the end."""
    messages: list[list[dict[str, Any]]] = [[]]
    for block in blocks:
        if len(messages[-1]) >= limit:
            messages.append([])
        messages[-1].append(block)
    if tail:
        if len(messages[-1]) + len(tail) > limit:
            messages.append([])
        messages[-1].extend(tail)
    return messages
