"""The interview in a thread, end to end: signed requests to `ragft web`, the Slack stand-in."""

from __future__ import annotations

from typing import Any

import pytest

from bot.standin.server import SlackStandIn
from bot.standin.signing import SignedSender
from bot.views import text as t
from tests.e2e.harness import WebProcess, press

pytestmark = pytest.mark.slow

CHANNEL = "C0PLAYGND"
OWNER = "U0OWNER"
# One reply per question id: a generation workload on a large corpus.
REPLIES: dict[str, str] = {
    "name": "Support bot",
    "workload_name": "billing answers",
    "deployment": "prod",
    "domain": "general",
    "task": "generation",
    "knowledge": "corpus",
    "freshness": "weekly",
    "prompt_pass": "yep",
    "baseline_pct": "about 85%",
    "gaps": "tone",
    "quality_target_pct": "85",
    "frontier_ok": "yes",
    "repeat_queries": "often",
    "requests_per_day": "10k",
    "tokens_per_request": "1500",
    "model": "my own price",
    "price_per_mtok": "$5",
    "engineer_quarter_usd": "60000",
    "another_workload": "no",
}
# The same answers as button choices where the question has buttons.
BUTTONS: dict[str, str] = {
    "deployment": "production",
    "domain": "general",
    "task": "generation",
    "knowledge": "small_fixed",
    "freshness": "daily",
    "prompt_pass": "no",
    "frontier_ok": "yes",
    "another_workload": "no",
}


def thread_messages(standin: SlackStandIn, thread_ts: str) -> list[dict[str, Any]]:
    """The bot's messages in one thread, oldest first."""
    return [m for m in standin.bot_messages(CHANNEL) if m.get("thread_ts") == thread_ts]


def questions(standin: SlackStandIn, thread_ts: str) -> list[dict[str, Any]]:
    """The question messages (ragft_question metadata) of one thread."""
    return [
        m
        for m in thread_messages(standin, thread_ts)
        if (m.get("metadata") or {}).get("event_type") == "ragft_question"
    ]


def recommendation(standin: SlackStandIn, thread_ts: str) -> dict[str, Any] | None:
    """The first recommendation message of a thread, if posted."""
    return next(
        (
            m
            for m in thread_messages(standin, thread_ts)
            if (m.get("metadata") or {}).get("event_type") == "ragft_recommendation"
        ),
        None,
    )


def start(
    sender: SignedSender, standin: SlackStandIn, user: str = OWNER, name: str = "Support bot"
) -> str:
    """Type `/ragft assess`; return the thread ts once its first question is posted."""
    before = {m["ts"] for m in standin.bot_messages(CHANNEL)}
    assert sender.command(f"assess {name}", user_id=user, channel_id=CHANNEL).status == 200
    root = standin.wait_for(
        lambda: next(
            (
                m
                for m in standin.bot_messages(CHANNEL)
                if m["ts"] not in before and not m.get("thread_ts") and f"<@{user}>" in m["text"]
            ),
            None,
        )
    )
    standin.wait_for(lambda: questions(standin, root["ts"]))
    return str(root["ts"])


def next_step(standin: SlackStandIn, thread_ts: str, seen: int) -> dict[str, Any] | None:
    """Wait for a question after the first `seen` ones; None when the recommendation came."""
    standin.wait_for(
        lambda: len(questions(standin, thread_ts)) > seen or recommendation(standin, thread_ts)
    )
    asked = questions(standin, thread_ts)
    return asked[-1] if len(asked) > seen else None


def reply(
    sender: SignedSender,
    standin: SlackStandIn,
    thread_ts: str,
    text: str,
    user: str = OWNER,
    **kw: Any,
) -> None:
    """A person's thread reply, stamped after every message so far."""
    response = sender.message(
        text, channel=CHANNEL, user=user, thread_ts=thread_ts, ts=standin.next_ts(), **kw
    )
    assert response.status == 200


def answer_all(
    sender: SignedSender, standin: SlackStandIn, thread_ts: str, *, buttons: bool = False
) -> dict[str, Any]:
    """Answer every question until the recommendation; return it."""
    seen = 0
    question = questions(standin, thread_ts)[-1]
    for _ in range(40):
        qid = question["metadata"]["event_payload"]["question_id"]
        seen = len(questions(standin, thread_ts))
        if buttons and qid in BUTTONS:
            index = _button_index(question, BUTTONS[qid])
            assert press(sender, question, index, user_id=OWNER).status == 200
        elif buttons and qid == "gaps":
            assert press(sender, question, 0, user_id=OWNER).status == 200  # Done, nothing ticked
        else:
            reply(sender, standin, thread_ts, REPLIES[qid])
        following = next_step(standin, thread_ts, seen)
        if following is None:
            rec = recommendation(standin, thread_ts)
            assert rec is not None
            return rec
        question = following
    raise AssertionError("the interview did not end")


def _button_index(message: dict[str, Any], choice: str) -> int:
    buttons = [e for b in message["blocks"] if b["type"] == "actions" for e in b["elements"]]
    return next(i for i, e in enumerate(buttons) if f'"v":"{choice}"' in e.get("value", ""))


def test_thread_replies_reach_a_recommendation_with_its_metadata(
    sender: SignedSender, standin: SlackStandIn
) -> None:
    """Answering every question by thread replies posts a recommendation with its metadata."""
    thread = start(sender, standin, name="")  # the name is asked in the thread too
    rec = answer_all(sender, standin, thread)
    payload = rec["metadata"]["event_payload"]
    assert set(payload) == {"assessment_id", "revisit_on", "workloads"}
    (workload,) = payload["workloads"]
    assert {k: workload[k] for k in ("name", "pattern", "modifiers")} == {
        "name": "billing answers",
        "pattern": "rag_prompting",
        "modifiers": ["prompt_caching"],
    }
    assert workload["answers"]["deployment"] == "production"
    first = questions(standin, thread)[0]["metadata"]["event_payload"]
    assert first["assessment_id"] == payload["assessment_id"] and first["workload"] == 0
    assert len(questions(standin, thread)) == len({q["ts"] for q in questions(standin, thread)})
    assert all(q.get("edited") for q in questions(standin, thread))  # each redrawn with its answer


def test_buttons_reach_a_recommendation(sender: SignedSender, standin: SlackStandIn) -> None:
    """Pressing the answer buttons (and Done for the gaps) completes an assessment too."""
    thread = start(sender, standin, name="Catalogue bot")
    rec = answer_all(sender, standin, thread, buttons=True)
    workload = rec["metadata"]["event_payload"]["workloads"][0]
    assert workload["pattern"] == "lookup_prompting"
    assert "measure_first" in workload["modifiers"]
    assert "Catalogue bot" in str(rec["blocks"])


def test_two_people_in_two_threads_at_once(sender: SignedSender, standin: SlackStandIn) -> None:
    """Two interviews answered in alternation each reach their own recommendation."""
    first = start(sender, standin, user=OWNER, name="One")
    second = start(sender, standin, user="U0OTHER", name="Two")
    steps = {first: OWNER, second: "U0OTHER"}
    done: dict[str, dict[str, Any]] = {}
    for _ in range(40):
        for thread, user in steps.items():
            if thread in done:
                continue
            seen = len(questions(standin, thread))
            qid = questions(standin, thread)[-1]["metadata"]["event_payload"]["question_id"]
            reply(sender, standin, thread, REPLIES[qid], user=user)
            if next_step(standin, thread, seen) is None:
                done[thread] = recommendation(standin, thread) or {}
        if len(done) == 2:
            break
    ids = {d["metadata"]["event_payload"]["assessment_id"] for d in done.values()}
    assert len(ids) == 2


def test_a_stranger_gets_a_private_note_and_changes_nothing(
    sender: SignedSender, standin: SlackStandIn
) -> None:
    """Someone else replying in the thread gets an ephemeral note; the question stays open."""
    thread = start(sender, standin)
    asked = len(questions(standin, thread))
    reply(sender, standin, thread, "My answer", user="U0STRANGER")
    note = standin.wait_for_call("chat.postEphemeral", lambda c: c.args.get("user") == "U0STRANGER")
    assert f"<@{OWNER}>" in note.args["text"]
    standin.wait_quiet()
    assert len(questions(standin, thread)) == asked
    assert not questions(standin, thread)[-1].get("edited")


def test_a_stranger_pressing_question_buttons_changes_nothing(
    sender: SignedSender, standin: SlackStandIn
) -> None:
    """An answer button or Cancel pressed by someone else: a private note each, nothing asked."""
    thread = start(sender, standin)
    reply(sender, standin, thread, "billing answers")
    question = next_step(standin, thread, 1)
    assert question is not None and question["metadata"]["event_payload"]["question_id"] == (
        "deployment"
    )
    standin.wait_quiet()
    asked = len(questions(standin, thread))
    buttons = [e for b in question["blocks"] if b["type"] == "actions" for e in b["elements"]]
    cancel = next(i for i, e in enumerate(buttons) if e["action_id"].endswith("_cancel"))
    for index in (0, cancel):
        assert press(sender, question, index, user_id="U0STRANGER").status == 200
    standin.wait_for(
        lambda: (
            len(
                [
                    c
                    for c in standin.calls_to("chat.postEphemeral")
                    if c.args.get("user") == "U0STRANGER"
                ]
            )
            == 2
        )
    )
    standin.wait_quiet()
    assert len(questions(standin, thread)) == asked
    assert not questions(standin, thread)[-1].get("edited")
    assert all(t.CANCELLED not in str(m.get("text")) for m in thread_messages(standin, thread))
    reply(sender, standin, thread, "prod")  # the owner carries on with the same question
    following = next_step(standin, thread, asked)
    assert following is not None
    assert following["metadata"]["event_payload"]["question_id"] == "domain"


def test_a_retried_event_is_handled_once(sender: SignedSender, standin: SlackStandIn) -> None:
    """The same event delivered again with X-Slack-Retry-Num asks the next question only once."""
    thread = start(sender, standin)
    seen = len(questions(standin, thread))
    ts = standin.next_ts()
    for retry in (None, 1, 2):
        response = sender.message(
            "billing",
            channel=CHANNEL,
            user=OWNER,
            thread_ts=thread,
            ts=ts,
            event_id="EvSAME01",
            retry_num=retry,
        )
        assert response.status == 200
    next_step(standin, thread, seen)
    standin.wait_quiet()
    assert len(questions(standin, thread)) == seen + 1


def test_forged_and_stale_signatures_are_refused(
    sender: SignedSender, standin: SlackStandIn
) -> None:
    """A request signed with a wrong secret, or ten minutes old, gets 401 and does nothing."""
    import time

    assert sender.command("assess", user_id=OWNER, forge=True).status == 401
    assert sender.command("assess", user_id=OWNER, timestamp=int(time.time()) - 600).status == 401
    standin.wait_quiet(0.3)
    assert not standin.calls_to("chat.postMessage")


def test_a_rate_limited_post_is_delivered_once(sender: SignedSender, standin: SlackStandIn) -> None:
    """A 429 with Retry-After on the next question is retried by the client: one message."""
    thread = start(sender, standin)
    seen = len(questions(standin, thread))
    standin.fail_next("chat.postMessage", status=429, retry_after=1)
    reply(sender, standin, thread, "billing answers")
    question = next_step(standin, thread, seen)
    assert question is not None
    assert question["metadata"]["event_payload"]["question_id"] == "deployment"
    standin.wait_quiet()
    assert len(questions(standin, thread)) == seen + 1
    assert [c.status for c in standin.calls_to("chat.postMessage")][-2:] == [429, 200]


def test_an_unreadable_answer_is_re_asked_without_metadata(
    sender: SignedSender, standin: SlackStandIn
) -> None:
    """A reply that cannot be read gets a plain reply saying what is accepted; state stays put."""
    thread = start(sender, standin)
    reply(sender, standin, thread, "billing")
    question = next_step(standin, thread, 1)
    assert question is not None
    before = len(thread_messages(standin, thread))
    reply(sender, standin, thread, "purple elephants")
    standin.wait_for(lambda: len(thread_messages(standin, thread)) > before)
    standin.wait_quiet()
    re_ask = thread_messages(standin, thread)[-1]
    assert "metadata" not in re_ask and len(questions(standin, thread)) == 2


def test_killed_web_process_resumes_the_interview(web: WebProcess, standin: SlackStandIn) -> None:
    """After kill -9 and a restart the same thread carries on from the open question."""
    thread = start(web.sender, standin)
    reply(web.sender, standin, thread, "billing answers")
    next_step(standin, thread, 1)
    web.restart()
    rec = answer_all(web.sender, standin, thread)
    assert rec["metadata"]["event_payload"]["workloads"][0]["name"] == "billing answers"


def test_bots_edits_and_other_threads_are_ignored(
    sender: SignedSender, standin: SlackStandIn
) -> None:
    """Bot messages, edits, joins and replies in threads that are not interviews cause no call."""
    thread = start(sender, standin)
    standin.wait_quiet()
    with standin.watching() as calls:
        sender.event(
            {
                "type": "message",
                "channel": CHANNEL,
                "user": "U0BOT",
                "bot_id": "B0OTHER",
                "text": "billing",
                "ts": standin.next_ts(),
                "thread_ts": thread,
            }
        )
        sender.event(
            {
                "type": "message",
                "subtype": "message_changed",
                "channel": CHANNEL,
                "ts": standin.next_ts(),
                "thread_ts": thread,
                "message": {"text": "x"},
            }
        )
        sender.event(
            {
                "type": "message",
                "subtype": "channel_join",
                "channel": CHANNEL,
                "user": OWNER,
                "ts": standin.next_ts(),
            }
        )
        reply(sender, standin, "1111111111.000100", "hello")
        sender.message("no thread", channel=CHANNEL, user=OWNER, ts=standin.next_ts())
        standin.wait_quiet()
        assert calls() == []


def test_cancel_button_asks_first_and_no_carries_on(
    sender: SignedSender, standin: SlackStandIn
) -> None:
    """The Cancel button posts a yes/no confirmation; No asks the question again, a typed
    `restart` asks too, and Yes under a cancel closes the interview."""
    thread = start(sender, standin)
    question = questions(standin, thread)[-1]
    buttons = [e for b in question["blocks"] if b["type"] == "actions" for e in b["elements"]]
    cancel = next(i for i, e in enumerate(buttons) if e["action_id"].endswith("_cancel"))
    press(sender, question, cancel, user_id=OWNER)

    def confirmation() -> dict[str, Any] | None:
        last = thread_messages(standin, thread)[-1]
        return last if "ragft_control_yes" in str(last.get("blocks")) else None

    asked = standin.wait_for(confirmation)
    assert "Cancel this assessment?" in asked["text"]
    seen = len(questions(standin, thread))
    press(sender, asked, 1, user_id=OWNER)  # No, carry on
    again = next_step(standin, thread, seen)
    assert again is not None
    assert (
        again["metadata"]["event_payload"]["question_id"]
        == (question["metadata"]["event_payload"]["question_id"])
    )
    reply(sender, standin, thread, "restart")
    asked = standin.wait_for(confirmation)
    assert "Start again" in asked["text"]
    reply(sender, standin, thread, "cancel")
    standin.wait_for(
        lambda: "Cancel this assessment?" in thread_messages(standin, thread)[-1]["text"]
    )
    press(sender, thread_messages(standin, thread)[-1], 0, user_id=OWNER)  # Yes, cancel it
    standin.wait_for(lambda: t.CANCELLED in str(thread_messages(standin, thread)[-1]))


def test_the_controls_and_redraws_say_what_they_do(
    sender: SignedSender, standin: SlackStandIn
) -> None:
    """The intro says `skip` works where there is a default; the first question offers no
    Back, the next does; a skipped question is redrawn as the default kept."""
    thread = start(sender, standin)

    def controls(message: dict[str, Any]) -> list[str]:
        return [
            e["action_id"].removeprefix("ragft_control_")
            for b in message["blocks"]
            if b["type"] == "actions"
            for e in b["elements"]
            if e["action_id"].startswith("ragft_control_")
        ]

    intro = "`skip` takes the default where a question has one"
    assert any(intro in m["text"] for m in thread_messages(standin, thread))
    first = questions(standin, thread)[-1]
    assert "back" not in controls(first)
    for step, text in enumerate(["billing", "prod", "general", "generation", "corpus"], 1):
        reply(sender, standin, thread, text)
        asked = next_step(standin, thread, step)
        assert asked is not None and "back" in controls(asked)
    assert asked["metadata"]["event_payload"]["question_id"] == "freshness"
    reply(sender, standin, thread, "skip")
    assert next_step(standin, thread, 6) is not None
    redrawn = standin.wait_for(
        lambda: next(
            (m for m in questions(standin, thread) if m["ts"] == asked["ts"] and m.get("edited")),
            None,
        )
    )
    assert f"*Every week*, the default, kept by <@{OWNER}>" in str(redrawn["blocks"])
    assert "answered by" not in str(redrawn["blocks"])
