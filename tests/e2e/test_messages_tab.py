"""The Messages tab (agent view) end to end over signed requests: opening it greets the
person once with three suggested prompts; *Assess a workload* runs the interview in a thread
there, with a status while the recommendation is worked out; *My decisions* and *What is due
for a revisit* (pressed, or typed as Slack's prompt list sends them) answer there."""

from __future__ import annotations

from typing import Any

import pytest

from bot.standin.server import SlackStandIn
from bot.standin.signing import SignedSender
from bot.views import text as t
from tests.e2e.harness import press
from tests.e2e.test_interview import OWNER, REPLIES

pytestmark = pytest.mark.slow
DM = "D" + OWNER.lstrip("U")  # the stand-in's DM channel with the owner


def messages_tab_opened(sender: SignedSender) -> None:
    assert sender.app_home_opened(user=OWNER, tab="messages").status == 200


def typed(
    sender: SignedSender, standin: SlackStandIn, text: str, thread: str | None = None
) -> None:
    """The owner types in the Messages tab (in a thread when `thread` is given)."""
    ts = standin.next_ts()
    response = sender.message(
        text, channel=DM, user=OWNER, thread_ts=thread, ts=ts, channel_type="im"
    )
    assert response.status == 200


def in_dm(standin: SlackStandIn) -> list[dict[str, Any]]:
    return standin.bot_messages(DM)


def test_greeting_interview_status_and_prompts(sender: SignedSender, standin: SlackStandIn) -> None:
    messages_tab_opened(sender)
    greeting = standin.wait_for(
        lambda: next((m for m in in_dm(standin) if t.AGENT_ASSESS in str(m.get("blocks"))), None)
    )
    labels = [
        e["text"]["text"]
        for b in greeting["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
    ]
    assert labels == [t.AGENT_ASSESS, t.AGENT_MINE, t.AGENT_DUE]
    messages_tab_opened(sender)  # opened again the same day: no second greeting
    standin.wait_quiet()
    assert len(in_dm(standin)) == 1

    press(sender, greeting, 0, user_id=OWNER)  # Assess a workload
    root = standin.wait_for(
        lambda: next(
            (
                m
                for m in in_dm(standin)
                if not m.get("thread_ts") and m is not greeting and m["ts"] != greeting["ts"]
            ),
            None,
        )
    )
    thread = root["ts"]

    def asked() -> list[dict[str, Any]]:
        return [
            m
            for m in in_dm(standin)
            if m.get("thread_ts") == thread
            and (m.get("metadata") or {}).get("event_type") == "ragft_question"
        ]

    def recommended() -> dict[str, Any] | None:
        return next(
            (
                m
                for m in in_dm(standin)
                if m.get("thread_ts") == thread
                and (m.get("metadata") or {}).get("event_type") == "ragft_recommendation"
            ),
            None,
        )

    standin.wait_for(asked)
    for _ in range(40):
        seen = len(asked())
        qid = asked()[-1]["metadata"]["event_payload"]["question_id"]
        text = REPLIES[qid] if qid != "name" else "DM bot"
        typed(sender, standin, text, thread)
        standin.wait_for(lambda seen=seen: len(asked()) > seen or recommended())
        if recommended():
            break
    rec = recommended()
    assert rec is not None
    status = standin.wait_for_call("assistant.threads.setStatus")
    assert status.args["channel_id"] == DM and status.args["thread_ts"] == thread
    assert status.args["status"] == t.AGENT_STATUS
    assert standin.calls.index(status) < next(
        i
        for i, c in enumerate(standin.calls)
        if c.method == "chat.postMessage"
        and (c.args.get("metadata") or {}).get("event_type") == "ragft_recommendation"
    )

    count = len(in_dm(standin))
    press(sender, greeting, 1, user_id=OWNER)  # My decisions
    mine = standin.wait_for(lambda: in_dm(standin)[count:])
    assert "billing answers" in str(mine[0]["blocks"]) or "DM bot" in str(mine[0]["blocks"])
    count = len(in_dm(standin))
    typed(sender, standin, "What is due for a revisit?")
    due = standin.wait_for(lambda: in_dm(standin)[count:])
    assert due[0]["text"] == t.AGENT_NOTHING_DUE  # a year away
