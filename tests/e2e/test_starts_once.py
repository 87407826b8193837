"""Every start is claimed once, whatever Slack sends twice (N12, N13); an org-wide press
with `"team": null` is applied (N7)."""

from __future__ import annotations

import json
import threading
import time
from typing import Any
from urllib.parse import urlencode

import pytest

from bot.standin.server import SlackStandIn
from bot.standin.signing import SignedSender
from tests.e2e.harness import press

pytestmark = pytest.mark.slow

DM = "D0OWNER"
OWNER = "U0OWNER"


def _roots(standin: SlackStandIn, channel: str) -> list[dict[str, Any]]:
    """The root messages of the interviews started in a channel."""
    return [
        m for m in standin.bot_messages(channel) if not m.get("thread_ts") and "<@" in m["text"]
    ]


def _firsts(standin: SlackStandIn, channel: str) -> list[dict[str, Any]]:
    return [
        m
        for m in standin.bot_messages(channel)
        if (m.get("metadata") or {}).get("event_type") == "ragft_question"
    ]


def test_a_retried_direct_message_assess_starts_one_interview(
    sender: SignedSender, standin: SlackStandIn
) -> None:
    """Slack retries a DM `assess` (same event id, Retry-Num 1 and 2) and sends it under a
    second event id: one interview."""
    ts = standin.next_ts()
    event = {
        "type": "message",
        "channel": DM,
        "user": OWNER,
        "text": "assess Dup bot",
        "ts": ts,
        "channel_type": "im",
    }
    assert sender.event(event, event_id="EvDUP1").status == 200
    assert sender.event(event, event_id="EvDUP1", retry_num=1).status == 200
    assert sender.event(event, event_id="EvDUP2").status == 200
    assert sender.event(event, event_id="EvDUP1", retry_num=2).status == 200
    standin.wait_for(lambda: _firsts(standin, DM))
    standin.wait_quiet(quiet=1.5, timeout=15)
    assert len(_roots(standin, DM)) == 1
    assert len(_firsts(standin, DM)) == 1


def test_a_double_press_of_start_here_starts_one_interview(
    sender: SignedSender, standin: SlackStandIn
) -> None:
    """*Start an assessment here* pressed twice at once: one interview."""
    sender.message("hi", channel=DM, user=OWNER, ts=standin.next_ts(), channel_type="im")
    helped = standin.wait_for(lambda: standin.bot_messages(DM))[-1]
    presses = [
        threading.Thread(target=press, args=(sender, helped, 0), kwargs={"user_id": OWNER})
        for _ in range(2)
    ]
    for p in presses:
        p.start()
    for p in presses:
        p.join()
    standin.wait_for(lambda: _firsts(standin, DM))
    standin.wait_quiet(quiet=1.5, timeout=15)
    assert len(_firsts(standin, DM)) == 1


def test_a_press_with_a_null_team_is_read_from_the_user(
    sender: SignedSender, standin: SlackStandIn
) -> None:
    """An org-wide app's press may carry `"team": null`; the presser's `user.team_id` says
    which workspace it is, and the answer is applied."""
    channel = "C0NULLTEAM"
    sender.command("assess Null team", user_id=OWNER, channel_id=channel)
    first = standin.wait_for(lambda: _firsts(standin, channel))[0]
    sender.message(
        "billing answers",
        channel=channel,
        user=OWNER,
        thread_ts=first["thread_ts"],
        ts=standin.next_ts(),
    )
    question = standin.wait_for(lambda: _firsts(standin, channel)[1:])[0]
    assert question["metadata"]["event_payload"]["question_id"] == "deployment"
    buttons = [
        (b["block_id"], e)
        for b in question["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
    ]
    block_id, element = buttons[0]
    payload = {
        "type": "block_actions",
        "api_app_id": "A0RAGFT",
        "team": None,
        "user": {"id": OWNER, "username": "owner", "team_id": sender.team_id},
        "trigger_id": "9.nullteam",
        "response_url": f"{standin.url}response/99",
        "channel": {"id": channel},
        "message": question,
        "container": {
            "type": "message",
            "message_ts": question["ts"],
            "channel_id": channel,
            "thread_ts": question["thread_ts"],
        },
        "actions": [
            {
                "type": "button",
                "action_id": element["action_id"],
                "block_id": block_id,
                "value": element["value"],
                "action_ts": f"{time.time():.6f}",
            }
        ],
    }
    body = urlencode({"payload": json.dumps(payload)}).encode()
    assert sender.send_raw(body, "application/x-www-form-urlencoded").status == 200
    standin.wait_for(lambda: len(_firsts(standin, channel)) >= 3, timeout=15)
