"""The reliability review's measurements (2026-11-30: B4-B8, B10, B11) at its own scale.

Every scenario runs against the real processes: `ragft web` (gunicorn, one worker) or
`ragft clock`, a real `redis-server` on loopback (appendonly yes, everysec), and the Slack
stand-in with its faults. Requests are signed as Slack signs them; the people answer by
thread replies or by pressing the buttons the app posted. Prints one row per scenario:
the set-up and the figures, with the seconds each took.

    .venv/bin/python bench/reliability.py                # every scenario (about 8 minutes)
    .venv/bin/python bench/reliability.py --only b4      # one, or several: --only b5,b11
    .venv/bin/python bench/reliability.py --only b7 --b7-after 150   # one round of B7

A person whose answer shows no effect (no next question, no recommendation) within the
scenario's patience counts it as lost and sends it again, as a person would retype it.
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import copy
import functools
import os
import shutil
import signal
import socket
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

# Run as a script, bench/ comes first on sys.path and bench/engine.py would shadow `engine`.
sys.path[0] = str(Path(__file__).resolve().parents[1])

import psutil  # noqa: E402 (after the sys.path fix above)
import redis  # noqa: E402

from bot.standin.server import TEAM_ID, SlackStandIn  # noqa: E402
from conversations.storage.interviews import InterviewStore  # noqa: E402
from conversations.storage.keys import ThreadKey  # noqa: E402
from tests.e2e.harness import ClockProcess, WebProcess, press  # noqa: E402
from tests.e2e.redis_topologies import Node, start_server  # noqa: E402
from tests.e2e.test_interview import BUTTONS, REPLIES, _button_index  # noqa: E402
from tests.e2e.test_reliability import DelayingProxy  # noqa: E402
from tests.e2e.test_revisit_clocks import deliveries, seed  # noqa: E402

# The review's web settings (the rest come from the harness: fake tokens, JSON logs).
WEB_ENV = {"REVISIT_AFTER": "PT5S", "RAGFT_CLOCK": "separate"}
SORRY = "Sorry, something went wrong"


# --- the stand-in, indexed -------------------------------------------------------------
class Stand(SlackStandIn):
    """The stand-in with each thread's messages at hand and when each was posted, so forty
    people polling their own thread do not scan every message under the stand-in's lock."""

    def __init__(self) -> None:
        super().__init__()
        self.threads: dict[str, list[dict[str, Any]]] = collections.defaultdict(list)
        self.roots: list[dict[str, Any]] = []
        self.posted_at: dict[str, float] = {}

    def _post(self, args: dict[str, Any]) -> dict[str, Any]:
        message = super()._post(args)
        self.posted_at[message["ts"]] = time.monotonic()
        if message.get("thread_ts"):
            self.threads[message["thread_ts"]].append(message)
        else:
            self.roots.append(message)
        return message


def kind(message: dict[str, Any]) -> str | None:
    return (message.get("metadata") or {}).get("event_type")


def in_thread(stand: Stand, thread: str) -> list[dict[str, Any]]:
    return list(stand.threads.get(thread, ()))


def asked(stand: Stand, thread: str) -> list[dict[str, Any]]:
    return [m for m in in_thread(stand, thread) if kind(m) == "ragft_question"]


def recommended(stand: Stand, thread: str) -> list[dict[str, Any]]:
    return [m for m in in_thread(stand, thread) if kind(m) == "ragft_recommendation"]


def sorry(stand: Stand) -> int:
    """Error notes anywhere: response_url bodies, ephemerals and posts."""
    texts = [str(r.get("text", "")) for r in list(stand.responses)]
    texts += [str(e.get("text", "")) for e in list(stand.ephemerals)]
    texts += [str(m.get("text", "")) for m in list(stand.messages) if m.get("bot_id")]
    return sum(SORRY in text for text in texts)


def duplicates(stand: Stand, threads: Iterable[str]) -> dict[str, int]:
    """Per kind, the messages posted more than once in the threads: a question (the same
    question of the same workload), a recommendation, and a plain note with the same text."""
    found = {"questions": 0, "recommendations": 0, "notes": 0}
    for thread in threads:
        messages = in_thread(stand, thread)
        questions = collections.Counter(
            (
                m["metadata"]["event_payload"]["question_id"],
                m["metadata"]["event_payload"]["workload"],
            )
            for m in messages
            if kind(m) == "ragft_question"
        )
        notes = collections.Counter(m.get("text", "") for m in messages if kind(m) is None)
        found["questions"] += sum(n - 1 for n in questions.values())
        found["recommendations"] += max(0, len(recommended(stand, thread)) - 1)
        found["notes"] += sum(n - 1 for n in notes.values())
    return found


def dup_text(found: dict[str, int]) -> str:
    return f"{found['questions']} q / {found['recommendations']} rec / {found['notes']} notes"


# --- people ------------------------------------------------------------------------------
@dataclass
class Person:
    """One interview: who, where, how they answer, and what happened to their answers."""

    user: str
    channel: str
    buttons: bool
    thread: str = ""
    acked: int = 0  # answers that got HTTP 200
    refused: int = 0  # requests that got no 200 (sent again, as Slack or the person would)
    lost: int = 0  # acked answers with no effect within the patience (sent again)
    delays: list[tuple[float, float]] = field(default_factory=list)  # (ack at, s to next post)
    done: bool = False
    error: str = ""


class Crowd:
    """People driving interviews against one `ragft web`, each in a thread of their own."""

    def __init__(
        self, stand: Stand, web: WebProcess, *, think: float, patience: float, deadline: float
    ) -> None:
        self.stand = stand
        self.web = web
        self.think = think
        self.patience = patience
        self.deadline = deadline  # time.monotonic() after which nobody sends anything more
        self.people: list[Person] = []
        self._lock = threading.Lock()
        self.acked = 0
        self.running = 0  # interviews still being answered

    def add(self, user: str, channel: str, *, buttons: bool) -> Person:
        person = Person(user, channel, buttons)
        self.people.append(person)
        return person

    def _send(self, person: Person, request: Callable[[int], Any]) -> bool:
        """Send until it gets a 200 (attempt n is passed, for Slack's retry headers)."""
        attempt = 0
        while time.monotonic() < self.deadline:
            try:
                status = request(attempt).status
            except OSError:
                status = 0
            if status == 200:
                return True
            person.refused += 1
            attempt += 1
            time.sleep(1.0)
        return False

    def begin(self, person: Person) -> bool:
        """`/ragft assess`, then wait for the root message and the first question."""
        sender = self.web.sender
        command = f"assess Bench {person.user}"
        if not self._send(
            person,
            lambda _: sender.command(command, user_id=person.user, channel_id=person.channel),
        ):
            person.error = "assess not acknowledged"
            return False
        until = time.monotonic() + self.patience
        mention = f"<@{person.user}>"
        while time.monotonic() < until:
            root = next(
                (
                    m
                    for m in list(self.stand.roots)
                    if m["channel"] == person.channel and mention in m.get("text", "")
                ),
                None,
            )
            if root is not None and asked(self.stand, root["ts"]):
                person.thread = str(root["ts"])
                return True
            time.sleep(0.05)
        person.error = "no first question"
        return False

    def answer(self, person: Person, question: dict[str, Any]) -> bool:
        """Answer `question` as the person does: a button where they use buttons, else a reply."""
        qid = question["metadata"]["event_payload"]["question_id"]
        sender = self.web.sender
        if person.buttons and (qid in BUTTONS or qid == "gaps"):
            index = 0 if qid == "gaps" else _button_index(question, BUTTONS[qid])  # gaps: Done
            return self._send(person, lambda _: press(sender, question, index, user_id=person.user))
        text, ts, event_id = REPLIES.get(qid, "no"), self.stand.next_ts(), f"Ev{uuid.uuid4().hex}"
        return self._send(
            person,
            lambda attempt: sender.message(
                text,
                channel=person.channel,
                user=person.user,
                thread_ts=person.thread,
                ts=ts,
                event_id=event_id,  # Slack retries an event with its id and X-Slack-Retry-Num
                retry_num=attempt or None,
            ),
        )

    def interview(self, person: Person, started: bool = False) -> None:
        """From `/ragft assess` (unless `started`) to the recommendation."""
        with self._lock:
            self.running += 1
        try:
            self._interview(person, started)
        finally:
            with self._lock:
                self.running -= 1

    def _interview(self, person: Person, started: bool) -> None:
        if not started and not self.begin(person):
            return
        while time.monotonic() < self.deadline:
            shown = asked(self.stand, person.thread)
            question = copy.deepcopy(shown[-1])  # as the person sees it, before any redraw
            time.sleep(self.think)
            if not self.answer(person, question):
                break
            acked_at = time.monotonic()
            person.acked += 1
            with self._lock:
                self.acked += 1
            following = self.effect(person, len(shown), acked_at + self.patience)
            if following is None:
                person.lost += 1  # the person sends the answer again
                continue
            if following == "recommendation":
                person.done = True
                return
            person.delays.append(
                (acked_at, self.stand.posted_at.get(following, time.monotonic()) - acked_at)
            )

    def effect(self, person: Person, seen: int, until: float) -> str | None:
        """The ts of the next question, "recommendation", or None if none came in time."""
        while time.monotonic() < min(until, self.deadline):
            if recommended(self.stand, person.thread):
                return "recommendation"
            shown = asked(self.stand, person.thread)
            if len(shown) > seen:
                return str(shown[-1]["ts"])
            time.sleep(0.02)
        return None

    def start_all(self) -> None:
        """Every person types `/ragft assess` at once; returns when all have a question."""
        with ThreadPoolExecutor(len(self.people)) as pool:
            list(pool.map(self.begin, self.people))

    def run_all(self, during: Callable[[], None] | None = None) -> None:
        """Every person answers to the end; `during` runs beside them (the fault)."""
        with ThreadPoolExecutor(len(self.people) + 1) as pool:
            futures = [
                pool.submit(self.interview, p, True)
                for p in self.people
                if p.thread and not p.error
            ]
            if during is not None:
                futures.append(pool.submit(during))
            for future in futures:
                future.result()

    def threads(self) -> list[str]:
        return [p.thread for p in self.people if p.thread]


# --- processes ----------------------------------------------------------------------------
class Env:
    """The Redis server for the run, and what each scenario starts (stopped afterwards)."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.socket_path = str(workdir / "redis.sock")
        self.redis: Node = start_server(
            workdir / "redis",
            "--appendonly",
            "yes",
            "--appendfsync",
            "everysec",
            "--unixsocket",
            self.socket_path,
            "--unixsocketperm",
            "700",
        )
        self.url = f"redis://127.0.0.1:{self.redis.port}/0"
        self.client = redis.Redis(port=self.redis.port)

    def fresh(self) -> Stand:
        self.client.flushall()
        stand = Stand()
        stand.start()
        return stand

    def web(self, stand: Stand, url: str | None = None, **env: str) -> WebProcess:
        return WebProcess(
            stand, url or self.url, env={**WEB_ENV, **env}, data_dir=str(self.workdir)
        ).start(60)

    def close(self) -> None:
        self.client.close()
        self.redis.proc.terminate()
        self.redis.proc.wait(10)


def workers(web: WebProcess) -> list[psutil.Process]:
    """The gunicorn worker processes (the master is the `ragft web` process itself)."""
    assert web.proc is not None
    try:
        found: list[psutil.Process] = psutil.Process(web.proc.pid).children()
        return found
    except psutil.Error:
        return []


def kill_worker(web: WebProcess) -> float:
    """kill -9 of the worker; returns the seconds until a new worker answers /healthz."""
    old = workers(web)
    start = time.monotonic()
    for proc in old:
        os.kill(proc.pid, signal.SIGKILL)
    pids = {p.pid for p in old}
    while time.monotonic() - start < 60:
        fresh = [p for p in workers(web) if p.pid not in pids]
        if fresh and web.health() == 200:
            break
        time.sleep(0.05)
    return time.monotonic() - start


def vm_rss(pid: int, field_name: str = "VmRSS") -> int:
    """kB of /proc/PID/status's `field_name`, 0 if the process is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field_name + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * q))] if ordered else 0.0


# --- the scenarios -------------------------------------------------------------------------
# scenario, set-up, figure, seconds (None: the scenario's whole time)
Row = tuple[str, str, str, float | None]


def timed(run: Callable[[], str]) -> tuple[str, float]:
    started = time.monotonic()
    figure = run()
    return figure, time.monotonic() - started


def slack_failures(stand: Stand) -> int:
    """Calls the stand-in answered with an HTTP error (the fault, as the app met it)."""
    return sum(1 for call in list(stand.calls) if call.status != 200)


def slowest(people: Iterable[Person]) -> str:
    waits = [d for p in people for _, d in p.delays]
    return f"next question p50 {pct(waits, 0.5):.2f} s, max {max(waits, default=0):.1f} s"


def b4(env: Env, args: argparse.Namespace) -> list[Row]:
    """40 interviews (half by buttons), kill -9 of the worker twice while they run."""
    stand = env.fresh()
    web = env.web(stand)
    try:
        crowd = Crowd(
            stand, web, think=0.5, patience=args.patience, deadline=time.monotonic() + 600
        )
        for n in range(40):
            crowd.add(f"U0B4P{n:02d}", "C0B4", buttons=n % 2 == 0)
        crowd.start_all()
        restarts: list[str] = []

        def killer() -> None:
            time.sleep(1.0)  # the interviews are under way
            for at in args.b4_kill_at:
                while crowd.acked < at and crowd.running:
                    time.sleep(0.02)
                if not crowd.running:
                    restarts.append("(not killed: all done)")
                    continue
                restarts.append(f"{kill_worker(web):.1f}")

        crowd.run_all(killer)
        stand.wait_quiet(2.0, 30)
        store = InterviewStore(env.client)
        people = crowd.people
        silent = sum(
            1
            for p in people
            if p.thread
            and not recommended(stand, p.thread)
            and (state := store.get_interview(ThreadKey(TEAM_ID, p.channel, p.thread)))
            and state.status == "completed"
        )
        found = duplicates(stand, crowd.threads())
        figure = (
            f"{sum(bool(p.thread and recommended(stand, p.thread)) for p in people)}/40 completed; "
            f"{sum(p.acked for p in people)} answers acked, "
            f"{sum(p.lost for p in people)} lost "
            f"(in {sum(p.lost > 0 for p in people)} interviews); "
            f"{silent} completed without a recommendation; "
            f"duplicates {dup_text(found)}; "
            f"{sum(p.refused for p in people)} requests refused and re-sent; "
            f"{slowest(people)}; new worker up after {', '.join(restarts)} s" + _errors(people)
        )
    finally:
        web.stop()
        stand.stop()
    setup = (
        f"40 interviews (20 buttons, 20 replies, think 0.5 s); kill -9 of the worker after "
        f"{' and '.join(map(str, args.b4_kill_at))} acked answers; patience {args.patience:.0f} s"
    )
    return [("B4", setup, figure, None)]


def _errors(people: list[Person]) -> str:
    errors = collections.Counter(p.error for p in people if p.error)
    return "".join(f"; {n} x {error}" for error, n in errors.items())


def _slack_fault_run(
    env: Env, fault: Callable[[Stand], None], label: str, args: argparse.Namespace
) -> str:
    """12 interviews (half by buttons, think 0.6 s); the fault 3 s after the answers start."""
    stand = env.fresh()
    web = env.web(stand)
    try:
        crowd = Crowd(
            stand, web, think=0.6, patience=args.patience, deadline=time.monotonic() + 300
        )
        for n in range(12):
            crowd.add(f"U0{label}P{n:02d}", "C0" + label, buttons=n % 2 == 0)
        crowd.start_all()

        def later() -> None:
            time.sleep(3.0)
            fault(stand)

        crowd.run_all(later)
        stand.wait_quiet(2.0, 30)
        people = crowd.people
        found = duplicates(stand, crowd.threads())
        stalled = [p for p in people if p.lost]
        return (
            f"{len(stalled)}/12 stuck (an acked answer with no next question in "
            f"{args.patience:.0f} s: {sum(p.buttons for p in stalled)} by buttons); "
            f"{sum(p.done for p in people)}/12 completed; duplicates {dup_text(found)}; "
            f"{sum(p.acked for p in people)} acked, {sum(p.refused for p in people)} refused; "
            f"{sorry(stand)} 'Sorry'; {slowest(people)}; "
            f"{slack_failures(stand)} Slack calls failed" + _errors(people)
        )
    finally:
        web.stop()
        stand.stop()


def b5(env: Env, args: argparse.Namespace) -> list[Row]:
    setup = "12 interviews (6 by buttons, think 0.6 s); from t=3 s, Slack answers {} for 8 s"
    failing = timed(lambda: _slack_fault_run(env, lambda s: s.fail_while(8.0, 500), "B5A", args))
    limited = timed(
        lambda: _slack_fault_run(env, lambda s: s.fail_while(8.0, 429, retry_after=2), "B5B", args)
    )
    return [
        ("B5", setup.format("500 to everything"), *failing),
        ("B5", setup.format("429 Retry-After 2 to everything"), *limited),
    ]


def b6(env: Env, args: argparse.Namespace) -> list[Row]:
    setup = (
        "12 interviews (6 by buttons, think 0.6 s); from t=3 s, the next 6 chat.postMessage "
        "are posted and answered 502"
    )

    def fault(stand: Stand) -> None:
        stand.fail_after_post("chat.postMessage", status=502, count=6)

    return [("B6", setup, _slack_fault_run(env, fault, "B6", args), None)]


def b7(env: Env, args: argparse.Namespace) -> list[Row]:
    rows: list[Row] = []
    for after in args.b7_after:
        setup = (
            "200 revisits due, 2 clocks (tick 5 s), Slack 30 ms a call; "
            f"kill -9 of one after {after} nudges"
        )
        rows.append(("B7", setup, *timed(functools.partial(_b7_round, env, after))))
    return rows


def _b7_round(env: Env, after: int) -> str:
    stand = env.fresh()
    stand.slow(0.03)
    ids = seed(env.client, 200, time.time() - 1)
    wanted = {(aid, target) for aid in ids for target in ("dm", "thread")}
    clocks = [
        ClockProcess(stand, env.url, env={"REVISIT_TICK_SECONDS": "5"}).start() for _ in range(2)
    ]
    try:
        stand.wait_for(lambda: sum(deliveries(stand).values()) >= after, timeout=120)
        clocks[0].kill()
        killed_at = time.monotonic()
        sent_at_kill = sum(deliveries(stand).values())
        with contextlib.suppress(TimeoutError):
            stand.wait_for(lambda: wanted <= set(deliveries(stand)), timeout=180)
        stand.wait_quiet(2.0, 30)
        counts = deliveries(stand)
        revisits = [
            c
            for c in stand.calls_to("chat.postMessage")
            if c.response.get("ok") and kind(c.args) == "ragft_revisit"
        ]
        last = max(c.at for c in revisits)
        lookups = len(stand.calls_to("conversations.history")) + len(
            stand.calls_to("conversations.replies")
        )
        return (
            f"{len(wanted - set(counts))} lost of 400; "
            f"{sum(counts.values()) - len(counts)} duplicate; "
            f"{sent_at_kill} sent at the kill, all sent {last - killed_at:.1f} s after it; "
            f"{lookups} look-ups"
        )
    finally:
        for clock in clocks:
            clock.stop()
        stand.stop()


def b8(env: Env, args: argparse.Namespace) -> list[Row]:
    """Every commit reaching Redis 12 s late (past the 10 s socket timeout)."""
    stand = env.fresh()
    proxy = DelayingProxy(env.socket_path, 12.0)
    web = env.web(stand, proxy.url)
    results = []
    try:
        crowd = Crowd(stand, web, think=0, patience=60, deadline=time.monotonic() + 300)
        replier = crowd.add("U0B8R", "C0B8", buttons=False)
        presser = crowd.add("U0B8B", "C0B8", buttons=True)
        crowd.start_all()
        for label, person in (("reply", replier), ("button", presser)):
            # the button person answers by reply up to the first button question
            while person.buttons and (
                asked(stand, person.thread)[-1]["metadata"]["event_payload"]["question_id"]
                not in BUTTONS
            ):
                seen = len(asked(stand, person.thread))
                crowd.answer(person, asked(stand, person.thread)[-1])
                crowd.effect(person, seen, time.monotonic() + 30)
            before = sorry(stand)
            seen = len(asked(stand, person.thread))
            proxy.arm(12.5)
            started = time.monotonic()
            crowd.answer(person, copy.deepcopy(asked(stand, person.thread)[-1]))
            following = crowd.effect(person, seen, time.monotonic() + 60)
            took = time.monotonic() - started
            results.append(
                f"{label}: next question "
                + (f"in {took:.1f} s" if following else "NOT in 60 s")
                + f", {sorry(stand) - before} Sorry"
            )
        before = sorry(stand)
        newcomer = crowd.add("U0B8A", "C0B8", buttons=False)
        proxy.arm(12.5)
        started = time.monotonic()
        ok = crowd.begin(newcomer)
        took = time.monotonic() - started
        results.append(
            "assess: first question "
            + (f"in {took:.1f} s" if ok else f"NOT in 60 s ({newcomer.error})")
            + f", {sorry(stand) - before} Sorry"
        )
        stand.wait_quiet(1.0, 30)
        results.append(f"duplicates {dup_text(duplicates(stand, crowd.threads()))}")
    finally:
        web.stop()
        stand.stop()
    setup = (
        "a TCP proxy holds every commit (EVALSHA commit.lua) 12 s (socket timeout 10 s); "
        "a reply, a button press, `/ragft assess`, one after another"
    )
    return [("B8", setup, "; ".join(results), None)]


def _post_unsigned(url: str, size: int, barrier: threading.Barrier) -> str:
    """POST `size` bytes, unsigned, reading the answer while the body still goes out."""
    parts = urlparse(url)
    sock = socket.create_connection((parts.hostname, parts.port), timeout=60)
    answer: list[bytes] = []

    def read() -> None:
        with contextlib.suppress(OSError):
            answer.append(sock.makefile("rb").readline())

    reader = threading.Thread(target=read, daemon=True)
    head = (
        f"POST {parts.path} HTTP/1.1\r\nHost: {parts.netloc}\r\nConnection: close\r\n"
        f"Content-Type: application/json\r\nContent-Length: {size}\r\n\r\n"
    ).encode()
    chunk = b"{" * (1 << 20)
    barrier.wait()
    try:
        sock.sendall(head)
    except OSError:
        sock.close()
        return "refused"
    reader.start()
    sent = 0
    with contextlib.suppress(OSError):  # the server may close before the body is out
        while sent < size and not answer:
            sock.sendall(chunk[: size - sent])
            sent += len(chunk)
    reader.join(60)
    sock.close()
    line = answer[0].decode(errors="replace").split() if answer and answer[0] else []
    return line[1] if len(line) > 1 else "no answer"


def b10(env: Env, args: argparse.Namespace) -> list[Row]:
    stand = env.fresh()
    web = env.web(stand)
    try:
        pids = [p.pid for p in workers(web)]
        before = sum(vm_rss(pid) for pid in pids)
        peak = before
        done = threading.Event()

        def sample() -> None:
            nonlocal peak
            while not done.is_set():
                peak = max(peak, sum(vm_rss(pid) for pid in pids))
                time.sleep(0.01)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        barrier = threading.Barrier(8)
        with ThreadPoolExecutor(8) as pool:
            statuses = list(
                pool.map(lambda _: _post_unsigned(web.sender.url, 100 * 2**20, barrier), range(8))
            )
        time.sleep(0.5)
        done.set()
        sampler.join()
        hwm = sum(vm_rss(pid, "VmHWM") for pid in pids)
        alive = all(psutil.pid_exists(pid) for pid in pids)
        figure = (
            f"statuses {dict(collections.Counter(statuses))}; worker RSS {before / 1024:.1f} MB "
            f"before, {peak / 1024:.1f} MB peak sampled (VmHWM {hwm / 1024:.1f} MB); "
            f"worker {'still up' if alive else 'GONE'}, /healthz {web.health()}"
        )
    finally:
        web.stop()
        stand.stop()
    return [("B10", "8 unsigned 100 MB JSON bodies at once to /slack/events", figure, None)]


def b11(env: Env, args: argparse.Namespace) -> list[Row]:
    outage = 20.0
    setup = (
        f"2 channels answered 429 Retry-After 8 for {outage:.0f} s; 10 other interviews in "
        "channels of their own (5 by buttons, think 0.5 s)"
    )
    rows: list[Row] = [("B11", setup, *timed(lambda: _b11_run(env, outage)))]
    if args.b11_control:
        control = "control: the same 12 interviews, no 429"
        rows.append(("B11", control, *timed(lambda: _b11_run(env, 0.0))))
    return rows


def _b11_run(env: Env, outage: float) -> str:
    stand = env.fresh()
    web = env.web(stand)
    slow_channels = {"C0B11SLOW0", "C0B11SLOW1"}
    try:
        crowd = Crowd(stand, web, think=0.5, patience=60, deadline=time.monotonic() + 300)
        slow = [
            crowd.add(f"U0B11S{n}", ch, buttons=False) for n, ch in enumerate(sorted(slow_channels))
        ]
        others = [crowd.add(f"U0B11O{n}", f"C0B11OTHER{n}", buttons=n % 2 == 0) for n in range(10)]
        crowd.start_all()
        if outage:
            stand.fail_while(outage, 429, retry_after=8, channels=slow_channels)
        began = time.monotonic()
        crowd.run_all()
        stand.wait_quiet(1.0, 30)
        window = outage or 20.0
        during = [d for p in others for at, d in p.delays if at < began + window]
        everything = [d for p in others for _, d in p.delays]
        slow_first = [p.delays[0][1] for p in slow if p.delays]
        return (
            f"other people's next question in the first {window:.0f} s: "
            f"p50 {pct(during, 0.5):.2f} s, max {max(during, default=0):.2f} s, "
            f"{sum(d > 5 for d in during)} of {len(during)} steps over 5 s, "
            f"{sum(d > 1 for d in during)} over 1 s (whole run: max "
            f"{max(everything, default=0):.2f} s); {sum(p.done for p in others)}/10 completed; "
            f"the 2 in those channels got their next question after "
            f"{', '.join(f'{d:.1f}' for d in slow_first)} s; "
            f"{sum(p.lost for p in crowd.people)} lost; {slack_failures(stand)} Slack calls "
            f"failed; recommendation to chart uploaded: {_chart_time(stand, crowd.threads())}"
        )
    finally:
        web.stop()
        stand.stop()


def _chart_time(stand: Stand, threads: list[str]) -> str:
    """Median and max seconds from a recommendation's post to its chart's upload (the
    listener thread that posts a recommendation also draws and uploads its chart)."""
    uploads = {
        str(c.args.get("thread_ts")): c.at for c in stand.calls_to("files.completeUploadExternal")
    }
    spans = [
        uploads[thread] - stand.posted_at[recommended(stand, thread)[0]["ts"]]
        for thread in threads
        if thread in uploads and recommended(stand, thread)
    ]
    return f"median {pct(spans, 0.5):.2f} s, max {max(spans, default=0):.2f} s"


SCENARIOS: dict[str, Callable[[Env, argparse.Namespace], list[Row]]] = {
    "b4": b4,
    "b5": b5,
    "b6": b6,
    "b7": b7,
    "b8": b8,
    "b10": b10,
    "b11": b11,
}


def _numbers(text: str) -> list[int]:
    return [int(part) for part in text.split(",") if part]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--only", default=",".join(SCENARIOS), help="comma-separated: " + ",".join(SCENARIOS)
    )
    parser.add_argument(
        "--patience",
        type=float,
        default=60.0,
        help="seconds a person waits for the next question before sending the answer again",
    )
    parser.add_argument("--b4-kill-at", type=_numbers, default=[150, 350], help="acked answers")
    parser.add_argument("--b7-after", type=_numbers, default=[150, 20, 300], help="nudges sent")
    parser.add_argument(
        "--no-b11-control",
        dest="b11_control",
        action="store_false",
        help="skip B11's control run (the same interviews without the 429s)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the logs and data directory")
    args = parser.parse_args(argv)
    chosen = [name.strip().lower() for name in args.only.split(",") if name.strip()]
    unknown = [name for name in chosen if name not in SCENARIOS]
    if unknown:
        parser.error(f"unknown scenario {', '.join(unknown)}; choose from {', '.join(SCENARIOS)}")
    workdir = Path(tempfile.mkdtemp(prefix="ragft-reliability-"))
    tempfile.tempdir = str(workdir)  # every log and data directory of the run goes here
    env = Env(workdir)
    rows: list[tuple[str, str, str, float]] = []
    try:
        for name in chosen:
            started = time.monotonic()
            try:
                found = SCENARIOS[name](env, args)
            except Exception as err:  # one broken scenario does not hide the others' figures
                found = [(name.upper(), "", f"FAILED: {type(err).__name__}: {err}", None)]
            took = time.monotonic() - started
            for scenario, setup, figure, seconds in found:
                rows.append((scenario, setup, figure, took if seconds is None else seconds))
                print(f"[{scenario} in {rows[-1][3]:.0f} s] {figure}", file=sys.stderr, flush=True)
    finally:
        env.close()
        if args.keep:
            print(f"logs and data: {workdir}", file=sys.stderr)
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    print(f"{'scenario':9}{'s':>5}  set-up / figure")
    for name, setup, figure, took in rows:
        print(f"{name:9}{took:5.0f}  {setup}")
        print(f"{'':14}-> {figure}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
