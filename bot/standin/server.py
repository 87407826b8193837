"""A Slack Web API stand-in on loopback, for the playground, tests and benchmarks.

It answers the methods the app uses (`ANSWERS`, one answer per method: most in
`web_api.py`), records every call for assertions, issues increasing `ts` values, keeps the
messages per channel, and can be told to fail (`fail_next`, `fail_after_post`,
`fail_while`: `faults.py`). In OAuth mode it issues and checks tokens per workspace
(`oauth.py`). Point the app at it with `SLACK_API_URL=standin.api_url`. `latency` makes
every Web API call take that long, as Slack answers a server in a cloud region (about
80 ms); 0 answers at once.
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from bot.standin.calls import Call
from bot.standin.canvases import CANVAS_ANSWERS, CanvasSide
from bot.standin.faults import Faults
from bot.standin.functions import TOKEN_PREFIX, FunctionSide
from bot.standin.oauth import BOT_USER_ID, OAuthSide
from bot.standin.socket_mode import SocketModeSide
from bot.standin.web_api import BOT_ID, TEAM_ID, WEB_API_ANSWERS, WebApiSide

__all__ = ["ANSWERS", "BOT_ID", "BOT_USER_ID", "TEAM_ID", "SlackStandIn"]

# Form-encoded calls carry these as JSON strings; they are decoded for the record.
_JSON_FIELDS = ("blocks", "attachments", "metadata", "view", "files", "unfurl")


class _Server(ThreadingHTTPServer):
    # Slack takes bursts; the stdlib's listen backlog of 5 would drop SYNs and add 1 s stalls.
    request_queue_size = 1024


class SlackStandIn(WebApiSide, Faults, OAuthSide, CanvasSide, FunctionSide):
    """The stand-in server. Use as a context manager, or `start()` / `stop()`."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0, *, latency: float = 0.0) -> None:
        self.latency = latency  # seconds before each Web API call is answered
        self._lock = threading.Condition()
        self._ts = itertools.count(1)
        self._ids = itertools.count(1)
        self._base = int(time.time())
        self.calls: list[Call] = []
        self.messages: list[dict[str, Any]] = []  # every posted message, in ts order
        self.ephemerals: list[dict[str, Any]] = []
        self.responses: list[dict[str, Any]] = []  # bodies POSTed to response_url
        self.views: dict[str, dict[str, Any]] = {}
        self.files: dict[str, dict[str, Any]] = {}
        self.users: dict[str, dict[str, Any]] = {}
        self._team: str | None = None
        self._init_faults()
        self._init_oauth()
        self._init_canvases()
        self._init_functions()
        self.sockets = SocketModeSide(host)  # Socket Mode: `apps.connections.open`
        self._server = _Server((host, port), _handler_for(self))
        self._server.daemon_threads = True
        self._thread: threading.Thread | None = None

    # --- lifecycle ---------------------------------------------------------------
    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        host = host.decode() if isinstance(host, bytes) else host
        return f"http://{host}:{port}/"

    @property
    def api_url(self) -> str:
        """The value for SLACK_API_URL."""
        return self.url + "api/"

    def start(self) -> SlackStandIn:
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self.sockets.stop()
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> SlackStandIn:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # --- programming it ------------------------------------------------------------
    def set_user(self, user_id: str, *, tz: str = "UTC", tz_offset: int = 0, **extra: Any) -> None:
        """Give `users.info` a user with this time zone."""
        with self._lock:
            self.users[user_id] = {"tz": tz, "tz_offset": tz_offset, **extra}

    def next_ts(self) -> str:
        """A fresh ts, later than every ts issued before (for messages people type)."""
        return f"{self._base + next(self._ts)}.{next(self._ids):06d}"

    def add_user_message(
        self, channel: str, text: str, user: str, thread_ts: str | None = None
    ) -> dict[str, Any]:
        """Record a message a person typed (the playground does this before sending the event)."""
        with self._lock:
            message = {
                "type": "message",
                "channel": channel,
                "user": user,
                "text": text,
                "ts": self.next_ts(),
                "team": TEAM_ID,
            }
            if thread_ts:
                message["thread_ts"] = thread_ts
            self.messages.append(message)
            self._lock.notify_all()
            return message

    # --- assertions ----------------------------------------------------------------
    def calls_to(self, method: str) -> list[Call]:
        with self._lock:
            return [c for c in self.calls if c.method == method]

    def wait_for(self, predicate: Callable[[], Any], timeout: float = 10.0) -> Any:
        """Wait until `predicate()` is truthy (re-checked on every call); return its value."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while True:
                value = predicate()
                if value:
                    return value
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError(f"stand-in: condition not met in {timeout}s")
                self._lock.wait(min(remaining, 0.2))

    def wait_for_call(
        self,
        method: str,
        where: Callable[[Call], bool] = lambda _: True,
        timeout: float = 10.0,
        after: int = 0,
    ) -> Call:
        """The first call of `method` (index >= `after` in `calls`) that satisfies `where`."""
        found: Call = self.wait_for(
            lambda: next((c for c in self.calls[after:] if c.method == method and where(c)), None),
            timeout,
        )
        return found

    def bot_messages(self, channel: str | None = None) -> list[dict[str, Any]]:
        with self._lock:
            return [m for m in self.messages if m.get("bot_id") and channel in (None, m["channel"])]

    def wait_quiet(self, quiet: float = 0.4, timeout: float = 10.0) -> int:
        """Wait until no call has arrived for `quiet` seconds; returns the number of calls."""
        deadline = time.monotonic() + timeout
        with self._lock:
            count = len(self.calls)
            while time.monotonic() < deadline:
                self._lock.wait(quiet)
                if len(self.calls) == count:
                    return count
                count = len(self.calls)
            return count

    @contextmanager
    def watching(self) -> Iterator[Callable[[], list[Call]]]:
        """Yield a function that returns the calls made since the block started."""
        start = len(self.calls)
        yield lambda: self.calls[start:]

    # --- the API -------------------------------------------------------------------
    def handle(self, method: str, args: dict[str, Any], headers: dict[str, str]) -> Call:
        with self._lock:
            call = Call(method, args, headers)
            if not self._injected(call):
                call.response = self._authorized_answer(call)
            self.calls.append(call)
            self._lock.notify_all()
            return call

    def _authorized_answer(self, call: Call) -> dict[str, Any]:
        """The answer to a call no fault took: OAuth's token exchange, or, for a token the
        stand-in accepts, the method's answer."""
        if call.method == "oauth.v2.access":
            return self._oauth_access(call.args, call.headers)
        if call.method == "apps.connections.open":  # the app-level token's one method
            return self.sockets.open(call.headers)
        bearer = call.headers.get("authorization", "")
        if call.method.startswith("functions.complete"):  # the execution's own token
            return self._function_answer(call.method, call.args, bearer.removeprefix("Bearer "))
        if not bearer.startswith(("Bearer xox", f"Bearer {TOKEN_PREFIX}")):
            return {"ok": False, "error": "not_authed"}
        refused = self._refused(call)
        if refused is not None:
            return refused
        self._team = call.team
        answer = self._answer(call.method, call.args)
        token = self.tokens.get(bearer.removeprefix("Bearer "))
        if call.method == "auth.revoke" and token is not None:
            token.revoked = True
        return answer

    def _answer(self, method: str, a: dict[str, Any]) -> dict[str, Any]:
        answer = ANSWERS.get(method)
        return {"ok": False, "error": "unknown_method"} if answer is None else answer(self, a)

    def upload(self, file_id: str, content: bytes) -> bool:
        with self._lock:
            if file_id not in self.files:
                return False
            self.files[file_id]["content"] = content
            self._lock.notify_all()
            return True

    def respond(self, body: dict[str, Any]) -> None:
        with self._lock:
            self.responses.append(body)
            self._lock.notify_all()


# The Web API methods the stand-in answers (a token it accepts, no fault injected); any other
# is `unknown_method`. OAuth's token exchange, Socket Mode's `apps.connections.open` and the
# `functions.complete*` calls (each with a token of its own) are answered before the token check.
ANSWERS: dict[str, Callable[[SlackStandIn, dict[str, Any]], dict[str, Any]]] = {
    **WEB_API_ANSWERS,
    **CANVAS_ANSWERS,
}


def _decode(body: bytes, content_type: str, query: str) -> dict[str, Any]:
    args: dict[str, Any] = dict(parse_qsl(query))
    if "application/json" in content_type:
        args.update(json.loads(body or b"{}"))
    else:
        args.update(parse_qsl(body.decode()))
    for key in _JSON_FIELDS:
        if isinstance(args.get(key), str) and args[key][:1] in "[{":
            args[key] = json.loads(args[key])
    return args


def _handler_for(standin: SlackStandIn) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            pass  # tests assert on `calls`, not on a request log

        def _reply(self, status: int, body: dict[str, Any], headers: dict[str, str]) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            for k, v in headers.items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            self.do_POST()

        def do_POST(self) -> None:
            url = urlsplit(self.path)
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            if url.path.startswith("/upload/"):
                ok = standin.upload(url.path.rsplit("/", 1)[-1], body)
                self._reply(200 if ok else 404, {"ok": ok}, {})
                return
            if url.path.startswith("/response/"):
                standin.respond(json.loads(body or b"{}"))
                self._reply(200, {"ok": True}, {})
                return
            if url.path == "/oauth/v2/authorize":  # the person approves at once
                query = dict(parse_qsl(url.query))
                location = standin.authorize(
                    query.get("state", ""),
                    team=query.get("team", TEAM_ID),
                    user=query.get("user", "U0INSTALL"),
                    org_wide=query.get("org") == "1",
                )
                self.send_response(302)
                self.send_header("Location", location)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            if not url.path.startswith("/api/"):
                self._reply(404, {"ok": False, "error": "not_found"}, {})
                return
            try:
                args = _decode(body, self.headers.get("Content-Type", ""), url.query)
            except (ValueError, UnicodeDecodeError):
                self._reply(200, {"ok": False, "error": "invalid_json"}, {})
                return
            headers = {k.lower(): v for k, v in self.headers.items()}
            # which connection the call came on (a test sees whether connections are reused)
            headers["x-peer-port"] = str(self.client_address[1])
            method = url.path.removeprefix("/api/")
            delay = standin.latency + standin.delay_for(method)
            if delay:
                time.sleep(delay)
            call = standin.handle(method, args, headers)
            extra = {}
            if "x-standin-retry-after" in call.headers:
                extra["Retry-After"] = call.headers.pop("x-standin-retry-after")
            self._reply(call.status, call.response, extra)

    return Handler
