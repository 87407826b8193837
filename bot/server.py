"""The production HTTP server: Bolt behind gunicorn's threaded workers.

`POST /slack/events` takes slash commands, events and interactivity; in OAuth mode
`GET /slack/install` and `GET /slack/oauth_redirect` run Bolt's install flow; `GET /healthz`
answers 200 once Redis answers PING, 503 otherwise, and says who sends the revisit nudges and
when a clock last ticked. The gate (`bot.request_gate`) limits the body's size, checks
the signature and parses the body once; Bolt acks (an interview step is committed before
that) and its lazy listeners do the Slack work afterwards, so a server thread is held only
for the ack; `WEB_THREADS` threads per worker keep many slow requests acknowledged.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import redis
from gunicorn.app.base import BaseApplication
from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler

from bot.log import get_logger
from bot.request_gate import SlackGate

if TYPE_CHECKING:
    from wsgiref.types import StartResponse, WSGIApplication, WSGIEnvironment

    from bot.settings import Settings

log = get_logger(__name__)
EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"


@dataclass
class Served:
    """What one worker serves: the Bolt app, a Redis health probe, what to close on exit."""

    bolt: App
    redis_url: str
    closers: list[Callable[[], None]] = field(default_factory=list)
    # The health probe; unset: PING the standalone Redis at `redis_url`.
    ping: Callable[[], bool] | None = None
    # Who sends the revisit nudges and when a clock last ticked (`RevisitWatch.status`).
    revisits: Callable[[], dict[str, Any]] | None = None
    # How many deliveries were given up and wait for the clock (`ragft owed`), for /healthz.
    owed: Callable[[], int] | None = None


def redis_ping(url: str) -> Callable[[], bool]:
    """A probe that answers whether Redis at `url` replies to PING within a second."""
    client = redis.Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1)

    def ping() -> bool:
        try:
            return bool(client.ping())
        except (redis.RedisError, OSError):
            return False

    return ping


def build_wsgi(
    bolt: App,
    signing_secret: str,
    ping: Callable[[], bool],
    revisits: Callable[[], dict[str, Any]] | None = None,
    owed: Callable[[], int] | None = None,
) -> WSGIApplication:
    """The WSGI app: Slack requests through the gate to Bolt, `/healthz` to the Redis probe."""
    slack = SlackGate(bolt, signing_secret)
    # OAuth mode: Bolt's own flow answers GET /slack/install and GET /slack/oauth_redirect.
    flow = bolt.oauth_flow
    oauth_paths = {flow.install_path, flow.redirect_uri_path} if flow is not None else set()
    oauth = SlackRequestHandler(bolt)

    def wsgi(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if path == HEALTH_PATH and environ.get("REQUEST_METHOD") in ("GET", "HEAD"):
            healthy = ping()
            health: dict[str, Any] = {"ok": healthy, "redis": "up" if healthy else "down"}
            if healthy and owed is not None:
                with contextlib.suppress(Exception):  # the count is extra; the ping decides
                    health["owed"] = owed()  # deliveries given up (`ragft owed`)
            if healthy and revisits is not None:  # without Redis there is no heartbeat to read
                health["revisits"] = revisits()
            body = json.dumps(health).encode()
            status = "200 OK" if healthy else "503 Service Unavailable"
            if not healthy:
                log.warning("healthz_redis_down")
            start_response(
                status, [("Content-Type", "application/json"), ("Content-Length", str(len(body)))]
            )
            return [body]
        if path in oauth_paths and environ.get("REQUEST_METHOD") == "GET":
            return oauth(environ, start_response)
        if path == EVENTS_PATH and environ.get("REQUEST_METHOD") == "POST":
            return slack(environ, start_response)
        body = b"Not Found"
        start_response(
            "404 Not Found", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))]
        )
        return [body]

    return wsgi


def gunicorn_options(settings: Settings, host: str = "0.0.0.0") -> dict[str, Any]:
    """gunicorn's configuration, from the settings."""
    return {
        "bind": f"{host}:{settings.port}",
        "workers": settings.web_concurrency,
        "worker_class": "gthread",
        "threads": settings.web_threads,
        "worker_connections": max(1000, settings.web_threads * 4),
        "backlog": 2048,
        "timeout": 30,
        "graceful_timeout": 10,
        "keepalive": 5,
        "accesslog": None,
        "errorlog": "-",
        "loglevel": "warning",
        # each worker builds its own app: Bolt's thread pool does not survive fork
        "preload_app": False,
        "proc_name": "ragft-web",
    }


class WebServer(BaseApplication):  # type: ignore[misc]  # gunicorn ships no type hints
    """gunicorn with our options; `factory` runs in each worker and returns what it serves."""

    def __init__(self, settings: Settings, factory: Callable[[], Served], host: str = "0.0.0.0"):
        self.options = gunicorn_options(settings, host)
        self.settings = settings
        self.factory = factory
        self.served: Served | None = None
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)
        self.cfg.set("worker_exit", _worker_exit(self))

    def load(self) -> WSGIApplication:
        self.served = self.factory()
        log.info("web_worker_ready")
        signing_secret = self.settings.slack_signing_secret or ""
        ping = self.served.ping or redis_ping(self.served.redis_url)
        return build_wsgi(
            self.served.bolt,
            signing_secret,
            ping,
            revisits=self.served.revisits,
            owed=self.served.owed,
        )


def _worker_exit(server: WebServer) -> Callable[[Any, Any], None]:
    def worker_exit(_arbiter: Any, _worker: Any) -> None:
        for close in reversed(server.served.closers if server.served else []):
            try:
                close()
            except Exception:  # shutting down: log and keep closing the rest
                log.exception("worker_close_failed")

    return worker_exit


def serve(settings: Settings, factory: Callable[[], Served], host: str = "0.0.0.0") -> None:
    """Run gunicorn in this process until it is told to stop (SIGTERM / SIGINT)."""
    WebServer(settings, factory, host).run()
