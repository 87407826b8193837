"""Posting a view, and finding a post again: the two Slack calls every other module builds on.

A post whose answer never came (a 5xx after it, a timeout) may still have reached the
thread, so it is looked for by its metadata before it is sent again (`find_in_thread`);
chat.postMessage is never retried blindly.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from conversations.storage.keys import ThreadKey

if TYPE_CHECKING:
    from slack_sdk import WebClient

    from bot.views import SlackMessage

__all__ = ["find_in_thread", "post"]


def post(client: WebClient, channel: str, message: SlackMessage, thread_ts: str | None) -> str:
    """chat.postMessage of a view; returns the new message's ts."""
    response = client.chat_postMessage(
        channel=channel,
        thread_ts=thread_ts,
        text=message.text,
        blocks=message.blocks,
        metadata=message.metadata,
    )
    return str(response["ts"])


def _asks(message: dict[str, Any], ask_id: str) -> bool:
    """Whether a question message is this asking (its blocks carry the ask id)."""
    return any(
        str(block.get("block_id") or "").endswith(f":{ask_id}")
        for block in message.get("blocks") or []
    )


def find_in_thread(
    client: WebClient, where: ThreadKey, event_type: str, **payload: Any
) -> str | None:
    """The ts of a bot message in the thread whose metadata is `event_type` with `payload`.

    Looked up before re-sending a post that may have reached Slack although the answer did
    not (a 5xx after the post, a timeout): chat.postMessage is never retried blindly.
    """
    ask_id = payload.pop("ask_id", None)  # a question's asking is in its block ids
    cursor: str | None = None
    while True:
        response = client.conversations_replies(
            channel=where.channel,
            ts=where.thread_ts,
            include_all_metadata=True,
            limit=200,
            cursor=cursor,
        )
        for message in response.get("messages") or []:
            metadata = message.get("metadata") or {}
            found = metadata.get("event_payload") or {}
            if (
                metadata.get("event_type") == event_type
                and all(found.get(k) == v for k, v in payload.items())
                and (ask_id is None or _asks(message, str(ask_id)))
            ):
                return str(message["ts"])
        cursor = (response.get("response_metadata") or {}).get("next_cursor") or None
        if not cursor:
            return None
