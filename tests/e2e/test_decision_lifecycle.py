"""A decision's lifecycle end to end over signed requests: proposed on post, accepted by a
named decider (a stranger refused), a re-assessment accepted supersedes the first (both
threads linked), the record's front matter, retiring (no more revisits), and what the
register, `/ragft list` and App Home show at each step."""

from __future__ import annotations

import time
from typing import Any

import pytest
import redis

from bot.standin.server import TEAM_ID, SlackStandIn
from bot.standin.signing import SignedSender
from bot.views import text as t
from conversations.storage.revisits import RevisitQueue
from tests.e2e.harness import press
from tests.e2e.test_commands import completed, response_text
from tests.e2e.test_interview import (
    CHANNEL,
    OWNER,
    next_step,
    questions,
    recommendation,
    reply,
    thread_messages,
)

pytestmark = pytest.mark.slow
DECIDER = "U0DECIDER"


def button(message: dict[str, Any], action_id: str) -> int:
    ids = [
        e["action_id"] for b in message["blocks"] if b["type"] == "actions" for e in b["elements"]
    ]
    return ids.index(action_id)


def buttons_message(standin: SlackStandIn, thread: str) -> dict[str, Any]:
    """The recommendation's message that carries its buttons (the last one of its thread)."""
    return next(
        m
        for m in reversed(thread_messages(standin, thread))
        if any(b["type"] == "actions" for b in m.get("blocks") or [])
    )


def said(standin: SlackStandIn, thread: str, words: str) -> dict[str, Any]:
    """Wait for a bot message in the thread containing `words`."""
    found: dict[str, Any] = standin.wait_for(
        lambda: next((m for m in thread_messages(standin, thread) if words in m["text"]), None)
    )
    return found


def told(standin: SlackStandIn, user: str, words: str) -> dict[str, Any]:
    found: dict[str, Any] = standin.wait_for(
        lambda: next(
            (e for e in standin.ephemerals if e.get("user") == user and words in e["text"]), None
        )
    )
    return found


def listed(sender: SignedSender, standin: SlackStandIn, text: str = "list") -> str:
    seen = len(standin.responses)
    sender.command(text, user_id=OWNER)
    return response_text(standin, seen)


def reassess(sender: SignedSender, standin: SlackStandIn, first: str) -> str:
    """Press Re-assess, skip through the interview; the new thread's ts."""
    before = {m["ts"] for m in standin.bot_messages(CHANNEL)}
    last = buttons_message(standin, first)
    press(sender, last, button(last, "ragft_reassess"), user_id=OWNER)
    root = standin.wait_for(
        lambda: next(
            (
                m
                for m in standin.bot_messages(CHANNEL)
                if m["ts"] not in before and not m.get("thread_ts")
            ),
            None,
        )
    )
    thread = str(root["ts"])
    standin.wait_for(lambda: questions(standin, thread))
    for _ in range(30):
        seen = len(questions(standin, thread))
        reply(sender, standin, thread, "skip")
        if next_step(standin, thread, seen) is None:
            break
    assert recommendation(standin, thread) is not None
    return thread


def exported(sender: SignedSender, standin: SlackStandIn, thread: str) -> str:
    before = set(standin.files)
    last = buttons_message(standin, thread)
    press(sender, last, button(last, "ragft_export"), user_id=OWNER)
    uploaded = standin.wait_for(
        lambda: next(
            (f for k, f in standin.files.items() if k not in before and f.get("content")), None
        )
    )
    return bytes(uploaded["content"]).decode()


def test_accept_supersede_and_retire(
    sender: SignedSender, standin: SlackStandIn, redis_client: redis.Redis
) -> None:
    first, assessment_id, _ = completed(sender, standin)
    assert "proposed, decided" in listed(sender, standin)
    assert "proposed" in exported(sender, standin, first).split("---")[1]

    # A stranger cannot accept; once named a decider, they can.
    rec = buttons_message(standin, first)
    press(sender, rec, button(rec, "ragft_accept"), user_id=DECIDER)
    told(standin, DECIDER, "Only <@U0OWNER>")
    seen = len(standin.responses)
    sender.command(f"deciders {assessment_id} <@{DECIDER}|dee>", user_id=OWNER)
    assert f"<@{DECIDER}>" in response_text(standin, seen)
    press(sender, rec, button(rec, "ragft_accept"), user_id=DECIDER)
    said(standin, first, f"<@{DECIDER}> accepted this decision")
    press(sender, rec, button(rec, "ragft_accept"), user_id=OWNER)  # a second press: a note
    told(standin, OWNER, "already accepted")
    assert "accepted, decided" in listed(sender, standin)
    record = exported(sender, standin, first)
    assert "status: accepted\n" in record and f"deciders: [{OWNER}, {DECIDER}]" in record
    assert f"accepted-by: {DECIDER}" in record

    # The re-assessment is proposed while the first stays accepted; accepting it supersedes.
    second = reassess(sender, standin, first)
    assert "proposed" in listed(sender, standin)
    old = buttons_message(standin, first)
    press(sender, old, button(old, "ragft_accept"), user_id=OWNER)
    told(standin, OWNER, "re-assessed since")
    new = buttons_message(standin, second)
    press(sender, new, button(new, "ragft_accept"), user_id=OWNER)
    accepted = said(standin, second, "accepted this decision")
    assert "supersedes version 1" in accepted["text"]
    assert f"p{first.replace('.', '')}" in accepted["text"]  # a link to the first thread
    superseded = said(standin, first, "superseded")
    assert f"p{second.replace('.', '')}" in superseded["text"]  # and back
    record = exported(sender, standin, second)
    assert "status: accepted\n" in record and "version: 2" in record
    assert f'supersedes: "{assessment_id} v1 (decided ' in record
    assert "accepted" in listed(sender, standin, "list all")

    # Retiring: the revisit is gone, the register and Home say so, and Accept is refused.
    revisits = RevisitQueue(redis_client)
    standin.wait_for(lambda: revisits.status(TEAM_ID, assessment_id) is not None)
    press(sender, new, button(new, "ragft_retire"), user_id=OWNER)
    said(standin, second, "retired this decision")
    assert revisits.status(TEAM_ID, assessment_id) is None
    assert "retired" in listed(sender, standin, "list all")
    mine = listed(sender, standin)
    assert "retired, decided" in mine and "revisit on" not in mine
    sender.app_home_opened(user=OWNER)
    standin.wait_for(lambda: "retired" in str(standin.views.get(OWNER)))
    assert "status: retired" in exported(sender, standin, second)
    press(sender, new, button(new, "ragft_accept"), user_id=OWNER)
    told(standin, OWNER, t.RETIRED_NOT_ACCEPTED)


def test_an_accept_whose_post_slack_refused_is_announced_on_the_retry(
    sender: SignedSender, standin: SlackStandIn
) -> None:
    """Slack fails the thread post of an Accept for a moment: the presser is told, and their
    press again announces it in the thread instead of answering "already accepted"."""
    first, _, _ = completed(sender, standin)
    rec = buttons_message(standin, first)
    standin.fail_while(1.0, 503, methods={"chat.postMessage"})
    seen = len(standin.responses)
    press(sender, rec, button(rec, "ragft_accept"), user_id=OWNER)
    standin.wait_for(lambda: len(standin.responses) > seen, timeout=30)
    time.sleep(1.0)
    press(sender, rec, button(rec, "ragft_accept"), user_id=OWNER)
    standin.wait_for(
        lambda: any(
            "accepted this decision" in str(m.get("text")) for m in thread_messages(standin, first)
        ),
        timeout=60,
    )
    assert not [r for r in standin.responses if "already accepted" in str(r)]
