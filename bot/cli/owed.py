"""`ragft owed`: the deliveries given up after Slack refused them to the last attempt.

Each is a saved step whose messages (the next question, a recommendation) have not reached
its thread yet; the clock keeps trying them, and its author has been told. One line each,
oldest first; `--json` for one JSON object per line. Exit status 0 when none are owed, 1
when some are, 2 without REDIS_URL.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict
from datetime import UTC, datetime

from bot.bootstrap import connect_redis
from bot.settings import Settings
from conversations.errors import StoreUnavailable
from conversations.storage.owed import GivenUp


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="one JSON object per line")


def run(args: argparse.Namespace) -> int:
    settings = Settings.from_env()
    if not settings.redis_url:
        print("ragft owed: set REDIS_URL to the Redis the app uses.", file=sys.stderr)
        return 2
    try:
        handle = connect_redis(settings)
    except StoreUnavailable as err:
        print(f"ragft owed: {err}", file=sys.stderr)
        return 1
    try:
        marks = GivenUp(handle.client).marks()
    finally:
        handle.close()
    for mark in marks:
        if args.json:
            print(json.dumps(asdict(mark)))
            continue
        since = datetime.fromtimestamp(mark.given_up_at, UTC).strftime("%Y-%m-%d %H:%M UTC")
        print(
            f"{since}  team {mark.team}  channel {mark.channel}  thread {mark.thread_ts}  "
            f"person {mark.user or '?'}  ({mark.error}; clock tries since: {mark.attempts})"
        )
    if not args.json:
        print(f"{len(marks)} deliveries owed" if marks else "nothing owed")
    return 1 if marks else 0
