"""The composition root builds every part once, and the listeners' handlers run without Bolt."""

from __future__ import annotations

import dataclasses
import json
import os
import threading
from datetime import date
from pathlib import Path
from typing import Any
from unittest.mock import ANY

import pytest
import redis

from bot import bootstrap
from bot.completion import post_charts
from bot.listeners import commands
from bot.settings import Settings
from bot.standin.server import SlackStandIn
from bot.views import text as t
from conversations.storage.keys import ThreadKey
from engine import assess


def _settings(standin: SlackStandIn) -> Settings:
    return Settings(slack_bot_token="xoxb-fake-token", slack_api_url=standin.api_url)


def test_one_revisit_queue_serves_the_buttons_the_scheduler_and_the_ticker(
    standin: SlackStandIn, redis_client: redis.Redis
) -> None:
    """Built once: the queue the listeners see is the scheduler's, the sender's and the ticker's."""
    services = bootstrap.build(_settings(standin), redis_client)
    queue = services.revisits
    assert services.ticker.queue is queue and services.ticker.sender.queue is queue
    assert getattr(services.rescheduler, "queue", None) is queue
    assert services.on_completed[0] == getattr(services.rescheduler, "on_completed", None)
    with pytest.raises(dataclasses.FrozenInstanceError):
        services.clock = services.clock  # type: ignore[misc]


def test_a_handler_runs_without_bolt(standin: SlackStandIn, redis_client: redis.Redis) -> None:
    """`/ragft list`, called directly, answers the person through `respond`."""
    services = bootstrap.build(_settings(standin), redis_client)
    said: list[dict[str, Any]] = []
    command = {"team_id": "T0PLAYGND", "user_id": "U1", "channel_id": "C1", "text": "list"}
    respond = lambda **kw: said.append(kw)  # noqa: E731
    commands.on_ragft(services, command, services.client, respond, {})  # type: ignore[arg-type]
    assert said == [{"text": t.LIST_EMPTY, "blocks": ANY, "response_type": "ephemeral"}]


def test_charts_are_drawn_off_the_callers_thread(
    standin: SlackStandIn, redis_client: redis.Redis
) -> None:
    """A listener thread hands the charts to the process's chart thread and goes on: the next
    person's question never waits behind matplotlib (bench/reliability.py, B11)."""
    services = bootstrap.build(_settings(standin), redis_client)
    profile = json.loads(
        (Path(__file__).resolve().parents[2] / "examples/support-bot.json").read_text()
    )
    result = assess(profile, decided_on=date(2026, 3, 1))
    drawn: list[str] = []
    gate = threading.Event()
    services.charts.submit(gate.wait)  # the chart thread is busy with an earlier chart
    services.charts.submit(lambda: drawn.append(threading.current_thread().name))
    try:
        post_charts(services.client, services, ThreadKey("T1", "C1", "1.0"), result)
        assert standin.calls_to("files.getUploadURLExternal") == []  # nothing drawn yet
    finally:
        gate.set()  # never leave the chart thread waiting (pytest would wait for it at exit)
    standin.wait_for(lambda: standin.calls_to("files.completeUploadExternal"), timeout=30)
    assert drawn[0].startswith("ragft-charts")
    services.charts.shutdown(wait=True)


def test_charts_are_drawn_in_a_process_of_their_own(
    standin: SlackStandIn, redis_client: redis.Redis
) -> None:
    """matplotlib holds the interpreter lock for about a second a chart: it runs in another
    process, at the lowest priority, so that no interview step waits behind it."""

    services = bootstrap.build(_settings(standin), redis_client)
    assert services.drawing is not None
    try:
        assert services.drawing.submit(os.getpid).result(timeout=60) != os.getpid()
        assert services.drawing.submit(os.nice, 0).result(timeout=60) == 19
    finally:
        services.drawing.shutdown()
