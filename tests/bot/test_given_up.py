"""What an acknowledged step still owes Slack (`bot.owed`): retried quietly while Slack
refuses, its author told after the last try (N9), in the thread or, when Slack refuses the
channel, in their DM with the app; the step is then listed (`ragft owed`) and the clock
delivers it once Slack takes it again. A step or a start whose process died after the ack
is delivered by the sweeper, once."""

from __future__ import annotations

import time
from typing import Any

import pytest
import redis
from slack_sdk import WebClient

from bot import bootstrap, cli, owed, sweeper
from bot.owed import PendingStart, Step
from bot.services import Services
from bot.settings import Settings
from bot.standin.server import SlackStandIn
from conversations.storage import keys
from conversations.storage.keys import ThreadKey
from conversations.storage.owed import Owed, OwedIndex

WHERE = ThreadKey("T0PLAYGND", "CPOIS2", "1700000000.000100")


def _services(standin: SlackStandIn, redis_client: redis.Redis, **settings: float) -> Services:
    return bootstrap.build(
        Settings(slack_bot_token="xoxb-fake-token", slack_api_url=standin.api_url, **settings),
        redis_client,
    )


def _step(services: Services) -> Step:
    """A reply committed before the ack (and so listed for the sweeper), as `take_message`
    does."""
    first = services.store.start(WHERE, "U0OWNER", name="Poisoned")
    outcome = services.store.apply(
        WHERE, text="billing answers", ask_id=first.effects[-1].ask_id, delivery_id="EvPOISON"
    )
    assert outcome.state is not None
    return Step(WHERE, "EvPOISON", outcome.state, outcome.effects)


def _asked(standin: SlackStandIn) -> list[str]:
    return [
        m["metadata"]["event_payload"]["question_id"]
        for m in standin.bot_messages("CPOIS2")
        if (m.get("metadata") or {}).get("event_type") == "ragft_question"
    ]


def test_a_refused_delivery_is_retried_quietly(
    standin: SlackStandIn, redis_client: redis.Redis
) -> None:
    services = _services(standin, redis_client)
    step = _step(services)
    standin.fail_while(60, 500, channels={"CPOIS2"})
    assert not owed.deliver(services.client, services, step)
    assert services.store.owed.tries(step.entry) == 1
    assert redis_client.zscore(keys.owed(WHERE.team), step.entry.member) is not None
    assert not [m for m in standin.messages if m["channel"] == "D0OWNER"]


def test_after_the_last_try_the_author_is_told_by_dm_and_the_step_is_listed(
    standin: SlackStandIn,
    redis_client: redis.Redis,
    redis_url: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The step stays saved and listed (`ragft owed`); the clock's next try after Slack
    recovers posts the next question in the thread, once, and the list is empty again."""
    services = _services(standin, redis_client)
    step = _step(services)
    standin.fail_while(60, 500, channels={"CPOIS2"})
    redis_client.hset(keys.owed_tries(WHERE.team), step.entry.member, owed.MAX_TRIES - 1)
    assert not owed.deliver(services.client, services, step)
    [told] = [m for m in standin.messages if m["channel"] == "D0OWNER"]
    assert "<#CPOIS2>" in told["text"] and "`status`" in told["text"]
    assert redis_client.zcard(keys.owed(WHERE.team)) == 0  # the sweeper is done with it
    [mark] = services.store.given_up.marks()
    assert (mark.channel, mark.delivery_id, mark.user) == ("CPOIS2", "EvPOISON", "U0OWNER")

    monkeypatch.setenv("REDIS_URL", redis_url)
    assert cli.main(["owed"]) == 1
    assert "CPOIS2" in capsys.readouterr().out

    client = services.client
    monkeypatch.setattr(sweeper, "FIRST_RETRY", 0.0)
    assert sweeper.redeliver(services, lambda _: client) == 0  # Slack still refuses
    assert services.store.given_up.marks()[0].attempts == 1
    standin._outages.clear()  # Slack takes posts again
    monkeypatch.setattr(sweeper, "MAX_RETRY", 0.0)
    assert sweeper.redeliver(services, lambda _: client) == 1
    assert _asked(standin) == ["deployment"]
    assert services.store.given_up.marks() == []
    assert sweeper.redeliver(services, lambda _: client) == 0  # nothing twice
    assert cli.main(["owed"]) == 0


def test_a_step_whose_process_died_after_the_ack_is_swept_once(
    standin: SlackStandIn, redis_client: redis.Redis
) -> None:
    """Committed and listed, never delivered: after the lease the sweeper posts the next
    question, once, however many sweepers look."""
    services = _services(standin, redis_client, delivery_lease_seconds=1)
    _step(services)
    client = services.client
    assert sweeper.sweep(services, lambda _: client) == 0  # the lease is not over yet
    time.sleep(1.1)
    assert sweeper.sweep(services, lambda _: client) == 1
    assert _asked(standin) == ["deployment"]
    assert sweeper.sweep(services, lambda _: client) == 0
    assert redis_client.zcard(keys.owed(WHERE.team)) == 0
    standin.wait_quiet()
    assert _asked(standin) == ["deployment"]


def test_a_claimed_start_whose_process_died_is_swept_once(
    standin: SlackStandIn, redis_client: redis.Redis
) -> None:
    services = _services(standin, redis_client, delivery_lease_seconds=1)
    start = PendingStart("T0PLAYGND", "9.9", "CSTART", "U0OWNER", name="Search")
    assert owed.claim_start(services, start)
    assert not owed.claim_start(services, start)  # a retry of the same trigger
    client = services.client
    time.sleep(1.1)
    assert sweeper.sweep(services, lambda _: client) == 1
    assert sweeper.sweep(services, lambda _: client) == 0
    roots = [m for m in standin.bot_messages("CSTART") if not m.get("thread_ts")]
    assert len(roots) == 1
    assert redis_client.get(keys.trigger("T0PLAYGND", "9.9")) == b"done"
    assert Owed.parse(start.entry.member) == start.entry


def test_a_start_whose_first_question_slack_refused_is_not_run_again(
    standin: SlackStandIn, redis_client: redis.Redis
) -> None:
    """The interview is stored, then Slack refuses its first question: the start counts as
    run (its claim is done, kept ten minutes), and the sweeper posts the question, not a
    second root."""
    services = _services(standin, redis_client, delivery_lease_seconds=1)
    start = PendingStart("T0PLAYGND", "8.8", "CSTART", "U0OWNER", name="Search")
    assert owed.claim_start(services, start)

    class RefusingTheFirstQuestion(WebClient):
        refused = False

        def chat_postMessage(self, **kwargs: Any) -> Any:
            if kwargs.get("thread_ts") and not self.refused:
                self.refused = True
                standin.fail_next("chat.postMessage", status=503)
            return super().chat_postMessage(**kwargs)

    client = RefusingTheFirstQuestion(token="xoxb-fake-token", base_url=standin.api_url)
    assert not owed.run_start(client, services, start)
    assert redis_client.get(keys.trigger("T0PLAYGND", "8.8")) == b"done"
    assert 0 < redis_client.pttl(keys.trigger("T0PLAYGND", "8.8")) <= 10 * 60 * 1000
    for _ in range(30):
        sweeper.sweep(services, lambda _: services.client)
        if redis_client.zcard(keys.owed("T0PLAYGND")) == 0:
            break
        time.sleep(0.3)
    roots = [m for m in standin.bot_messages("CSTART") if not m.get("thread_ts")]
    asked = [
        m
        for m in standin.bot_messages("CSTART")
        if (m.get("metadata") or {}).get("event_type") == "ragft_question"
    ]
    assert len(roots) == 1 and len(asked) == 1


def test_the_sweeper_tells_the_person_when_slack_refuses_for_good(
    standin: SlackStandIn, redis_client: redis.Redis
) -> None:
    """No listener is there to tell them: the sweeper says it itself, and clears the entry."""
    services = _services(standin, redis_client, delivery_lease_seconds=1)
    start = PendingStart("T0PLAYGND", "7.7", "CGONE", "U0OWNER", name="Gone")
    assert owed.claim_start(services, start)
    standin.fail_next("chat.postMessage", error="is_archived")
    time.sleep(1.1)
    sweeper.sweep(services, lambda _: services.client)
    assert [e["user"] for e in standin.ephemerals if "/invite" in e["text"]] == ["U0OWNER"]
    assert redis_client.zcard(keys.owed("T0PLAYGND")) == 0


def test_a_team_whose_entries_wait_does_not_crowd_out_the_others(
    redis_client: redis.Redis,
) -> None:
    index = OwedIndex(redis_client)
    for n in range(5):
        redis_client.zadd(keys.owed("TA"), {Owed.start("TA", f"a{n}").member: 1})
    redis_client.zadd(keys.owed("TB"), {Owed.start("TB", "b").member: 1})
    found = index.due(["TA", "TB"], now=time.time(), limit=3)
    assert [e.team for e in found] == ["TA", "TA", "TA", "TB"]
    entry = Owed.start("TB", "b")
    index.postpone(entry, 5.0)
    assert index.tries(entry) == 0  # waiting on another attempt is no try
