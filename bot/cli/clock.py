"""`ragft clock`: send due revisit nudges. Run as many as you like; each nudge goes out once."""

from __future__ import annotations

import argparse
import signal
import sys
from types import FrameType

from bot import bootstrap
from bot.bootstrap import connect_redis
from bot.log import configure_logging, get_logger
from bot.settings import Settings
from conversations.errors import StoreUnavailable

log = get_logger(__name__)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--once", action="store_true", help="send what is due now, then exit (for cron-style use)"
    )


def run(args: argparse.Namespace) -> int:
    settings = Settings.from_env()
    configure_logging(settings.log_format)
    if not settings.redis_url:
        print(
            "ragft clock: set REDIS_URL to the Redis the app uses. Without one the app keeps its "
            "own embedded Redis, and `ragft run` (or `ragft web`) sends the nudges.",
            file=sys.stderr,
        )
        return 2
    if not (settings.slack_bot_token or settings.oauth_mode):
        print(
            "ragft clock: set SLACK_BOT_TOKEN (or SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and "
            "SLACK_SIGNING_SECRET) so the nudges can be sent.",
            file=sys.stderr,
        )
        return 2

    try:
        handle = connect_redis(settings)
    except StoreUnavailable as err:
        print(f"ragft clock: {err}", file=sys.stderr)
        return 1
    try:
        ticker = bootstrap.build(settings, handle.client).ticker
        if args.once:
            ticker.tick()
            return 0

        def stop(signum: int, _frame: FrameType | None) -> None:
            log.info("revisit_clock_stopping", signal=signal.Signals(signum).name)
            ticker.shutdown()

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        ticker.run_forever()
    finally:
        handle.close()
    return 0
