"""`/ragft` commands, the recommendation's buttons and App Home, end to end."""

from __future__ import annotations

from typing import Any

import pytest

from bot.standin.server import SlackStandIn
from bot.standin.signing import SignedSender
from bot.views import text as t
from tests.e2e.harness import press
from tests.e2e.test_interview import (
    CHANNEL,
    OWNER,
    answer_all,
    next_step,
    questions,
    recommendation,
    reply,
    start,
    thread_messages,
)

pytestmark = pytest.mark.slow


def completed(sender: SignedSender, standin: SlackStandIn) -> tuple[str, str, dict[str, Any]]:
    """A finished assessment: (thread_ts, assessment_id, recommendation message)."""
    thread = start(sender, standin)
    rec = answer_all(sender, standin, thread)
    return thread, rec["metadata"]["event_payload"]["assessment_id"], rec


def response_text(standin: SlackStandIn, after: int) -> str:
    """The text of every response_url answer after the first `after` ones, once one arrived."""
    standin.wait_for(lambda: len(standin.responses) > after)
    return "\n".join(
        str(r.get("text", "")) + str(r.get("blocks", "")) for r in standin.responses[after:]
    )


def test_help_answers_any_text_it_does_not_know(sender: SignedSender) -> None:
    """`help`, nothing, or unknown words answer at once with the command list."""
    for text in ("help", "", "  PLEASE do something "):
        response = sender.command(text, user_id=OWNER)
        assert response.status == 200 and "/ragft assess" in response.body


def test_list_show_and_home_show_the_pattern_and_revisit_date(
    sender: SignedSender, standin: SlackStandIn
) -> None:
    """After an assessment, list, show and App Home name it with its revisit date."""
    _, assessment_id, rec = completed(sender, standin)
    revisit_on = rec["metadata"]["event_payload"]["revisit_on"]
    seen = len(standin.responses)
    sender.command("  LIST ", user_id=OWNER)
    listed = response_text(standin, seen)
    assert assessment_id in listed and revisit_on in listed
    seen = len(standin.responses)
    sender.command(f"show {assessment_id}", user_id=OWNER)
    assert "Prompting + RAG" in response_text(standin, seen)
    sender.app_home_opened(user=OWNER)
    standin.wait_for(lambda: OWNER in standin.views)
    assert revisit_on in str(standin.views[OWNER])


def test_unknown_id_gets_a_plain_answer(sender: SignedSender, standin: SlackStandIn) -> None:
    """`show` or `revisit` with an id that is not yours says so, and posts nothing."""
    seen = len(standin.responses)
    sender.command("show deadbeef", user_id=OWNER)
    assert "can't find an assessment `deadbeef`" in response_text(standin, seen)
    assert not standin.calls_to("chat.postMessage")


def test_cancel_by_id_closes_the_interview(sender: SignedSender, standin: SlackStandIn) -> None:
    """`/ragft cancel ID` cancels that interview; later replies in its thread are ignored."""
    thread = start(sender, standin)
    assessment_id = questions(standin, thread)[0]["metadata"]["event_payload"]["assessment_id"]
    sender.command(f"cancel {assessment_id}", user_id=OWNER)
    standin.wait_for(lambda: t.CANCELLED in str(thread_messages(standin, thread)[-1]))
    count = len(thread_messages(standin, thread))
    reply(sender, standin, thread, "billing")
    standin.wait_quiet()
    assert len(thread_messages(standin, thread)) == count


def test_reassess_starts_from_last_answers_and_shows_what_changed(
    sender: SignedSender, standin: SlackStandIn
) -> None:
    """The Re-assess button opens a new thread; skipping everything keeps last year's answers."""
    _, assessment_id, rec = completed(sender, standin)
    before = {m["ts"] for m in standin.bot_messages(CHANNEL)}
    last = thread_messages(standin, rec["thread_ts"])[-1]
    ids = [e["action_id"] for b in last["blocks"] if b["type"] == "actions" for e in b["elements"]]
    press(sender, last, ids.index("ragft_reassess"), user_id=OWNER)
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
    thread = root["ts"]
    standin.wait_for(lambda: questions(standin, thread))
    for _ in range(30):
        seen = len(questions(standin, thread))
        reply(sender, standin, thread, "skip")
        if next_step(standin, thread, seen) is None:
            break
    again = recommendation(standin, thread)
    assert again is not None
    assert again["metadata"]["event_payload"]["assessment_id"] == assessment_id
    assert "last year's choice still holds" in str(again["blocks"])


def test_show_all_assumptions_answers_the_owner_alone_with_every_figure(
    sender: SignedSender, standin: SlackStandIn
) -> None:
    """*Show all assumptions* under the recommendation answers privately (the response URL)
    with every figure behind the costs, beyond the few the recommendation shows."""
    thread, _, _ = completed(sender, standin)
    last = thread_messages(standin, thread)[-1]
    ids = [e["action_id"] for b in last["blocks"] if b["type"] == "actions" for e in b["elements"]]
    press(sender, last, ids.index("ragft_assumptions"), user_id=OWNER)
    reply = standin.wait_for(
        lambda: next(
            (r for r in standin.responses if "Every figure behind the costs" in str(r)), None
        )
    )
    assert reply["response_type"] == "ephemeral"
    assert "`rag.build_eq`" in str(reply) and "`prompt_caching.share`" in str(reply)


def test_export_uploads_the_decision_record_to_the_thread(
    sender: SignedSender, standin: SlackStandIn
) -> None:
    """Export decision record uploads the Markdown record as a file in the thread."""
    thread, assessment_id, _ = completed(sender, standin)
    last = thread_messages(standin, thread)[-1]
    ids = [e["action_id"] for b in last["blocks"] if b["type"] == "actions" for e in b["elements"]]
    press(sender, last, ids.index("ragft_export"), user_id=OWNER)
    standin.wait_for_call("files.completeUploadExternal")
    uploaded = standin.wait_for(
        lambda: next((f for f in standin.files.values() if f.get("content")), None)
    )
    assert uploaded["thread_ts"] == thread and uploaded["filename"] == f"ragft-{assessment_id}.md"
    assert b"billing answers" in uploaded["content"]


def test_forget_me_deletes_everything_after_confirmation(
    sender: SignedSender, standin: SlackStandIn
) -> None:
    """forget-me asks first; the confirm button deletes the person's assessments."""
    completed(sender, standin)
    seen = len(standin.responses)
    sender.command("forget-me", user_id=OWNER)
    response_text(standin, seen)
    confirm = {
        "blocks": standin.responses[seen]["blocks"],
        "ts": standin.next_ts(),
        "channel": CHANNEL,
    }
    seen = len(standin.responses)
    press(sender, confirm, 0, user_id="U0SOMEONE")
    assert "someone else" in response_text(standin, seen)
    seen = len(standin.responses)
    press(sender, confirm, 0, user_id=OWNER)
    assert "1 assessments deleted" in response_text(standin, seen)
    seen = len(standin.responses)
    sender.command("list", user_id=OWNER)
    assert "no assessments yet" in response_text(standin, seen)


def test_a_channel_the_bot_cannot_post_in_gets_a_clear_message(
    sender: SignedSender, standin: SlackStandIn
) -> None:
    """When Slack refuses the root post, the person is told how to fix it; nothing is stored."""
    standin.fail_next("chat.postMessage", error="not_in_channel")
    seen = len(standin.responses)
    sender.command("assess Support bot", user_id=OWNER)
    assert "/invite" in response_text(standin, seen)
    seen = len(standin.responses)
    sender.command("list", user_id=OWNER)
    assert "no assessments yet" in response_text(standin, seen)


def test_show_offers_share_in_channel_to_the_owner_only(
    sender: SignedSender, standin: SlackStandIn
) -> None:
    """`/ragft show ID` carries *Share in channel*; the owner's press posts the decision and
    its costs publicly in the channel with the chart in its thread; anyone else's is refused."""
    _, assessment_id, _ = completed(sender, standin)
    seen = len(standin.responses)
    sender.command(f"show {assessment_id}", user_id=OWNER)
    response_text(standin, seen)
    shown = {
        "blocks": standin.responses[-1]["blocks"],
        "ts": standin.next_ts(),
        "channel": CHANNEL,
    }
    ids = [e["action_id"] for b in shown["blocks"] if b["type"] == "actions" for e in b["elements"]]
    share = ids.index("ragft_share")
    before = {m["ts"] for m in standin.bot_messages(CHANNEL)}
    seen = len(standin.responses)
    press(sender, shown, share, user_id="U0SOMEONE")
    assert "can't find an assessment" in response_text(standin, seen)
    press(sender, shown, share, user_id=OWNER)
    posted = standin.wait_for(
        lambda: next(
            (
                m
                for m in standin.bot_messages(CHANNEL)
                if m["ts"] not in before and not m.get("thread_ts")
            ),
            None,
        )
    )
    blocks = str(posted["blocks"])
    assert "Prompting + RAG" in blocks and f"<@{OWNER}>" in blocks
    assert "year one" in blocks  # the costs side by side
    assert "ragft_" not in blocks  # no owner-only buttons in the channel
    chart = standin.wait_for(
        lambda: next(
            (
                f
                for f in standin.files.values()
                if f.get("thread_ts") == posted["ts"] and f.get("content")
            ),
            None,
        )
    )
    assert chart["content"].startswith(b"\x89PNG")
    standin.wait_for(lambda: any("Shared in" in str(r.get("text")) for r in standin.responses))


def test_a_direct_message_gets_help_and_a_way_to_start_there(
    sender: SignedSender, standin: SlackStandIn
) -> None:
    """A DM outside an interview answers with short help and a start button; the button
    (or typing `assess <name>`) starts an interview in the DM, whose replies are answers."""
    dm = "D0OWNER"

    def dm_messages() -> list[dict[str, Any]]:
        return standin.bot_messages(dm)

    sender.message("hello?", channel=dm, user=OWNER, ts=standin.next_ts(), channel_type="im")
    helped = standin.wait_for(lambda: dm_messages()[-1] if dm_messages() else None)
    assert "/ragft assess" in helped["text"]
    assert "ragft_start" in str(helped["blocks"])
    press(sender, helped, 0, user_id=OWNER)
    first = standin.wait_for(
        lambda: next(
            (m for m in dm_messages() if (m.get("metadata") or {}).get("event_type")), None
        )
    )
    assert first["metadata"]["event_payload"]["question_id"] == "name"
    sender.message(
        "Inbox helper",
        channel=dm,
        user=OWNER,
        thread_ts=first["thread_ts"],
        ts=standin.next_ts(),
        channel_type="im",
    )
    standin.wait_for(
        lambda: any(
            (m.get("metadata") or {}).get("event_payload", {}).get("question_id") == "workload_name"
            for m in dm_messages()
        )
    )
    sender.message(
        "assess Lab bot", channel=dm, user=OWNER, ts=standin.next_ts(), channel_type="im"
    )
    standin.wait_for(lambda: any("Lab bot" in m["text"] for m in dm_messages()))
