"""Block Kit to plain text for the terminal playground: buttons become numbered choices."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Choice:
    """One thing the person can press: a button or an option of a select menu."""

    label: str
    block_id: str | None
    element: dict[str, Any]
    option: dict[str, Any] | None = None

    def action(self) -> dict[str, Any]:
        """The `actions[0]` of the block_actions payload pressing this choice sends."""
        action: dict[str, Any] = {
            "action_id": self.element.get("action_id", ""), "block_id": self.block_id,
            "type": self.element.get("type", "button"),
        }
        if self.option is not None:
            action["selected_option"] = self.option
        else:
            action["value"] = self.element.get("value", "")
            action["text"] = self.element.get("text")
        return action


def _text(obj: Any) -> str:
    if isinstance(obj, dict):
        return str(obj.get("text", ""))
    return "" if obj is None else str(obj)


def choices(message: dict[str, Any]) -> list[Choice]:
    """Every button and select option of a message, in order."""
    found: list[Choice] = []
    for block in message.get("blocks") or []:
        elements = list(block.get("elements", [])) if block.get("type") == "actions" else []
        if block.get("type") == "section" and isinstance(block.get("accessory"), dict):
            elements.append(block["accessory"])
        for element in elements:
            if element.get("type") == "button":
                found.append(Choice(_text(element.get("text")), block.get("block_id"), element))
            for option in element.get("options", []) or []:
                found.append(Choice(_text(option.get("text")), block.get("block_id"), element,
                                    option))
    return found


def render(message: dict[str, Any], first_number: int = 1) -> tuple[str, list[Choice]]:
    """The message as lines of text, and its choices numbered from `first_number`."""
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
    if not lines:
        lines.append(str(message.get("text", "")))
    found = choices(message)
    if found:
        numbered = (f"[{first_number + i}] {c.label}" for i, c in enumerate(found))
        lines.append("  " + "   ".join(numbered))
    return "\n".join(line for line in lines if line is not None), found


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
