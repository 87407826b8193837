"""Connecting to Redis: the embedded server keeps data across restarts; a dead Redis is reported."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest
import redis

from conversations import InterviewStore, RevisitQueue, StoreUnavailable, ThreadKey, connect

from .helpers import NOW

THREAD = ThreadKey("T1", "C1", "1.1")


def test_embedded_redis_keeps_an_interview_across_restarts(tmp_path: Path) -> None:
    """With no URL an embedded server starts; after close and reconnect the interview resumes."""
    handle = connect(None, tmp_path / "data")
    pid = handle.server.pid
    assert handle.url.startswith("unix://")
    InterviewStore(handle.client, clock=lambda: NOW).start(THREAD, "U1", name="A")
    InterviewStore(handle.client, clock=lambda: NOW).apply(THREAD, text="billing")
    handle.close()
    assert not psutil.pid_exists(pid) or psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
    assert list((tmp_path / "data").glob("appendonly*"))
    again = connect(None, tmp_path / "data")
    try:
        state = InterviewStore(again.client).get_interview(THREAD)
        assert state is not None and state.current is not None
        assert state.current.question_id == "deployment"
    finally:
        again.close()


def test_a_child_process_continues_the_interview(redis_client: redis.Redis, redis_url: str) -> None:
    """Another process connecting by URL applies the next answer to the same interview."""
    store = InterviewStore(redis_client, clock=lambda: NOW)
    store.start(THREAD, "U1", name="A")
    code = (
        "import sys; from pathlib import Path;"
        "from conversations import connect, InterviewStore, ThreadKey;"
        "h = connect(sys.argv[1], Path('.'));"
        "o = InterviewStore(h.client).apply(ThreadKey('T1', 'C1', '1.1'), text='billing');"
        "print(o.state.current.question_id); h.close()"
    )
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[2])}
    out = subprocess.run(
        [sys.executable, "-c", code, redis_url], capture_output=True, text=True, env=env, check=True
    )
    assert out.stdout.strip() == "deployment"
    state = store.get_interview(THREAD)
    assert state is not None and state.answers.workloads[0]["workload_name"] == "billing"


def test_unreachable_url_is_a_clear_error(tmp_path: Path) -> None:
    """Connecting to a socket nobody listens on raises StoreUnavailable naming the URL."""
    with pytest.raises(StoreUnavailable, match=r"not reachable.*nothing\.sock"):
        connect(f"unix://{tmp_path}/nothing.sock", tmp_path)


def test_redis_going_away_mid_interview_loses_nothing(tmp_path: Path) -> None:
    """When the server stops, calls raise StoreUnavailable and the stored state is as before."""
    handle = connect(None, tmp_path)
    store = InterviewStore(handle.client, clock=lambda: NOW)
    store.start(THREAD, "U1", name="A")
    before = store.apply(THREAD, text="billing").state
    handle.close()
    for call in (
        lambda: store.apply(THREAD, text="prod", delivery_id="Ev1"),
        lambda: store.start(ThreadKey("T1", "C2", "2.1"), "U1"),
    ):
        with pytest.raises(StoreUnavailable, match="Nothing was saved"):
            call()
    again = connect(None, tmp_path)
    try:
        revived = InterviewStore(again.client, clock=lambda: NOW)
        assert revived.get_interview(THREAD) == before
        # The failed delivery was not marked, so its retry is applied now.
        retried = revived.apply(THREAD, text="prod", delivery_id="Ev1")
        assert retried.applied
    finally:
        again.close()


def test_embedded_data_is_private_to_the_user(tmp_path: Path) -> None:
    """Under a permissive umask the data directory is 0700 and every file in it 0600 (B14)."""
    data = tmp_path / "var"
    data.mkdir(mode=0o755)
    (data / "old.aof").write_text("x")
    (data / "old.aof").chmod(0o644)
    previous = os.umask(0o022)
    try:
        handle = connect(None, data)
        try:
            handle.client.set("k", "v")
            handle.client.bgrewriteaof()
            time.sleep(0.5)
        finally:
            handle.close()
    finally:
        os.umask(previous)
    assert stat.S_IMODE(data.stat().st_mode) == 0o700
    files = [p for p in data.rglob("*")]
    assert files
    for path in files:
        assert stat.S_IMODE(path.stat().st_mode) & 0o077 == 0, path


def test_the_revisit_queue_reports_a_dead_redis_like_the_store(tmp_path: Path) -> None:
    """RevisitQueue raises StoreUnavailable, not redis-py's own errors, when Redis is gone."""
    handle = connect(None, tmp_path)
    queue = RevisitQueue(handle.client)
    queue.schedule("T1", "a1", 100.0)
    handle.close()
    for call in (
        lambda: queue.schedule("T1", "a2", 100.0),
        lambda: queue.claim(200.0),
        lambda: queue.status("T1", "a1"),
        lambda: queue.snooze("T1", "a1", 300.0),
    ):
        with pytest.raises(StoreUnavailable):
            call()
