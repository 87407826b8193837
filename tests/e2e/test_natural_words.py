"""A whole interview in people's own words, end to end over signed requests: sentences,
typos, units, ranges and a name as Slack escapes it; every "did you mean" answered (typed
yes, the Yes button, a no then a plain answer); every answer stored as meant, as the
recommendation's `workloads[].answers` shows, and the pattern the engine gives for them."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

import engine
from bot.standin.server import SlackStandIn
from bot.standin.signing import SignedSender
from tests.e2e.harness import press
from tests.e2e.test_interview import (
    OWNER,
    questions,
    recommendation,
    reply,
    start,
    thread_messages,
)

pytestmark = pytest.mark.slow

# What a lead types for each question, and what to do if asked back: "yes" typed, the Yes
# "button", or "no" (then the plain answer in `AGAIN`).
SAID: dict[str, tuple[str, str | None]] = {
    "name": ("R&amp;D bot &lt;b&gt;", None),  # "R&D bot <b>", as Slack sends it
    "workload_name": ("answer customer tickets from our help centre", None),
    "deployment": ("it's going to production next quarter, customers will see it", None),
    "domain": ("customer support for our SaaS", None),
    "task": ("it drafts replies to customer tickets", None),
    "knowledge": ("1,200 help-centre articles that change weekly", None),
    "freshness": ("a few times a week", None),
    "prompt_pass": ("yes, we did a 2-week eval on 400 tickets", None),
    "baseline_pct": ("about 85% on answers but JSON breaks ~6%", "yes"),
    "gaps": ("it gets facts wrong and the JSON breaks", None),
    "quality_target_pct": ("ninety-two percent", None),
    "frontier_ok": ("acceptible", "button"),
    "repeat_queries": ("ofen", "no"),
    "requests_per_day": ("around 8k, peaking at 15k", "yes"),
    "tokens_per_request": ("2k in, 500 out", "yes"),
    "model": ("none of these, we self-host", None),
    "price_per_mtok": ("$6/Mtok", None),
    "engineer_quarter_usd": ("$300k a year", "yes"),
    "another_workload": ("no, that's all", None),
}
AGAIN = {"repeat_queries": "often"}
MEANT: dict[str, Any] = {
    "deployment": "production",
    "domain": "general",
    "task": "generation",
    "knowledge": "corpus",
    "freshness": "weekly",
    "prompt_pass": "yes",
    "baseline_pct": 85,
    "gaps": ["format", "knowledge"],
    "quality_target_pct": 92,
    "frontier_ok": "yes",
    "repeat_queries": "often",
    "requests_per_day": 8000,
    "tokens_per_request": 2500,
    "model": "custom",
    "price_per_mtok": 6.0,
    "engineer_quarter_usd": 75000.0,
}


def _confirms(standin: SlackStandIn, thread: str) -> list[dict[str, Any]]:
    return [
        m
        for m in thread_messages(standin, thread)
        if (m.get("metadata") or {}).get("event_type") == "ragft_confirm"
    ]


def _after_reply(standin: SlackStandIn, thread: str, asked: int, confirms: int) -> str:
    """Wait for what a reply brings: "question", "confirm" or "recommendation"."""

    def brought() -> str | None:
        if recommendation(standin, thread):
            return "recommendation"
        if len(_confirms(standin, thread)) > confirms:
            return "confirm"
        return "question" if len(questions(standin, thread)) > asked else None

    return str(standin.wait_for(brought))


def test_a_whole_interview_in_natural_words(sender: SignedSender, standin: SlackStandIn) -> None:
    thread = start(sender, standin, name="")
    offered: dict[str, Any] = {}
    declined = False
    for _ in range(60):
        asked = questions(standin, thread)
        question_id = asked[-1]["metadata"]["event_payload"]["question_id"]
        text, if_asked = SAID[question_id]
        if declined:
            text, declined = AGAIN[question_id], False
        confirms = len(_confirms(standin, thread))
        reply(sender, standin, thread, text)
        came = _after_reply(standin, thread, len(asked), confirms)
        if came == "confirm":
            confirm = _confirms(standin, thread)[-1]
            payload = confirm["metadata"]["event_payload"]
            assert payload["question_id"] == question_id and payload["workload"] == 0
            assert if_asked is not None, f"asked back on {question_id}: {confirm['text']}"
            offered[question_id] = payload["value"]
            assert "Did you mean" in confirm["text"]
            if if_asked == "button":
                assert press(sender, confirm, 0, user_id=OWNER).status == 200  # Yes
            else:
                reply(sender, standin, thread, if_asked)
                declined = if_asked == "no"
            came = _after_reply(standin, thread, len(asked), confirms + 1)
        if came == "recommendation":
            break
    else:
        raise AssertionError("the interview did not end")
    assert set(offered) == {q for q, (_, asked) in SAID.items() if asked}
    assert offered["requests_per_day"] == 8000 and offered["repeat_queries"] == "often"

    rec = recommendation(standin, thread)
    assert rec is not None
    (workload,) = rec["metadata"]["event_payload"]["workloads"]
    answers = workload["answers"]
    assert {k: answers.get(k) for k in MEANT} == MEANT
    profile = {"name": "R&D bot <b>", "workloads": [{"name": "x", **MEANT}]}
    expected = engine.assess(
        engine.parse_profile(profile), decided_on=date(2026, 1, 1), revisit_on=date(2027, 1, 1)
    )
    assert workload["pattern"] == expected.workloads[0].pattern

    # The redraws echo what was stored; the name is escaped once, not twice.
    redrawn = {
        q["metadata"]["event_payload"]["question_id"]: str(q["blocks"])
        for q in questions(standin, thread)
    }
    assert "R&amp;D bot &lt;b&gt;" in redrawn["name"] and "&amp;amp;" not in redrawn["name"]
    assert "Requests per day: *8,000*" in redrawn["requests_per_day"]
    assert "&amp;amp;" not in str(thread_messages(standin, thread))
