"""The revisit outbox: a completion and its revisit-to-be are one atomic write; draining it
into the schedule is idempotent, finds every team, and never undoes a snooze."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import redis
from redis.client import Pipeline
from redis.crc import key_slot
from slack_sdk import WebClient

from bot.revisits.scheduler import RevisitConfig, RevisitScheduler
from bot.revisits.sender import NudgeSender
from bot.revisits.ticker import SCAN_EVERY_TICKS, RevisitTicker
from bot.standin.server import SlackStandIn
from conversations.errors import StoreUnavailable
from conversations.revisit_timing import parse_period
from conversations.storage import keys
from conversations.storage.interviews import InterviewStore
from conversations.storage.keys import ThreadKey
from conversations.storage.outbox import INDEX, RevisitOutbox
from conversations.storage.revisits import RevisitQueue
from tests.bot.test_revisit_sender import make_record
from tests.conversations.helpers import FULL_RAG_WORKLOAD, NOW


@pytest.fixture
def scheduler(standin: SlackStandIn, redis_client: redis.Redis) -> RevisitScheduler:
    client = WebClient(token="xoxb-fake-token", base_url=standin.api_url)
    config = RevisitConfig(revisit_after=parse_period("P12M"))
    return RevisitScheduler(config.queue(redis_client), client, config, clock=lambda: NOW)


def complete(client: redis.Redis, team: str, thread: str = "1.1", owner: str = "U1") -> str:
    """A whole interview through the store; returns the assessment id."""
    store = InterviewStore(client, clock=lambda: NOW)
    where = ThreadKey(team, "C1", thread)
    store.start(where, owner, name="Support bot")
    answers = {**FULL_RAG_WORKLOAD, "another_workload": "no"}
    outcome = store.apply(where, command="status")
    while outcome.state is not None and outcome.state.current is not None:
        outcome = store.apply(where, text=answers[outcome.state.current.question_id])
    assert outcome.state is not None and outcome.state.status == "completed"
    return outcome.state.assessment_id


def test_the_completion_writes_its_outbox_entry_in_the_same_step(
    redis_client: redis.Redis,
) -> None:
    """The record and its outbox entry exist together, before anyone schedules anything."""
    aid = complete(redis_client, "T1")
    assert redis_client.exists(keys.assessment("T1", aid))
    entries = RevisitOutbox(redis_client).entries("T1")
    assert [(e.assessment_id, e.owner, e.revisit_on) for e, _ in entries] == [
        (aid, "U1", "2027-03-05")
    ]
    assert RevisitQueue(redis_client).status("T1", aid) is None  # nothing scheduled yet


def test_draining_schedules_once_and_clears_the_outbox(
    redis_client: redis.Redis, scheduler: RevisitScheduler
) -> None:
    aid = complete(redis_client, "T1")
    assert scheduler.drain_team("T1") == 1
    state = scheduler.queue.status("T1", aid)
    assert state is not None and state.due_at.date().isoformat() == "2027-03-05"
    assert RevisitOutbox(redis_client).entries("T1") == []
    assert not redis_client.sismember(INDEX, "T1")  # an empty outbox leaves the index


def test_a_second_drain_of_the_same_entry_changes_nothing(
    redis_client: redis.Redis, scheduler: RevisitScheduler
) -> None:
    """A drainer that died after scheduling but before clearing: the next one leaves the
    schedule, and a snooze made in between, as they are."""
    aid = complete(redis_client, "T1")
    outbox = RevisitOutbox(redis_client)
    [(_entry, raw)] = outbox.entries("T1")
    assert scheduler.drain_team("T1") == 1
    redis_client.hset(keys.revisit_outbox("T1"), aid, raw)  # as if the clear never happened
    until = (NOW + timedelta(days=400)).timestamp()
    assert scheduler.queue.snooze("T1", aid, until)
    assert scheduler.drain_team("T1") == 0
    state = scheduler.queue.status("T1", aid)
    assert state is not None and state.snoozed_until is not None
    assert state.snoozed_until.timestamp() == pytest.approx(until)
    assert outbox.entries("T1") == []


def test_a_reassessment_is_scheduled_again(
    redis_client: redis.Redis, scheduler: RevisitScheduler
) -> None:
    """A new completion of the same assessment is a new entry: its revisit replaces the old."""
    aid = complete(redis_client, "T1")
    scheduler.drain_team("T1")
    store = InterviewStore(redis_client, clock=lambda: NOW + timedelta(days=30))
    record = store.get_assessment("T1", aid)
    store.start(ThreadKey("T1", "C1", "9.9"), "U1", previous=record)
    where = ThreadKey("T1", "C1", "9.9")
    answers = {**FULL_RAG_WORKLOAD, "another_workload": "no", "name": "Support bot"}
    outcome = store.apply(where, command="status")
    while outcome.state is not None and outcome.state.current is not None:
        outcome = store.apply(where, text=answers.get(outcome.state.current.question_id, "skip"))
    assert scheduler.drain_team("T1") == 1
    state = scheduler.queue.status("T1", aid)
    assert state is not None and state.due_at.date().isoformat() == "2027-04-04"


def test_clocks_find_a_team_missing_from_the_index_by_scanning(
    redis_client: redis.Redis, scheduler: RevisitScheduler
) -> None:
    """The web process died before indexing the team: the periodic SCAN finds its outbox."""
    first, second = complete(redis_client, "T1"), complete(redis_client, "T2", owner="U2")
    redis_client.sadd(INDEX, "T2")  # only T2 was indexed
    assert scheduler.drain_outboxes() == 1
    assert scheduler.queue.status("T1", first) is None
    assert scheduler.drain_outboxes(scan=True) == 1
    assert scheduler.queue.status("T1", first) is not None
    assert scheduler.queue.status("T2", second) is not None
    assert RevisitOutbox(redis_client).pending() == 0


def test_forget_me_takes_the_waiting_revisit_too(
    redis_client: redis.Redis, scheduler: RevisitScheduler
) -> None:
    complete(redis_client, "T1")
    InterviewStore(redis_client).forget_user("T1", "U1")
    assert RevisitOutbox(redis_client).entries("T1") == []
    assert scheduler.drain_outboxes(scan=True) == 0


# --- every script and pipeline stays in one hash slot ---------------------------------


class SlotAudit(redis.Redis):
    """A client that records, per script call, transaction and multi-key command, the hash
    slots of the `ragft:` keys it names."""

    calls: list[tuple[str, set[int]]]

    def execute_command(self, *args: Any, **options: Any) -> Any:
        self.calls.append((str(args[0]), _slots(args)))
        return super().execute_command(*args, **options)

    def pipeline(self, transaction: bool = True, shard_hint: Any = None) -> Any:
        audit = self

        class Recording(Pipeline):
            def execute(self, raise_on_error: bool = True) -> list[Any]:
                names = " ".join(str(c[0][0]) for c in self.command_stack)
                slots = set().union(*(_slots(c[0]) for c in self.command_stack))
                if self.transaction:
                    audit.calls.append((f"MULTI {names}", slots))
                return super().execute(raise_on_error)

        return Recording(self.connection_pool, self.response_callbacks, transaction, shard_hint)


def _slots(args: tuple[Any, ...]) -> set[int]:
    found = set()
    for arg in args:
        text = arg.decode() if isinstance(arg, bytes) else str(arg)
        if text.startswith("ragft:"):
            found.add(key_slot(text.encode()))
    return found


def test_every_script_transaction_and_multi_key_command_stays_in_one_slot(
    redis_url: str, redis_client: redis.Redis, standin: SlackStandIn
) -> None:
    """A whole life (complete, drain, claim, snooze, settle, cancel, forget) through a client
    that records slots: no call a Cluster would refuse (CROSSSLOT), and schedule keys and team
    keys never meet in one call."""
    audit = SlotAudit.from_url(redis_url)
    audit.calls = []
    client = WebClient(token="xoxb-fake-token", base_url=standin.api_url)
    config = RevisitConfig(revisit_after=parse_period("PT1S"))
    scheduler = RevisitScheduler(config.queue(audit), client, config, clock=lambda: NOW)
    sender = NudgeSender(client, scheduler.queue, InterviewStore(audit), clock=lambda: NOW)
    aid = complete(audit, "T1")
    InterviewStore(audit).delivered(ThreadKey("T1", "C1", "1.1"), None, {"x": "1.2"})
    scheduler.drain_outboxes(scan=True)
    for rev in scheduler.queue.claim(NOW.timestamp() + 10):
        sender.deliver(rev, NOW.timestamp() + 10)
    scheduler.snooze("T1", aid, "U1", "P1W")
    scheduler.dismiss("T1", aid, "U1")
    scheduler.queue.retry_later(scheduler.queue.claim(NOW.timestamp() + 1e9)[0], 0.0)
    scheduler.queue.cancel("T1", aid)
    InterviewStore(audit).forget_user("T1", "U1")
    multi = [(name, slots) for name, slots in audit.calls if len(slots) > 1]
    assert multi == []
    scripts = [name for name, slots in audit.calls if name.startswith("EVALSHA") and slots]
    assert len(scripts) >= 5


def test_the_ticker_drains_every_tick_scans_every_twelfth_and_survives_a_failed_drain(
    redis_client: redis.Redis, scheduler: RevisitScheduler, standin: SlackStandIn
) -> None:
    """Outboxes are drained before due revisits are claimed; a SCAN runs at start and every
    SCAN_EVERY_TICKS; a drain that fails leaves due nudges going out."""
    client = WebClient(token="xoxb-fake-token", base_url=standin.api_url)
    store = InterviewStore(redis_client)
    sender = NudgeSender(client, scheduler.queue, store, clock=lambda: NOW)
    scans: list[bool] = []

    def drain(*, scan: bool = False) -> int:
        scans.append(scan)
        if len(scans) == 2:
            raise StoreUnavailable("primary gone")
        return scheduler.drain_outboxes(scan=scan)

    ticker = RevisitTicker(
        scheduler.queue, sender, tick_seconds=1, batch=10, clock=lambda: NOW, drain=drain
    )
    aid = complete(redis_client, "T1")  # never indexed: only the scan finds it
    assert ticker.tick() == {"scheduled": 1}
    store.save_assessment(make_record("due1"))
    scheduler.queue.schedule(make_record("due1").team, "due1", NOW.timestamp() - 1)
    assert ticker.tick() == {"delivered": 1}  # the drain failed, the nudge went
    for _ in range(SCAN_EVERY_TICKS):
        ticker.tick()
    assert scans[0] and scans[SCAN_EVERY_TICKS] and sum(scans) == 2
    assert scheduler.queue.status("T1", aid) is not None
