"""Reliability against the real processes: kill -9 of the worker, Slack failing, Redis stalling.

Each test is one break of the reliability review (2026-11-30); none mocks Redis or the
Slack client: `ragft web` runs as a process, Slack is the stand-in, Redis a real server.
"""

from __future__ import annotations

import contextlib
import copy
import hashlib
import socket
import threading
import time
from importlib import resources
from typing import Any

import pytest

from bot.standin.server import SlackStandIn
from bot.standin.signing import SignedSender
from tests.e2e.harness import WebProcess, press
from tests.e2e.test_interview import (
    CHANNEL,
    OWNER,
    REPLIES,
    _button_index,
    next_step,
    questions,
    reply,
    start,
    thread_messages,
)

pytestmark = pytest.mark.slow

# The shortest interview: a research workload is out of scope, so it ends after three answers.
SHORT = {"workload_name": "billing answers", "deployment": "research", "another_workload": "no"}
SLOW_POSTS = {"chat.postMessage", "chat.update"}


def open_question_id(standin: SlackStandIn, thread: str) -> str:
    return str(questions(standin, thread)[-1]["metadata"]["event_payload"]["question_id"])


def answer_open(
    sender: SignedSender, standin: SlackStandIn, thread: str, user: str = OWNER
) -> None:
    qid = open_question_id(standin, thread)
    reply(sender, standin, thread, SHORT.get(qid, REPLIES.get(qid, "no")), user=user)


def recommendations(standin: SlackStandIn, thread: str) -> list[dict[str, Any]]:
    return [
        m
        for m in thread_messages(standin, thread)
        if (m.get("metadata") or {}).get("event_type") == "ragft_recommendation"
    ]


def test_kill_9_of_the_worker_loses_no_acknowledged_answer(
    start_web: Any, standin: SlackStandIn
) -> None:
    """B4: answers acknowledged just before a kill -9 of the worker are all applied after the
    restart, and an interview completed at the kill gets its recommendation, once."""
    web = start_web(env={"DELIVERY_LEASE_SECONDS": "3"})  # the dead worker's lease lapses sooner
    threads = [start(web.sender, standin, user=f"U0K{n}") for n in range(6)]
    finisher = threads[0]
    # Bring the first interview to its last question.
    while open_question_id(standin, finisher) != "another_workload":
        seen = len(questions(standin, finisher))
        answer_open(web.sender, standin, finisher, user="U0K0")
        assert next_step(standin, finisher, seen) is not None
    seen = {thread: len(questions(standin, thread)) for thread in threads}
    standin.slow(1.0, SLOW_POSTS)  # the work queues up behind a slow Slack
    for n, thread in enumerate(threads):
        response = web.sender.message(
            "no" if thread == finisher else SHORT["workload_name"],
            channel=CHANNEL,
            user=f"U0K{n}",
            thread_ts=thread,
            ts=standin.next_ts(),
        )
        assert response.status == 200  # acknowledged
    web.kill()  # kill -9 with (nearly) all of that work still to do
    standin.slow(0)
    web.start()
    # Each answer was committed before its ack; once the dead worker's lease lapses (3 s
    # here), the new worker's sweeper delivers what it owed.
    for thread in threads[1:]:
        standin.wait_for(lambda t=thread: len(questions(standin, t)) > seen[t], timeout=60)
    standin.wait_for(lambda: recommendations(standin, finisher), timeout=60)
    standin.wait_quiet(1.0)
    assert len(recommendations(standin, finisher)) == 1
    for thread in threads[1:]:  # each answer applied once: one new question each
        assert len(questions(standin, thread)) == seen[thread] + 1


def to_buttons(
    sender: SignedSender, standin: SlackStandIn, user: str
) -> tuple[str, dict[str, Any]]:
    """An interview of `user` at its first button question (deployment)."""
    thread = start(sender, standin, user=user)
    reply(sender, standin, thread, SHORT["workload_name"], user=user)
    question = next_step(standin, thread, 1)
    assert question is not None
    return thread, copy.deepcopy(question)  # as the person sees it, before any redraw


def test_a_slack_outage_after_the_commit_stalls_no_interview(
    web: WebProcess, standin: SlackStandIn
) -> None:
    """B5: Slack answers 500 to everything for 6 s while three people press a button. Each
    answer is saved, and once Slack is back each gets the next question, once. A press on
    the question already answered gets a private note pointing at the open one."""
    people = [f"U0OUT{n}" for n in range(3)]
    started = [to_buttons(web.sender, standin, user) for user in people]
    standin.fail_while(6.0, 500)
    for user, (_thread, question) in zip(people, started, strict=True):
        assert press(web.sender, question, _button_index(question, "production"), user_id=user)
    for _thread, _question in started:
        standin.wait_for(lambda t=_thread: len(questions(standin, t)) == 3, timeout=30)
    standin.wait_quiet(1.0)
    assert [len(questions(standin, thread)) for thread, _ in started] == [3, 3, 3]
    _, old = started[0]
    before = len(standin.ephemerals)
    assert press(web.sender, old, _button_index(old, "research"), user_id=people[0])
    note = standin.wait_for(lambda: standin.ephemerals[before:])[0]
    assert note["user"] == people[0] and "/p" in note["text"]  # a link to the open question


def test_a_post_that_slack_did_but_answered_502_is_not_posted_again(
    web: WebProcess, standin: SlackStandIn
) -> None:
    """B6: six answers whose next question Slack posted but answered 502: no duplicate
    message, and every interview goes on."""
    threads = [start(web.sender, standin, user=f"U0DUP{n}") for n in range(6)]
    standin.fail_after_post("chat.postMessage", status=502, count=6)
    for n, thread in enumerate(threads):
        reply(web.sender, standin, thread, SHORT["workload_name"], user=f"U0DUP{n}")
    for thread in threads:
        standin.wait_for(lambda t=thread: len(questions(standin, t)) == 2, timeout=30)
    standin.wait_quiet(1.5)
    assert [len(questions(standin, t)) for t in threads] == [2] * 6
    # The re-found question is the one a reply answers: the interview goes on.
    reply(web.sender, standin, threads[0], "production", user="U0DUP0")
    standin.wait_for(lambda: len(questions(standin, threads[0])) == 3, timeout=15)


class DelayingProxy:
    """A TCP proxy to a Redis unix socket that holds every commit (EVALSHA of commit.lua)
    for `delay` seconds while armed, as a stalled network does: a command whose client has
    given up (timed out, closed) still reaches Redis late, and runs."""

    def __init__(self, socket_path: str, delay: float) -> None:
        self.socket_path = socket_path
        self.delay = delay
        self.armed_until = 0.0
        lua = resources.files("conversations.storage").joinpath("commit.lua").read_bytes()
        self.sha = hashlib.sha1(lua).hexdigest().encode()
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def arm(self, seconds: float) -> None:
        self.armed_until = time.monotonic() + seconds

    def _accept(self) -> None:
        while True:
            client, _ = self.server.accept()
            upstream = socket.socket(socket.AF_UNIX)
            upstream.connect(self.socket_path)
            threading.Thread(target=self._pipe, args=(client, upstream, True), daemon=True).start()
            threading.Thread(target=self._pipe, args=(upstream, client, False), daemon=True).start()

    def _pipe(self, source: socket.socket, target: socket.socket, to_redis: bool) -> None:
        try:
            while chunk := source.recv(65536):
                if to_redis and self.sha in chunk and time.monotonic() < self.armed_until:
                    time.sleep(self.delay)
                target.sendall(chunk)
        except OSError:
            pass
        finally:
            with contextlib.suppress(OSError):
                target.shutdown(socket.SHUT_WR)


def test_a_redis_write_stall_longer_than_the_client_timeout_still_asks_the_next_question(
    start_web: Any, standin: SlackStandIn, redis_server: Any
) -> None:
    """B8: every commit reaches Redis late (3 s, longer than the socket timeout, set to 2 s here
    as 12 s against the default 10 s: the client sends it again and both run). The store
    recognises its own first write: the person who typed `/ragft assess` gets the first
    question, and one who answered gets the next one; no "Sorry", nothing to retype."""
    proxy = DelayingProxy(redis_server.socket_file, 3.0)
    web = start_web(redis_url=proxy.url, env={"REDIS_SOCKET_TIMEOUT": "2"})
    thread = start(web.sender, standin)
    proxy.arm(3.5)
    reply(web.sender, standin, thread, SHORT["workload_name"])
    standin.wait_for(lambda: len(questions(standin, thread)) == 2, timeout=60)
    proxy.arm(3.5)
    before = {m["ts"] for m in standin.bot_messages(CHANNEL)}
    assert web.sender.command("assess stalled", user_id="U0STALL", channel_id=CHANNEL).status == 200
    root = standin.wait_for(
        lambda: next(
            (
                m
                for m in standin.bot_messages(CHANNEL)
                if m["ts"] not in before and not m.get("thread_ts")
            ),
            None,
        )
    )
    standin.wait_for(lambda: questions(standin, root["ts"]), timeout=60)
    standin.wait_quiet(1.0)
    assert len(questions(standin, thread)) == 2 and len(questions(standin, root["ts"])) == 1
    assert not standin.responses  # no "Sorry, something went wrong"


def test_two_rate_limited_channels_do_not_delay_other_people(
    web: WebProcess, standin: SlackStandIn
) -> None:
    """B11: two channels answered 429 (Retry-After 4, for 8 s) hold no listener thread: ten
    other interviews get their next question while those two are still rate-limited."""
    slow = [
        start(web.sender, standin, user=f"U0RL{n}") for n in range(2)
    ]  # in CHANNEL; the other ten in channels of their own
    others = []
    for n in range(10):
        others.append(_start_in(web.sender, standin, f"C0OTHER{n}", f"U0OT{n}"))
    standin.fail_while(8.0, 429, retry_after=4, channels={CHANNEL})
    for n, thread in enumerate(slow):
        reply(web.sender, standin, thread, SHORT["workload_name"], user=f"U0RL{n}")
    time.sleep(0.3)  # both rate-limited requests are being worked on
    for n, (channel, thread) in enumerate(others):
        response = web.sender.message(
            SHORT["workload_name"],
            channel=channel,
            user=f"U0OT{n}",
            thread_ts=thread,
            ts=standin.next_ts(),
        )
        assert response.status == 200
        standin.wait_for(lambda c=channel, t=thread: _asked(standin, c, t) == 2, timeout=15)
    # Every other person has their question while the two channels still get nothing but 429s
    assert [len(questions(standin, t)) for t in slow] == [1, 1]
    for thread in slow:  # and the rate-limited ones get theirs after the Retry-After
        standin.wait_for(lambda t=thread: len(questions(standin, t)) == 2, timeout=30)


def _asked(standin: SlackStandIn, channel: str, thread: str) -> int:
    return sum(
        1
        for m in standin.bot_messages(channel)
        if m.get("thread_ts") == thread
        and (m.get("metadata") or {}).get("event_type") == "ragft_question"
    )


def _start_in(
    sender: SignedSender, standin: SlackStandIn, channel: str, user: str
) -> tuple[str, str]:
    assert sender.command("assess other", user_id=user, channel_id=channel).status == 200
    root = standin.wait_for(
        lambda: next((m for m in standin.bot_messages(channel) if not m.get("thread_ts")), None)
    )
    standin.wait_for(lambda: _asked(standin, channel, root["ts"]) == 1)
    return channel, str(root["ts"])


def test_a_command_while_slack_fails_the_token_check_is_told_and_works_again(
    start_web: Any, standin: SlackStandIn
) -> None:
    """Slack answers 500 to auth.test for 4 s when a fresh worker takes its first request:
    Bolt cannot check the token and stops before the listeners; the person is told to try
    again (not to reinstall the app), nothing starts, and the same command works once Slack
    is back."""
    web = start_web()
    standin.fail_while(4.0, 500, methods={"auth.test"})
    first = web.sender.command("assess Token check", user_id=OWNER, channel_id=CHANNEL)
    assert first.status == 200 and "try again" in first.body
    assert not standin.bot_messages(CHANNEL)
    time.sleep(4.0)
    assert web.sender.command("assess Token check", user_id=OWNER, channel_id=CHANNEL).status == 200
    root = standin.wait_for(
        lambda: [m for m in standin.bot_messages(CHANNEL) if not m.get("thread_ts")], timeout=30
    )[0]
    standin.wait_for(lambda: questions(standin, root["ts"]), timeout=10)
    assert len(standin.calls_to("auth.test")) > 1  # it failed first, then went through
    assert not [r for r in standin.responses if "install" in str(r)]
