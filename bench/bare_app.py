"""The baseline of bench/slack.py: a bare Bolt app running the same interview from memory.

Bolt's way (ack, then the listener on its executor, given enough threads that Slack's
latency, not the pool, sets the pace: `BARE_THREADS`, 64 by default), the interview's pure state
machine in a dict (no Redis, no durability), and the same Web API calls as ragft makes
for each step: the answered question redrawn (`chat.update`), then the next question (or
the recommendation) posted. Served by the same gunicorn set-up as `ragft web`.

    PORT=... SLACK_API_URL=... SLACK_BOT_TOKEN=... SLACK_SIGNING_SECRET=... \
        .venv/bin/python bench/bare_app.py
"""

from __future__ import annotations

import os
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

# Run as a script, bench/ comes first on sys.path and bench/engine.py would shadow `engine`.
sys.path[0] = str(Path(__file__).resolve().parents[1])

from slack_bolt import Ack, App  # noqa: E402 (after the sys.path fix above)
from slack_sdk import WebClient  # noqa: E402

from bot.server import Served, serve  # noqa: E402
from bot.settings import Settings  # noqa: E402
from bot.views import (  # noqa: E402
    QuestionView,
    SlackMessage,
    answered_message,
    plain_reply,
    question_message,
    recommendation_messages,
)
from bot.views.questions import question_view  # noqa: E402
from conversations import machine  # noqa: E402
from conversations.questions import question  # noqa: E402
from conversations.revisit_timing import utc_now  # noqa: E402
from conversations.state import Answered, Ask, Completed, Effect, Input, InterviewState  # noqa: E402
from engine import AssessmentResult  # noqa: E402


class Interviews:
    """Every interview in memory: its state and the ts of each question's message."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.states: dict[tuple[str, str], InterviewState] = {}
        self.asks: dict[tuple[str, str], dict[str, str]] = {}


def _post(client: WebClient, channel: str, message: SlackMessage, thread: str | None) -> str:
    response = client.chat_postMessage(
        channel=channel,
        thread_ts=thread,
        text=message.text,
        blocks=message.blocks,
        metadata=message.metadata,
    )
    return str(response["ts"])


def _render(
    client: WebClient,
    memory: Interviews,
    key: tuple[str, str],
    state: InterviewState,
    effects: list[Effect],
) -> None:
    channel, thread = key
    asks = memory.asks.setdefault(key, {})
    for effect in effects:
        if isinstance(effect, Ask):
            if effect.intro_text:
                _post(client, channel, plain_reply(effect.intro_text), thread)
            view = question_view(effect, state.assessment_id)
            asks[effect.ask_id] = _post(client, channel, question_message(view), thread)
        elif isinstance(effect, Answered):
            ts = asks.get(effect.ask_id)
            if ts is None:
                continue
            q = question(effect.question_id)
            view = QuestionView(
                ask_id=effect.ask_id,
                assessment_id=state.assessment_id,
                question_id=effect.question_id,
                workload=effect.workload,
                prompt=q.prompt,
                kind=q.kind,
            )
            message = answered_message(
                view, user=state.owner, answer=effect.answer_label, kept_default=effect.kept_default
            )
            client.chat_update(
                channel=channel,
                ts=ts,
                text=message.text,
                blocks=message.blocks,
                metadata=message.metadata,
            )
        elif isinstance(effect, Completed):
            record = effect.record
            for message in recommendation_messages(
                AssessmentResult.model_validate(record["result"]),
                assessment_id=str(record["assessment_id"]),
                revisit_on=record.get("revisit_on"),
            ):
                _post(client, channel, message, thread)
        else:
            text = getattr(effect, "text", None) or "ok"
            _post(client, channel, plain_reply(str(text)), thread)


def build(settings: Settings) -> Served:
    client = WebClient(token=settings.slack_bot_token, base_url=settings.slack_api_url)
    bolt = App(
        client=client,
        signing_secret=settings.slack_signing_secret,
        request_verification_enabled=False,  # the gate in front checked it, as for ragft
        token_verification_enabled=False,
        listener_executor=ThreadPoolExecutor(int(os.environ.get("BARE_THREADS", "64"))),
    )
    memory = Interviews()

    def on_command(ack: Ack, command: dict[str, Any], client: WebClient) -> None:
        ack()
        channel, user = command["channel_id"], command["user_id"]
        name = str(command.get("text", "")).removeprefix("assess").strip() or None
        root = client.chat_postMessage(channel=channel, text=f"<@{user}> started an assessment")
        key = (channel, str(root["ts"]))
        state, effects = machine.start(
            assessment_id=key[1].replace(".", "")[-8:],
            team=str(command.get("team_id")),
            channel=channel,
            thread_ts=key[1],
            owner=user,
            now=utc_now(),
            name=name,
        )
        with memory.lock:
            memory.states[key] = state
        _render(client, memory, key, state, effects)

    def on_message(event: dict[str, Any], client: WebClient) -> None:
        if event.get("bot_id") or not event.get("thread_ts"):
            return
        key = (str(event["channel"]), str(event["thread_ts"]))
        with memory.lock:
            state = memory.states.get(key)
            if state is None or state.current is None:
                return
            inp = Input(now=utc_now(), text=event.get("text"), ask_id=state.current.ask_id)
            state, effects = machine.step(state, inp)
            memory.states[key] = state
        _render(client, memory, key, state, effects)

    def just_ack(ack: Ack) -> None:
        ack()

    bolt.command("/ragft")(on_command)
    bolt.event("message")(on_message)
    bolt.action({"action_id": ".*"})(just_ack)
    assert settings.redis_url is not None
    return Served(bolt, settings.redis_url)


def main() -> None:
    settings = Settings.from_env()
    serve(settings, lambda: build(settings), "127.0.0.1")


if __name__ == "__main__":
    main()
