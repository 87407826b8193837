"""A reply whose delivery is given up after the last attempt: its author is told what to do
(N9), in the thread or, when Slack refuses the channel, in their DM with the app."""

from __future__ import annotations

from typing import Any

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.app import on_worker_error
from bot.inbox import CONTEXT_KEY
from bot.standin.server import SlackStandIn

BODY: dict[str, Any] = {
    "type": "event_callback",
    "team_id": "T0PLAYGND",
    "event_id": "EvPOISON",
    "event": {
        "type": "message",
        "channel": "CPOIS2",
        "user": "U0OWNER",
        "text": "main",
        "ts": "1700000000.000200",
        "thread_ts": "1700000000.000100",
    },
}


def _refused(client: WebClient) -> SlackApiError:
    with pytest.raises(SlackApiError) as failed:
        client.chat_postMessage(channel="CPOIS2", text="the next question")
    return failed.value


def test_the_author_of_a_given_up_reply_is_told_by_dm(standin: SlackStandIn) -> None:
    client = WebClient(token="xoxb-fake-token", base_url=standin.api_url)
    standin.fail_while(60, 500, channels={"CPOIS2"})
    error = _refused(client)
    context = {CONTEXT_KEY: {"attempt": 12, "last": True}}
    on_worker_error(error, BODY, client, lambda **_: None, context)  # type: ignore[arg-type]
    told = [m for m in standin.messages if m["channel"] == "D0OWNER"]
    assert len(told) == 1
    assert "status" in told[0]["text"] and "<#CPOIS2>" in told[0]["text"]


def test_an_earlier_attempt_is_retried_quietly(standin: SlackStandIn) -> None:
    client = WebClient(token="xoxb-fake-token", base_url=standin.api_url)
    standin.fail_while(60, 500, channels={"CPOIS2"})
    error = _refused(client)
    outcome: dict[str, Any] = {"attempt": 3, "last": False}
    on_worker_error(error, BODY, client, lambda **_: None, {CONTEXT_KEY: outcome})  # type: ignore[arg-type]
    assert outcome["retry"] > 0
    assert not [m for m in standin.messages if m["channel"] == "D0OWNER"]
