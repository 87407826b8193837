"""Deliveries given up, and the clock delivering them once Slack takes them again.

A step whose effects Slack refused until the inbox's last attempt stays saved, with its
effects owed at its delivery mark; its author has been told (`bot.app.on_worker_error`).
The mark is listed (`conversations.storage.owed`), and every tick of a clock (`ragft clock`,
or the web process's ticker) tries each listed one again, backing off up to an hour per
mark: the next question reaches the thread as soon as Slack takes it, never twice (the
mark's lease and the lookup of what already reached the thread see to that).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from bot import payload
from bot.interview import render
from bot.listeners.actions import delivery_id as press_delivery
from bot.log import get_logger, log_context
from conversations.storage.keys import ThreadKey
from conversations.storage.owed import OwedMark

if TYPE_CHECKING:
    from slack_sdk import WebClient

    from bot.services import Services

log = get_logger(__name__)
FIRST_RETRY = 30.0  # seconds after giving up; doubled each try, up to MAX_RETRY
MAX_RETRY = 3600.0


def step_of(body: dict[str, Any]) -> tuple[ThreadKey, str] | None:
    """The thread and delivery mark of a thread reply or a press, or None for any other."""
    team, channel, thread = payload.team_id(body), payload.channel_id(body), payload.thread_ts(body)
    if not (team and channel and thread):
        return None
    if body.get("type") == "block_actions":
        return ThreadKey(team, channel, thread), press_delivery(body)
    event = body.get("event") or {}
    if event.get("type") == "message" and event.get("thread_ts") and event.get("ts"):
        return ThreadKey(team, channel, thread), str(body.get("event_id") or f"msg:{event['ts']}")
    return None


def give_up(services: Services, body: dict[str, Any], error: Exception) -> OwedMark | None:
    """List the step of `body` as given up, when it still owes effects (for the clock)."""
    step = step_of(body)
    if step is None:
        return None
    where, delivery = step
    try:
        if not services.store.view(where, delivery).owed:
            return None  # nothing saved for it, or all of it delivered
        mark = services.store.given_up.add(
            where, delivery, user=payload.user_id(body), error=type(error).__name__
        )
    except Exception as exc:  # Redis away too: the mark itself stays, unlisted
        log.warning("given_up_not_listed", error=type(exc).__name__)
        return None
    log.error("delivery_given_up", team=where.team, channel=where.channel, thread=where.thread_ts)
    return mark


def _due(mark: OwedMark, now: float) -> bool:
    wait = min(MAX_RETRY, FIRST_RETRY * 2.0**mark.attempts)
    since = mark.tried_at if mark.attempts else mark.given_up_at
    return now >= since + wait


def redeliver(services: Services, client_for: Callable[[str], WebClient | None]) -> int:
    """Try each given-up delivery that is due again; how many went out."""
    sent = 0
    now = time.time()
    for mark in services.store.given_up.marks():
        if not _due(mark, now):
            continue
        client = client_for(mark.team)
        if client is None:  # the workspace is paused or gone: its marks wait
            continue
        with log_context(team=mark.team, channel=mark.channel, thread=mark.thread_ts):
            if _redeliver_one(services, client, mark, now):
                sent += 1
    return sent


def _redeliver_one(services: Services, client: WebClient, mark: OwedMark, now: float) -> bool:
    where = mark.where
    try:
        outcome = services.store.apply(where, delivery_id=mark.delivery_id)
        if outcome.reason == "in_progress":
            return False  # another attempt is delivering it
        if not outcome.redelivery or outcome.state is None:
            services.store.given_up.remove(mark)  # delivered, or the mark has expired
            return False
        render(
            client,
            services,
            where,
            outcome.state,
            outcome.effects,
            delivery_id=mark.delivery_id,
            redelivery=True,
        )
    except Exception as exc:  # still refused: try again later, backing off
        services.store.given_up.put(replace(mark, attempts=mark.attempts + 1, tried_at=now))
        log.warning("given_up_still_refused", error=type(exc).__name__, tries=mark.attempts + 1)
        return False
    services.store.given_up.remove(mark)
    log.info("given_up_delivered", tries=mark.attempts + 1)
    return True
