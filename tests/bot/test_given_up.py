"""A reply whose delivery is given up after the last attempt: its author is told what to do
(N9), in the thread or, when Slack refuses the channel, in their DM with the app; the step
is listed (`ragft owed`) and the clock delivers it once Slack takes it again."""

from __future__ import annotations

from typing import Any

import pytest
import redis
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot import bootstrap, cli, owed
from bot.app import on_worker_error
from bot.inbox import CONTEXT_KEY, Deferred
from bot.interview import render
from bot.settings import Settings
from bot.standin.server import SlackStandIn
from conversations.storage.keys import ThreadKey

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
    assert "<#CPOIS2>" in told[0]["text"] and "try again" in told[0]["text"]


def test_an_earlier_attempt_is_retried_quietly(standin: SlackStandIn) -> None:
    client = WebClient(token="xoxb-fake-token", base_url=standin.api_url)
    standin.fail_while(60, 500, channels={"CPOIS2"})
    error = _refused(client)
    outcome: dict[str, Any] = {"attempt": 3, "last": False}
    on_worker_error(error, BODY, client, lambda **_: None, {CONTEXT_KEY: outcome})  # type: ignore[arg-type]
    assert outcome["retry"] > 0
    assert not [m for m in standin.messages if m["channel"] == "D0OWNER"]


def test_a_given_up_step_is_listed_and_delivered_once_slack_takes_it(
    standin: SlackStandIn,
    redis_client: redis.Redis,
    redis_url: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The step stays saved and listed (`ragft owed`); the clock's next try after Slack
    recovers posts the next question in the thread, once, and the list is empty again."""
    services = bootstrap.build(
        Settings(slack_bot_token="xoxb-fake-token", slack_api_url=standin.api_url), redis_client
    )
    client = services.client
    where = ThreadKey("T0PLAYGND", "CPOIS2", "1700000000.000100")
    first = services.store.start(where, "U0OWNER", name="Poisoned")
    standin.fail_while(60, 500, channels={"CPOIS2"})
    step = services.store.apply(
        where, text="billing answers", ask_id=first.effects[-1].ask_id, delivery_id="EvPOISON"
    )
    with pytest.raises(SlackApiError) as refused:
        render(client, services, where, step.state, step.effects, delivery_id="EvPOISON")  # type: ignore[arg-type]
    context = {CONTEXT_KEY: {"attempt": 12, "last": True}}
    on_worker_error(
        refused.value,
        BODY,
        client,
        lambda **_: None,
        context,
        services=services,  # type: ignore[arg-type]
    )
    [told] = [m for m in standin.messages if m["channel"] == "D0OWNER"]
    assert "`status`" in told["text"] and "once Slack takes it" in told["text"]
    [mark] = services.store.given_up.marks()
    assert (mark.channel, mark.delivery_id, mark.user) == ("CPOIS2", "EvPOISON", "U0OWNER")

    monkeypatch.setenv("REDIS_URL", redis_url)
    assert cli.main(["owed"]) == 1
    assert "CPOIS2" in capsys.readouterr().out

    monkeypatch.setattr(owed, "FIRST_RETRY", 0.0)
    assert owed.redeliver(services, lambda _: client) == 0  # Slack still refuses
    assert services.store.given_up.marks()[0].attempts == 1
    standin._outages.clear()  # Slack takes posts again
    monkeypatch.setattr(owed, "MAX_RETRY", 0.0)
    assert owed.redeliver(services, lambda _: client) == 1
    asked = [
        m for m in standin.bot_messages("CPOIS2") if (m.get("metadata") or {}).get("event_type")
    ]
    assert [m["metadata"]["event_payload"]["question_id"] for m in asked] == ["deployment"]
    assert services.store.given_up.marks() == []
    assert owed.redeliver(services, lambda _: client) == 0  # nothing twice
    assert cli.main(["owed"]) == 0


def test_a_step_still_deferred_at_the_last_attempt_is_left_to_the_clock(
    standin: SlackStandIn, redis_client: redis.Redis
) -> None:
    """A timed-out post defers its step; if that is still so at the last attempt, the step is
    listed for the clock instead of dropped, and the person is not told of a failure."""
    services = bootstrap.build(
        Settings(slack_bot_token="xoxb-fake-token", slack_api_url=standin.api_url), redis_client
    )
    where = ThreadKey("T0PLAYGND", "CPOIS2", "1700000000.000100")
    first = services.store.start(where, "U0OWNER", name="Slow")
    services.store.apply(
        where, text="billing answers", ask_id=first.effects[-1].ask_id, delivery_id="EvPOISON"
    )
    context = {CONTEXT_KEY: {"attempt": 12, "last": True}}
    on_worker_error(
        Deferred(30),
        BODY,
        services.client,
        lambda **_: None,
        context,
        services=services,  # type: ignore[arg-type]
    )
    [mark] = services.store.given_up.marks()
    assert (mark.channel, mark.delivery_id) == ("CPOIS2", "EvPOISON")
    assert not [m for m in standin.messages if m["channel"] == "D0OWNER"]
