"""The one place that reads Slack request bodies: who, where, which button.

A body is a slash command, an Events API envelope or a block action; each reader looks
where that kind of body keeps the value and answers "" (or None) when none has it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = [
    "action",
    "action_value",
    "channel_id",
    "log_fields",
    "message_ts",
    "team_id",
    "thread_ts",
    "user_id",
]

Body = Mapping[str, Any]


def _part(body: Body, key: str) -> Mapping[str, Any]:
    inner = body.get(key)
    return inner if isinstance(inner, Mapping) else {}


def team_id(body: Body) -> str:
    """The workspace id of any Slack request body."""
    team = (
        body.get("team_id")
        or _part(body, "team").get("id")
        or _part(body, "event").get("team")
        # an org-wide app's press may come with `"team": null`: the presser's workspace
        or _part(body, "user").get("team_id")
    )
    return str(team or "")


def user_id(body: Body) -> str:
    """The person who typed, pressed or opened something."""
    user = body.get("user_id") or body.get("user") or _part(body, "event").get("user")
    if isinstance(user, Mapping):
        user = user.get("id")
    return user if isinstance(user, str) else ""


def channel_id(body: Body) -> str:
    """The channel of the command, the event, or the message a button sits on."""
    event_channel = _part(body, "event").get("channel")
    channel = (
        body.get("channel_id")
        or _part(body, "channel").get("id")
        or _part(body, "container").get("channel_id")
        or (event_channel if isinstance(event_channel, str) else None)
    )
    return str(channel or "")


def message_ts(body: Body) -> str:
    """The ts of the message a button sits on."""
    return str(_part(body, "message").get("ts") or _part(body, "container").get("message_ts") or "")


def thread_ts(body: Body) -> str:
    """The thread of the event or of the button's message (a root message is its own thread)."""
    thread = (
        _part(body, "event").get("thread_ts")
        or _part(body, "message").get("thread_ts")
        or _part(body, "container").get("thread_ts")
    )
    return str(thread or message_ts(body))


def action(body: Body) -> Mapping[str, Any]:
    """The pressed button or chosen option of a block action."""
    actions = body.get("actions") or [{}]
    first = actions[0]
    return first if isinstance(first, Mapping) else {}


def action_value(body: Body) -> str:
    """The pressed button's value, or the chosen option's."""
    pressed = action(body)
    return str(pressed.get("value") or _part(pressed, "selected_option").get("value") or "")


def log_fields(body: Body) -> dict[str, str]:
    """team, channel and thread of a request, for its log lines (only those it has)."""
    fields = {"team": team_id(body), "channel": channel_id(body), "thread": thread_ts(body)}
    return {key: value for key, value in fields.items() if value}
