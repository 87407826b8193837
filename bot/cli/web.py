"""`ragft web`: serve the Slack app over HTTP with gunicorn, or over Socket Mode with
SLACK_APP_TOKEN set."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

from slack_bolt.adapter.socket_mode import SocketModeHandler

from bot import bootstrap
from bot.app import create_app, create_worker_app
from bot.cli._redis import connect_redis
from bot.inbox import InboxWorkers
from bot.log import configure_logging, get_logger
from bot.server import Served, serve
from bot.settings import Settings
from bot.slack_client import build_client
from conversations.storage.connection import ping_once

if TYPE_CHECKING:
    from bot.revisits.scheduler import RevisitConfig

log = get_logger(__name__)
DEFAULT_FACTORY = "bot.cli.web:make_served"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="0.0.0.0", help="address to listen on (default 0.0.0.0)")
    parser.add_argument(
        "--with-ticker", action="store_true", help="also send due revisit nudges from this process"
    )
    parser.add_argument("--factory", default=DEFAULT_FACTORY, help=argparse.SUPPRESS)


def make_served(
    settings: Settings, *, with_ticker: bool = False, revisit_config: RevisitConfig | None = None
) -> Served:
    """The real app for one worker: Redis, services, the Bolt app, and optionally the ticker."""
    handle = connect_redis(settings)
    # A 429 is not slept through on a listener thread: the request waits in the inbox.
    client = build_client(settings, wait_on_rate_limit=False)
    services = bootstrap.build(
        settings, handle.client, client=client, revisit_config=revisit_config
    )
    # Acknowledged requests are kept in Redis until their work is done (bot/inbox.py).
    workers = InboxWorkers.on(
        handle.client,
        create_worker_app(settings, services),
        settings.web_listener_threads,
        claim_after=settings.inbox_claim_after,
    )
    # Over HTTP the gate keeps requests in the inbox before Bolt; over Socket Mode, Bolt does.
    socket_inbox = workers.inbox if settings.socket_mode else None
    served = Served(
        create_app(settings, services, inbox=socket_inbox),
        handle.url,
        [handle.close, workers.start().stop],
        ping=lambda: ping_once(handle.client),  # cluster and sentinel too
        inbox=workers.inbox,
        owed=services.store.given_up.count,
    )
    if with_ticker:
        served.closers.append(services.ticker.start().shutdown)
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
        serve(
            worker_settings,
            lambda: factory(worker_settings, with_ticker=args.with_ticker),
            args.host,
        )
    finally:
        handle.close()
    return 0


def run_socket_mode(
    settings: Settings, factory: Callable[..., Served], *, with_ticker: bool
) -> int:
    """Receive events over Socket Mode (no public URL needed)."""
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
