"""`ragft web`: serve the Slack app over HTTP with gunicorn, or over Socket Mode with
SLACK_APP_TOKEN set."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from typing import Literal, cast

import redis
from slack_bolt.adapter.socket_mode import SocketModeHandler

from bot import bootstrap
from bot.app import create_app
from bot.bootstrap import connect_redis
from bot.log import configure_logging, get_logger
from bot.revisits.watch import SENT_BY, RevisitWatch
from bot.server import Served, serve
from bot.settings import Settings
from bot.slack_client import build_client
from conversations.errors import StoreUnavailable
from conversations.storage.connection import ping_once
from conversations.storage.revisits import RevisitQueue

log = get_logger(__name__)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="0.0.0.0", help="address to listen on (default 0.0.0.0)")
    parser.add_argument(
        "--clock",
        choices=("inline", "separate"),
        help="inline (the default, or RAGFT_CLOCK): this process sends the due revisit nudges; "
        "separate: a `ragft clock` process does, and this one warns while none ticks",
    )
    # Before the ticker was the default: kept so old command lines still start.
    parser.add_argument("--with-ticker", action="store_true", help=argparse.SUPPRESS)


def make_served(settings: Settings, *, with_ticker: bool = False) -> Served:
    """The real app for one worker: Redis, services, the Bolt app, and optionally the ticker."""
    handle = connect_redis(settings)
    # A 429 is waited out (Retry-After) by the lazy listener's thread; other work goes on.
    client = build_client(settings)
    services = bootstrap.build(settings, handle.client, client=client)
    served = Served(
        create_app(settings, services),
        handle.url,
        [handle.close],
        ping=lambda: ping_once(handle.client),  # cluster and sentinel too
        owed=services.store.given_up.count,
    )
    # The sweeper runs in every web process (what its requests owe Slack); the nudges only
    # with the ticker.
    served.closers.append(services.ticker.start(revisits=with_ticker).shutdown)
    watch = RevisitWatch(
        services.revisits,
        mode="inline" if with_ticker else "separate",
        tick_seconds=settings.revisit_tick_seconds,
    ).start()
    served.revisits = watch.status
    served.closers.append(watch.shutdown)
    return served


def clock_mode(settings: Settings, args: argparse.Namespace) -> Literal["inline", "separate"]:
    """Who sends the nudges: --clock, else --with-ticker, else RAGFT_CLOCK (default inline)."""
    if getattr(args, "clock", None):
        return cast(Literal["inline", "separate"], args.clock)
    return "inline" if getattr(args, "with_ticker", False) else settings.clock


def log_revisits(settings: Settings, client: redis.Redis, mode: str) -> None:
    """Say at start-up who sends the yearly nudges and when a clock last ticked."""
    try:
        last = RevisitQueue(client).last_tick()
    except (redis.RedisError, StoreUnavailable):
        last = None
    log.info(
        "revisits_sent_by",
        sent_by=SENT_BY[mode],
        every_seconds=settings.revisit_tick_seconds,
        last_tick=datetime.fromtimestamp(last, UTC).isoformat() if last else "never",
    )


def run(args: argparse.Namespace) -> int:
    settings = Settings.from_env()
    configure_logging(settings.log_format)
    with_ticker = clock_mode(settings, args) == "inline"
    if settings.socket_mode:
        return run_socket_mode(settings, with_ticker=with_ticker)
    if not ((settings.slack_bot_token and settings.slack_signing_secret) or settings.oauth_mode):
        print(
            "ragft web: set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET (or SLACK_APP_TOKEN for "
            "Socket Mode; or SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and SLACK_SIGNING_SECRET to "
            "serve several workspaces), or try `ragft playground`",
            file=sys.stderr,
        )
        return 2
    # Started here, before the workers fork, so that an embedded Redis is shared by all of them
    # and stopped when the server stops.
    handle = connect_redis(settings)
    try:
        worker_settings = settings.model_copy(update={"redis_url": handle.url})
        log.info(
            "web_starting",
            port=settings.port,
            workers=settings.web_concurrency,
            threads=settings.web_threads,
        )
        log_revisits(settings, handle.client, "inline" if with_ticker else "separate")
        serve(
            worker_settings,
            lambda: make_served(worker_settings, with_ticker=with_ticker),
            args.host,
        )
    finally:
        handle.close()
    return 0


def run_socket_mode(settings: Settings, *, with_ticker: bool) -> int:
    """Receive events over Socket Mode (no public URL needed)."""
    served = make_served(settings, with_ticker=with_ticker)
    log.info("socket_mode_starting")
    if served.revisits is not None:
        log.info("revisits_sent_by", **served.revisits())
    try:
        SocketModeHandler(served.bolt, settings.slack_app_token).start()  # type: ignore[no-untyped-call]
    except KeyboardInterrupt:
        pass
    finally:
        for close in reversed(served.closers):
            close()
    return 0
