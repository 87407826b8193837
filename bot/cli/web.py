"""`ragft web`: serve the Slack app over HTTP with gunicorn, or over Socket Mode with
SLACK_APP_TOKEN set."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from bot.log import configure_logging, get_logger
from bot.server import Served, serve
from bot.settings import Settings

if TYPE_CHECKING:
    from bot.services import Services
    from conversations.storage.connection import RedisHandle

log = get_logger(__name__)
DEFAULT_FACTORY = "bot.cli.web:make_served"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="0.0.0.0", help="address to listen on (default 0.0.0.0)")
    parser.add_argument("--with-ticker", action="store_true",
                        help="also send due revisit nudges from this process")
    parser.add_argument("--factory", default=DEFAULT_FACTORY, help=argparse.SUPPRESS)


def build_services(settings: Settings, handle: RedisHandle) -> Services:
    """The listeners' dependencies on one Redis connection."""
    from bot.services import Services
    from conversations.storage.interviews import InterviewStore

    ttl = settings.interview_ttl
    if not isinstance(ttl, timedelta):  # P1M and the like: measured from now
        ttl = ttl.totimedelta(start=datetime.now(UTC))
    store = InterviewStore(handle.client, interview_ttl=ttl, revisit_after=settings.revisit_after)
    return Services(store=store, redis=handle.client)


def make_served(settings: Settings, *, with_ticker: bool = False) -> Served:
    """The real app for one worker: Redis, services, the Bolt app, and optionally the ticker."""
    from bot.app import create_app
    from conversations.storage.connection import connect

    handle = connect(settings.redis_url, settings.data_dir)
    services = build_services(settings, handle)
    served = Served(create_app(settings, services), handle.url, [handle.close])
    if with_ticker:
        from bot.revisits.ticker import RevisitTicker

        ticker = RevisitTicker(settings, services).start()
        served.closers.append(ticker.shutdown)
    return served


def load_factory(path: str) -> Callable[..., Served]:
    module, _, name = path.partition(":")
    factory: Callable[..., Served] = getattr(importlib.import_module(module), name)
    return factory


def run(args: argparse.Namespace) -> int:
    settings = Settings.from_env()
    configure_logging(settings.log_format)
    factory = load_factory(args.factory)
    if settings.socket_mode:
        return run_socket_mode(settings, factory, with_ticker=args.with_ticker)
    if not (settings.slack_bot_token and settings.slack_signing_secret):
        print("ragft web: set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET (or SLACK_APP_TOKEN for "
              "Socket Mode), or try `ragft playground`", file=sys.stderr)
        return 2
    from conversations.storage.connection import connect

    # Started here, before the workers fork, so that an embedded Redis is shared by all of them
    # and stopped when the server stops.
    handle = connect(settings.redis_url, settings.data_dir)
    try:
        worker_settings = settings.model_copy(update={"redis_url": handle.url})
        log.info("web_starting", port=settings.port, workers=settings.web_concurrency,
                 threads=settings.web_threads)
        serve(worker_settings, lambda: factory(worker_settings, with_ticker=args.with_ticker),
              args.host)
    finally:
        handle.close()
    return 0


def run_socket_mode(
    settings: Settings, factory: Callable[..., Served], *, with_ticker: bool
) -> int:
    """Receive events over Socket Mode (no public URL needed)."""
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    served = factory(settings, with_ticker=with_ticker)
    log.info("socket_mode_starting")
    try:
        SocketModeHandler(served.bolt, settings.slack_app_token).start()  # type: ignore[no-untyped-call]
    except KeyboardInterrupt:
        pass
    finally:
        for close in reversed(served.closers):
            close()
    return 0
