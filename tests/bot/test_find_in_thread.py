"""Before a post is tried again, the thread is searched for it (a 502 may have come after the
post was done): a question counts as posted even once its button was pressed and it was
redrawn as answered (reliability review, B6; bench/reliability.py found the duplicate)."""

from __future__ import annotations

from slack_sdk import WebClient

from bot.posting import find_in_thread
from bot.standin.server import SlackStandIn
from bot.views.questions import QuestionView, answered_message, question_message
from conversations.storage.keys import ThreadKey

VIEW = QuestionView(
    ask_id="a-7",
    assessment_id="as1",
    question_id="freshness",
    workload=0,
    prompt="How often do the facts change?",
    kind="choice",
    choices=(("daily", "Every day"), ("weekly", "Every week")),
)


def test_an_answered_and_redrawn_question_is_still_found(standin: SlackStandIn) -> None:
    client = WebClient(token="xoxb-fake", base_url=standin.api_url)
    root = client.chat_postMessage(channel="C1", text="root")["ts"]
    where = ThreadKey("T1", "C1", root)
    asked = question_message(VIEW)
    ts = client.chat_postMessage(
        channel="C1", thread_ts=root, text=asked.text, blocks=asked.blocks, metadata=asked.metadata
    )["ts"]
    assert find_in_thread(client, where, "ragft_question", ask_id="a-7") == ts
    done = answered_message(VIEW, user="U1", answer="Every day")
    client.chat_update(
        channel="C1", ts=ts, text=done.text, blocks=done.blocks, metadata=done.metadata
    )
    assert find_in_thread(client, where, "ragft_question", ask_id="a-7") == ts
    assert find_in_thread(client, where, "ragft_question", ask_id="a-8") is None
