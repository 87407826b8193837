"""The sweeper: what acknowledged requests still owe Slack, delivered once it comes due.

Every few seconds (`OWED_SWEEP_SECONDS`, in each web process and in `ragft clock`) `sweep`
reads the teams' indexes (`OwedIndex`) for the entries whose time has come: a step or a start
whose process died after the ack, or whose delivery Slack refused and that waited out its
backoff. One sweeper takes an entry at a time (its due time moves on by the lease) and
delivers what is still owed through `bot.owed`, skipping what already reached Slack. Each
clock tick also tries the steps given up after the last try (`redeliver`), backing off up
to an hour per step, until Slack takes them.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from bot.interview import render
from bot.log import get_logger, log_context
from bot.owed import PendingStart, Step, clear, deliver, lease_seconds, run_start
from conversations.storage.owed import Owed, OwedMark

if TYPE_CHECKING:
    from slack_sdk import WebClient

    from bot.services import Services

log = get_logger(__name__)
SWEEP_BATCH = 100
FIRST_RETRY = 30.0  # a given-up step: seconds after giving up; doubled each try, up to MAX_RETRY
MAX_RETRY = 3600.0


def sweep(
    services: Services, client_for: Callable[[str], WebClient | None], *, scan: bool = False
) -> int:
    """Deliver every listed step or start whose time has come; how many went out. With
    `scan`, teams missing from the sweepers' index are looked for on every primary."""
    sent = 0
    now = time.time()
    teams = services.store.owed.teams(scan=scan)
    for entry in services.store.owed.due(teams, now, SWEEP_BATCH):
        client = client_for(entry.team)
        if client is None:  # the workspace is paused or gone: its entries wait
            continue
        if not services.store.owed.take(entry, time.time(), lease_seconds(services)):
            continue  # another sweeper has it
        with log_context(team=entry.team, channel=entry.channel, thread=entry.thread_ts):
            try:
                done = (
                    _sweep_start(client, services, entry)
                    if entry.kind == "start"
                    else (_sweep_step(client, services, entry))
                )
            except Exception:  # one bad entry must not stop the rest; it comes due again
                log.exception("sweep_failed", kind=entry.kind)
                continue
        sent += int(done)
    if sent:
        log.info("owed_swept", delivered=sent)
    return sent


def _sweep_step(client: WebClient, services: Services, entry: Owed) -> bool:
    where = entry.where
    view = services.store.view(where, entry.delivery_id)
    if view.state is None or not view.seen or not view.owed:
        clear(services, entry)  # delivered, or the mark has expired
        return False
    outcome = services.store.apply(where, delivery_id=entry.delivery_id, view=view)
    if outcome.reason == "in_progress":  # another attempt holds the mark: look again after
        services.store.owed.postpone(entry, outcome.retry_after)
        return False
    if not outcome.redelivery or outcome.state is None:
        clear(services, entry)
        return False
    log.info("owed_step_swept")
    step = Step(where, entry.delivery_id, outcome.state, outcome.effects, redelivery=True)
    return deliver(client, services, step, swept=True)


def _sweep_start(client: WebClient, services: Services, entry: Owed) -> bool:
    details = services.store.owed.start_details(entry)
    held = services.store.start_state(entry.team, entry.trigger)
    if details is None or held is None or held == "done":
        clear(services, entry)  # it ran, or it was never claimed
        return False
    log.info("owed_start_swept")
    start = PendingStart(entry.team, entry.trigger, **details)
    return run_start(client, services, start, swept=True)


# --- given up ------------------------------------------------------------------------------


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
        view = services.store.view(where, mark.delivery_id)
        if view.state is None or not view.owed:
            services.store.given_up.remove(mark)  # delivered, or the mark has expired
            return False
        outcome = services.store.apply(where, delivery_id=mark.delivery_id, view=view)
        if outcome.reason == "in_progress":
            return False  # another attempt is delivering it
        if not outcome.redelivery or outcome.state is None:
            services.store.given_up.remove(mark)
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
        log.warning(
            "given_up_still_refused", error_type=type(exc).__name__, tries=mark.attempts + 1
        )
        return False
    services.store.given_up.remove(mark)
    log.info("given_up_delivered", tries=mark.attempts + 1)
    return True
