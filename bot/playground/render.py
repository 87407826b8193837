"""Block Kit to plain text for the terminal playground: buttons become keys to type.

Slack's markup does not leak into the terminal: mentions read `@you`, `*bold*` and
`_italic_` lose their marks, `code` is quoted and ``` fences are dropped.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

from bot.views.action_ids import CONTROL_PREFIX

_MENTION = re.compile(r"<([@#!])([^>|]*)(?:\|([^>]*))?>")
_LINK = re.compile(r"<((?:https?|mailto):[^>|]+)(?:\|([^>]*))?>")
_FENCE = re.compile(r"```\n?")
_CODE = re.compile(r"`([^`\n]+)`")
_BOLD = re.compile(r"(?<![\w*])\*([^*\n]+)\*(?![\w*])")
_ITALIC = re.compile(r"(?<![\w_])_([^_\n]+)_(?![\w_])")


@dataclass(frozen=True)
class Control:
    """One thing the person can press: a button, a select option or a checkbox."""

    label: str
    block_id: str | None
    element: dict[str, Any]
    option: dict[str, Any] | None = None
    key: str = ""  # what to type to press it: its number, or a word for a question's controls

    @property
    def is_checkbox(self) -> bool:
        return self.element.get("type") == "checkboxes"

    def action(self, ticked: Collection[str] = ()) -> dict[str, Any]:
        """The `actions[0]` of the block_actions payload pressing this choice sends."""
        action: dict[str, Any] = {
            "action_id": self.element.get("action_id", ""),
            "block_id": self.block_id,
            "type": self.element.get("type", "button"),
        }
        if self.is_checkbox:
            action["selected_options"] = [
                o for o in self.element.get("options", []) if o.get("value") in ticked
            ]
        elif self.option is not None:
            action["selected_option"] = self.option
        else:
            action["value"] = self.element.get("value", "")
            action["text"] = self.element.get("text")
        return action


def plain(text: str, names: Mapping[str, str] | None = None) -> str:
    """Slack mrkdwn as terminal text; `names` maps user ids to what to call them."""
    names = names or {}

    def mention(match: re.Match[str]) -> str:
        sigil, ident, label = match.group(1), match.group(2), match.group(3)
        if sigil == "@":
            return "@" + (label or names.get(ident, ident))
        if sigil == "#":
            return "#" + (label or ident)
        return "@" + (label or ident.split("^")[0])

    text = _LINK.sub(lambda m: f"{m.group(2)} ({m.group(1)})" if m.group(2) else m.group(1), text)
    text = _MENTION.sub(mention, text)
    text = _FENCE.sub("", text)
    text = _CODE.sub(r"“\1”", text)
    text = _BOLD.sub(r"\1", text)
    text = _ITALIC.sub(r"\1", text)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _text(obj: Any) -> str:
    if isinstance(obj, dict):
        return str(obj.get("text", ""))
    return "" if obj is None else str(obj)


def _control_word(element: dict[str, Any]) -> str:
    return str(element.get("action_id", "")).removeprefix(CONTROL_PREFIX)


def controls(message: dict[str, Any]) -> list[Control]:
    """Every button, select option and checkbox of a message, in order, with its key.

    One style everywhere: answers, options and other buttons are numbered from 1; the
    interview's controls (back, skip, why, cancel, and yes/no under a confirmation) go by
    their word, the same word that works when typed.
    """
    found: list[Control] = []
    for block in message.get("blocks") or []:
        elements = list(block.get("elements", [])) if block.get("type") == "actions" else []
        if block.get("type") == "section" and isinstance(block.get("accessory"), dict):
            elements.append(block["accessory"])
        for element in elements:
            if element.get("type") == "button":
                found.append(Control(_text(element.get("text")), block.get("block_id"), element))
            for option in element.get("options", []) or []:
                found.append(
                    Control(_text(option.get("text")), block.get("block_id"), element, option)
                )
    keyed: list[Control] = []
    number = 0
    for c in found:
        if str(c.element.get("action_id", "")).startswith(CONTROL_PREFIX):
            key = _control_word(c.element)
        else:
            number += 1
            key = str(number)
        keyed.append(Control(c.label, c.block_id, c.element, c.option, key))
    return keyed


def state_values(found: list[Control], ticked: Collection[str]) -> dict[str, Any]:
    """The `state` a block_actions payload carries: what is ticked in the message."""
    values: dict[str, Any] = {}
    for choice in found:
        if choice.is_checkbox and choice.block_id:
            values.setdefault(choice.block_id, {})[choice.element.get("action_id", "")] = {
                "type": "checkboxes",
                **{k: v for k, v in choice.action(ticked).items() if k == "selected_options"},
            }
    return {"values": values}


def render_blocks(
    message: dict[str, Any],
    names: Mapping[str, str] | None = None,
    ticked: Collection[str] = (),
) -> tuple[str, list[Control]]:
    """The message as lines of plain text, and its choices with the keys that press them."""
    lines: list[str] = []
    for block in message.get("blocks") or []:
        kind = block.get("type")
        if kind in ("section", "header"):
            if block.get("text"):
                lines.append(_text(block["text"]))
            lines.extend(_text(f) for f in block.get("fields", []) or [])
        elif kind == "context":
            lines.append("  " + " · ".join(_text(e) for e in block.get("elements", [])))
        elif kind == "divider":
            lines.append("—" * 20)
        elif kind == "rich_text":
            lines.append(_rich_text(block))
        elif kind == "table":
            lines.extend(_table(block))
    if not lines:
        lines.append(str(message.get("text", "")))
    found = controls(message)
    if found:
        lines.append("  " + "   ".join(_label(c, ticked) for c in found))
    text = "\n".join(plain(line, names).rstrip() for line in lines)
    return "\n".join(line for line in text.splitlines() if line.strip()), found


def _table(block: dict[str, Any]) -> list[str]:
    """A Block Kit table as aligned columns (numbers right-aligned, as Slack shows them)."""
    rows = [[str(cell.get("text", "")) for cell in row] for row in block.get("rows") or []]
    if not rows:
        return []
    settings = block.get("column_settings") or []
    widths = [max(len(row[i]) for row in rows if i < len(row)) for i in range(len(rows[0]))]
    right = [
        i < len(settings) and (settings[i] or {}).get("align") == "right"
        for i in range(len(widths))
    ]
    return [
        "  "
        + "  ".join(
            cell.rjust(widths[i]) if right[i] else cell.ljust(widths[i])
            for i, cell in enumerate(row)
        )
        for row in rows
    ]


def _label(choice: Control, ticked: Collection[str]) -> str:
    if choice.is_checkbox and choice.option is not None:
        box = "☑" if choice.option.get("value") in ticked else "☐"
        return f"[{choice.key}] {box} {choice.label}"
    return f"[{choice.key}] {choice.label}"


def _rich_text(block: dict[str, Any]) -> str:
    parts: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") == "text":
                parts.append(str(node.get("text", "")))
            for child in node.get("elements", []) or []:
                walk(child)

    walk(block)
    return "".join(parts)
