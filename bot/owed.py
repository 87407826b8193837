"""What an acknowledged request still owes Slack: delivered after the ack, swept if not.

The outbox is the interview's own state. Before the ack, a step is committed together with
the Slack effects it owes (the thread's delivery mark, `InterviewStore.apply`), and listed in
the sweeper's index in the same Lua step (`OwedIndex`, in the team's slot); a start is
claimed by its trigger and listed with what it needs to run, in one step too. After the
ack, Bolt's lazy listener delivers them (`deliver`, `run_start`), and the entry goes with
the record of the delivery. When that does not happen (the process died, Slack answered
5xx, a call timed out), the entry comes due: a sweeper (`bot.sweeper`, every few seconds in
each web process and in `ragft clock`) takes it, once, and delivers what is still owed, skipping
what already reached Slack (the mark's lease and the lookup of a question by its block id
see to that), after a backoff. After `MAX_TRIES` the person is told (in the thread, or by
DM) and the step is listed as given up (`ragft owed`, a count in `/healthz`); every clock
tick still tries those, backing off up to an hour.
"""

from __future__ import annotations

import urllib.error
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from slack_sdk.errors import SlackApiError

from bot.errors import user_message
from bot.interview import open_interview, render
from bot.log import get_logger, log_context
from bot.views import text as t
from conversations.errors import StoreUnavailable
from conversations.state import Effect, InterviewState
from conversations.storage.keys import ThreadKey
from conversations.storage.owed import Owed, OwedMark

if TYPE_CHECKING:
    from slack_sdk import WebClient

    from bot.services import Services

log = get_logger(__name__)
MAX_TRIES = 8  # about four minutes of backoff, more with long Retry-After answers
BACKOFF_CAP = 60.0


@dataclass
class Step:
    """A committed step's effects, as the ack part hands them to the lazy delivery."""

    where: ThreadKey
    delivery_id: str
    state: InterviewState
    effects: list[Effect]
    recorded: dict[str, str] | None = None
    known_ts: dict[str, str] = field(default_factory=dict)
    redelivery: bool = False

    @property
    def entry(self) -> Owed:
        return Owed.step(self.where, self.delivery_id)


@dataclass(frozen=True)
class PendingStart:
    """A start claimed by its trigger (a command, a DM, a press), and what running it needs."""

    team: str
    trigger: str
    channel: str
    user: str
    name: str = ""
    previous: str = ""  # the assessment a re-assessment starts from

    @property
    def entry(self) -> Owed:
        return Owed.start(self.team, self.trigger)

    def details(self) -> dict[str, str]:
        return {
            "channel": self.channel,
            "user": self.user,
            "name": self.name,
            "previous": self.previous,
        }


@dataclass(frozen=True)
class Stranger:
    """The ack part found someone other than the owner answering: they are told after it."""

    owner: str


@dataclass(frozen=True)
class Stale:
    """A press on a question that is no longer the open one: the presser is pointed on."""

    state: InterviewState


@dataclass(frozen=True)
class Replayed:
    """A start or a change whose trigger was claimed before: nothing more to do."""


@dataclass(frozen=True)
class DirectMessage:
    """A DM to the bot outside an interview, answered after the ack."""


# What a listener's ack part decided, in the request's context, for its lazy part.
NEXT_KEY = "ragft_next"
Next = Step | PendingStart | Stranger | Stale | Replayed | DirectMessage


def decided(context: Mapping[str, Any]) -> Next | None:
    """What the ack part left for the lazy part (None: nothing to do)."""
    found = context.get(NEXT_KEY)
    return found if isinstance(found, Next) else None


def lease_seconds(services: Services) -> float:
    return services.store.lease_ms / 1000


def claim_start(services: Services, start: PendingStart) -> bool:
    """Before the ack: whether this delivery of a start is the first (Slack's retries, an
    event sent under two ids, a double press start one interview); the first is listed for
    the sweeper in the same step, so a process dying after the ack still starts it."""
    services.store.owed.note_team(start.team)  # first: the sweepers look in the team's slot
    if not services.store.claim_start(
        start.team, start.trigger, lease_seconds(services), start.details()
    ):
        log.info("start_replayed")
        return False
    return True


def retry_backoff(tries: int) -> float:
    """0.5 s, 1 s, 2 s, ... up to BACKOFF_CAP."""
    return min(BACKOFF_CAP, 0.5 * float(2 ** max(0, tries - 1)))


def retry_delay(error: BaseException, tries: int) -> float | None:
    """How long to wait before delivering again, or None when trying again cannot help."""
    backoff = retry_backoff(tries)
    if isinstance(error, SlackApiError):
        status = int(getattr(error.response, "status_code", 200))
        if status == 429:
            headers: dict[str, Any] = getattr(error.response, "headers", {}) or {}
            raw: Any = headers.get("retry-after") or headers.get("Retry-After") or "1"
            try:
                return max(1.0, float(str(raw[0] if isinstance(raw, list) else raw)))
            except ValueError:
                return backoff
        return backoff if status >= 500 else None
    if isinstance(error, urllib.error.URLError | TimeoutError | ConnectionError):
        return backoff
    if isinstance(error, StoreUnavailable):
        return backoff
    return None


def deliver(client: WebClient, services: Services, step: Step, *, swept: bool = False) -> bool:
    """Take a committed step's effects to Slack (after the ack, or from the sweeper); on a
    failure, leave them to the sweeper, or give up and tell the person (`_failed`).
    True: delivered."""
    try:
        render(
            client,
            services,
            step.where,
            step.state,
            step.effects,
            known_ts=step.known_ts,
            recorded=step.recorded,
            delivery_id=step.delivery_id,
            redelivery=step.redelivery,
        )
    except Exception as exc:
        _failed(client, services, step.entry, exc, user=step.state.owner, step=step, swept=swept)
        return False
    return True  # the record of the delivery took the entry off the index


def run_start(
    client: WebClient, services: Services, start: PendingStart, *, swept: bool = False
) -> bool:
    """Run a claimed start (after the ack, or from the sweeper). True: it ran.

    Once the interview is stored the start counts as run (the sweeper will not run it
    again), and its first question is owed like any step's effects: a Slack failure there
    is retried by the sweeper, which looks for the question in the thread first."""
    previous = None
    if start.previous:
        previous = services.store.get_assessment(start.team, start.previous)
    delivery = f"start:{start.trigger}"
    try:
        where, outcome = open_interview(
            client,
            services,
            team=start.team,
            channel=start.channel,
            user=start.user,
            name=start.name or None,
            previous=previous,
            store_checked=True,  # the claim (or the sweeper's take) reached Redis just now
            delivery_id=delivery,
        )
    except Exception as exc:
        _failed(
            client,
            services,
            start.entry,
            exc,
            user=start.user,
            channel=start.channel,
            swept=swept,
        )
        return False
    try:
        services.store.start_ran(start.team, start.trigger)
    except StoreUnavailable:  # Redis answered a moment ago; the sweeper would run it again
        log.warning("start_not_marked_run")
    assert outcome.state is not None  # start always yields a state
    step = Step(where, delivery, outcome.state, outcome.effects, recorded={})
    with log_context(
        team=where.team,
        channel=where.channel,
        thread=where.thread_ts,
        assessment_id=outcome.state.assessment_id,
    ):
        return deliver(client, services, step, swept=swept)


def clear(services: Services, entry: Owed) -> None:
    """Take `entry` off the sweeper's index (with Redis away, the sweeper finds nothing owed
    there later, and drops it)."""
    try:
        services.store.owed.done(entry)
    except StoreUnavailable:  # the sweeper finds nothing owed there, and drops the entry
        log.warning("owed_entry_not_cleared")


def _failed(
    client: WebClient,
    services: Services,
    entry: Owed,
    error: Exception,
    *,
    user: str,
    channel: str = "",
    step: Step | None = None,
    swept: bool = False,
) -> None:
    """A delivery or a start failed: try again later; after MAX_TRIES tell the person and,
    for a step, list it as given up. A failure that trying again cannot help (Slack refusing
    the channel, say) is raised again, for the listener's error handler to tell the person
    in its own words (by the sweeper, which has no listener, it tells them itself)."""
    try:
        tries = services.store.owed.tries(entry) + 1
        delay = retry_delay(error, tries)
        if delay is None:
            clear(services, entry)
            if not swept:
                raise error
            where = channel or entry.channel
            tell_person(client, user, where, entry.thread_ts or None, user_message(error))
            return
        if tries < MAX_TRIES:
            services.store.owed.later(entry, delay)
            log.warning(
                "delivery_will_be_retried",
                error_type=type(error).__name__,
                delay=round(delay, 2),
                tries=tries,
            )
            return
    except StoreUnavailable:  # the entry comes due after its lease all the same
        log.warning("delivery_retry_not_noted", error_type=type(error).__name__)
        return
    log.error("delivery_given_up", error_type=type(error).__name__, kind=entry.kind)
    listed = step is not None and _give_up(services, step, error) is not None
    where = channel or entry.channel
    text = t.ERROR_GAVE_UP if listed else t.ERROR_GAVE_UP_RETRY
    tell_person(client, user, where, entry.thread_ts or None, text.format(channel=where))
    clear(services, entry)


def _give_up(services: Services, step: Step, error: Exception) -> OwedMark | None:
    """List a step whose effects are still owed as given up (for the clock and operators)."""
    try:
        if not services.store.view(step.where, step.delivery_id).owed:
            return None  # nothing saved for it, or all of it delivered
        return services.store.given_up.add(
            step.where, step.delivery_id, user=step.state.owner, error=type(error).__name__
        )
    except Exception as exc:  # Redis away too: the mark itself stays, unlisted
        log.warning("given_up_not_listed", error=type(exc).__name__)
        return None


def tell_person(
    client: WebClient, user: str, channel: str, thread_ts: str | None, text: str
) -> None:
    """Tell a person privately where the step happened, or by DM when Slack refuses that."""
    try:
        if channel:
            client.chat_postEphemeral(channel=channel, user=user, text=text, thread_ts=thread_ts)
            return
    except Exception:  # the channel may be what fails: try their DM below
        log.warning("error_reply_failed", channel=channel)
    try:
        dm = client.conversations_open(users=user)["channel"]["id"]
        client.chat_postMessage(channel=dm, text=text)
    except Exception:  # the person can't be told; the failure itself is logged
        log.warning("error_dm_failed")
