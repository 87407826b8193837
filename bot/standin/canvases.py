"""The stand-in's canvases: `canvases.create` (a canvas in a channel, from Markdown) and
`canvases.edit` (one `replace`, `insert_at_end` or `insert_at_start` per call), kept in
`standin.canvases`; and the refusals Slack gives, per workspace plan or scope.

`refuse_canvases("team_tier_cannot_create_channel_canvases")` (or `not_allowed`,
`missing_scope`) makes every later canvas call fail that way until `refuse_canvases(None)`.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

# What canvases.create and canvases.edit can answer besides ok (a subset of Slack's list).
REFUSALS = ("team_tier_cannot_create_channel_canvases", "not_allowed", "missing_scope")


class CanvasSide:
    """Mixed into `SlackStandIn`; every method runs under the stand-in's lock."""

    canvases: dict[str, dict[str, Any]]
    _canvas_refusal: str | None

    def _init_canvases(self) -> None:
        self.canvases = {}
        self._canvas_refusal = None
        self._canvas_ids = itertools.count(1)

    def refuse_canvases(self, error: str | None) -> None:
        """Answer every canvas call with `error` (None: serve them again)."""
        self._canvas_refusal = error

    def _canvas_refused(self) -> dict[str, Any] | None:
        if self._canvas_refusal is None:
            return None
        answer: dict[str, Any] = {"ok": False, "error": self._canvas_refusal}
        if self._canvas_refusal == "missing_scope":
            answer["needed"] = "canvases:write"
        return answer

    def _create_canvas(self, a: dict[str, Any]) -> dict[str, Any]:
        if (refused := self._canvas_refused()) is not None:
            return refused
        content = a.get("document_content") or {}
        if content and content.get("type") != "markdown":
            return {"ok": False, "error": "invalid_document_content"}
        canvas_id = f"F0CANVAS{next(self._canvas_ids):04d}"
        self.canvases[canvas_id] = {
            "id": canvas_id,
            "title": a.get("title"),
            "channel_id": a.get("channel_id"),
            "markdown": str(content.get("markdown", "")),
            "edits": 0,
        }
        return {"ok": True, "canvas_id": canvas_id}

    def _edit_canvas(self, a: dict[str, Any]) -> dict[str, Any]:
        if (refused := self._canvas_refused()) is not None:
            return refused
        canvas = self.canvases.get(str(a.get("canvas_id")))
        if canvas is None:
            return {"ok": False, "error": "canvas_not_found"}
        changes = a.get("changes") or []
        if len(changes) != 1:  # Slack takes one operation per call
            return {"ok": False, "error": "invalid_arguments"}
        change = changes[0]
        markdown = str((change.get("document_content") or {}).get("markdown", ""))
        operation = change.get("operation")
        if operation == "replace" and not change.get("section_id"):
            canvas["markdown"] = markdown
        elif operation == "insert_at_end":
            canvas["markdown"] += "\n" + markdown
        elif operation == "insert_at_start":
            canvas["markdown"] = markdown + "\n" + canvas["markdown"]
        else:
            return {"ok": False, "error": "invalid_arguments"}
        canvas["edits"] += 1
        return {"ok": True}

    def _delete_canvas(self, a: dict[str, Any]) -> dict[str, Any]:
        if (refused := self._canvas_refused()) is not None:
            return refused
        found = self.canvases.pop(str(a.get("canvas_id")), None)
        return {"ok": True} if found else {"ok": False, "error": "canvas_not_found"}


# The canvas methods, for the stand-in's table of answers (`server.ANSWERS`).
CANVAS_ANSWERS: dict[str, Callable[[CanvasSide, dict[str, Any]], dict[str, Any]]] = {
    "canvases.create": CanvasSide._create_canvas,
    "canvases.edit": CanvasSide._edit_canvas,
    "canvases.delete": CanvasSide._delete_canvas,
}
