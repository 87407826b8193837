"""A canvas per decision, end to end over signed requests: *Publish as canvas* creates it in
the channel and links it in the thread; a re-assessment rewrites the same canvas with last
year's decision kept in a section; accepting shows in it; a workspace that refuses canvases
gets its reason and the Markdown file instead."""

from __future__ import annotations

import time

import pytest

from bot.standin.server import SlackStandIn
from bot.standin.signing import SignedSender
from bot.views import text as t
from tests.e2e.harness import press
from tests.e2e.test_commands import completed
from tests.e2e.test_decision_lifecycle import button, buttons_message, reassess, said, told
from tests.e2e.test_interview import CHANNEL, OWNER

pytestmark = pytest.mark.slow


def test_publish_then_reassess_updates_the_same_canvas(
    sender: SignedSender, standin: SlackStandIn
) -> None:
    first, assessment_id, _ = completed(sender, standin)
    rec = buttons_message(standin, first)
    elements = [e for b in rec["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert "canvas" in elements[button(rec, "ragft_canvas")]["text"]["text"].lower()
    press(sender, rec, button(rec, "ragft_canvas"), user_id="U0STRANGER")
    told(standin, "U0STRANGER", "Only <@U0OWNER>")
    press(sender, rec, button(rec, "ragft_canvas"), user_id=OWNER)
    created = standin.wait_for_call("canvases.create")
    assert created.args["channel_id"] == CHANNEL
    assert created.args["document_content"]["type"] == "markdown"
    (canvas_id,) = standin.canvases
    canvas = standin.canvases[canvas_id]
    assert "billing answers" in canvas["markdown"] and "Prompting + RAG" in canvas["markdown"]
    assert "**Status:** proposed" in canvas["markdown"]
    assert canvas_id in said(standin, first, "published this decision as a canvas")["text"]

    second = reassess(sender, standin, first)
    edit = standin.wait_for_call("canvases.edit")
    assert edit.args["canvas_id"] == canvas_id
    assert edit.args["changes"][0]["operation"] == "replace"
    assert list(standin.canvases) == [canvas_id]  # the same canvas, rewritten in place
    markdown = standin.canvases[canvas_id]["markdown"]
    assert "## Last year's decision (version 1)" in markdown
    assert "(version 2," in markdown
    assert canvas_id in said(standin, second, "last year's decision")["text"]

    new = buttons_message(standin, second)
    edits = standin.canvases[canvas_id]["edits"]
    press(sender, new, button(new, "ragft_accept"), user_id=OWNER)
    standin.wait_for(lambda: standin.canvases[canvas_id]["edits"] > edits)
    assert f"**Accepted by** ![](@{OWNER})" in standin.canvases[canvas_id]["markdown"]
    assert assessment_id  # the same decision throughout


@pytest.mark.parametrize(
    ("refusal", "words"),
    [
        ("team_tier_cannot_create_channel_canvases", "plan doesn't allow canvases"),
        ("not_allowed", "turned off"),
        ("missing_scope", "canvases:write"),
    ],
)
def test_a_refused_canvas_gets_the_reason_and_the_markdown_file(
    sender: SignedSender, standin: SlackStandIn, refusal: str, words: str
) -> None:
    first, assessment_id, _ = completed(sender, standin)
    standin.refuse_canvases(refusal)
    rec = buttons_message(standin, first)
    press(sender, rec, button(rec, "ragft_canvas"), user_id=OWNER)
    standin.wait_for_call("files.completeUploadExternal")
    uploaded = standin.wait_for(
        lambda: next((f for f in standin.files.values() if f.get("content")), None)
    )
    assert uploaded["thread_ts"] == first and uploaded["filename"] == f"ragft-{assessment_id}.md"
    assert words in uploaded["comment"] and t.CANVAS_REFUSED.split(":")[0] in uploaded["comment"]
    assert b"status: proposed" in uploaded["content"]
    assert standin.canvases == {}


def test_a_canvas_deleted_in_slack_is_published_anew(
    sender: SignedSender, standin: SlackStandIn
) -> None:
    """Someone deleted the decision's canvas: the next press creates a new one, not an error."""
    first, _, _ = completed(sender, standin)
    rec = buttons_message(standin, first)
    press(sender, rec, button(rec, "ragft_canvas"), user_id=OWNER)
    standin.wait_for(lambda: standin.canvases)
    (gone,) = standin.canvases
    standin.canvases.clear()
    press(sender, rec, button(rec, "ragft_canvas"), user_id=OWNER)
    standin.wait_for(lambda: standin.canvases)
    (fresh,) = standin.canvases
    assert fresh != gone
    assert len(standin.calls_to("canvases.create")) == 2
    link = f"https://playground.slack.example/docs/T0PLAYGND/{fresh}"
    said(standin, first, f"canvas in this channel: {link}")


def test_a_passing_slack_failure_is_told_not_answered_as_a_refusal(
    sender: SignedSender, standin: SlackStandIn
) -> None:
    """Slack answers canvases.create with a 503 for a moment: no "refused" note and no
    Markdown file; the presser is told to press again, and then the canvas is published."""
    first, _, _ = completed(sender, standin)
    standin.fail_while(1.5, 503, methods={"canvases.create"})
    rec = buttons_message(standin, first)
    seen = len(standin.responses)
    press(sender, rec, button(rec, "ragft_canvas"), user_id=OWNER)
    standin.wait_for(lambda: len(standin.responses) > seen, timeout=30)
    assert "again" in str(standin.responses[-1]["text"]) and not standin.canvases
    time.sleep(1.5)
    press(sender, rec, button(rec, "ragft_canvas"), user_id=OWNER)
    standin.wait_for(lambda: standin.canvases, timeout=60)
    assert len(standin.canvases) == 1
    assert not [f for f in standin.files.values() if str(f.get("filename")).endswith(".md")]
