"""A Slack Web API stand-in on loopback, for the playground, tests and benchmarks.

It answers the methods the app uses, records every call for assertions, issues
increasing `ts` values, keeps the messages per channel, and can be told to fail
(`fail_next`, `fail_after_post`, `fail_while`). Point the app at it with
`SLACK_API_URL=standin.api_url`.
"""

from __future__ import annotations

import base64
import itertools
import json
import secrets
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

TEAM_ID = "T0PLAYGND"
BOT_USER_ID = "U0RAGFTBOT"
BOT_ID = "B0RAGFTBOT"
# Form-encoded calls carry these as JSON strings; they are decoded for the record.
_JSON_FIELDS = ("blocks", "attachments", "metadata", "view", "files", "unfurl")


class _Server(ThreadingHTTPServer):
    # Slack takes bursts; the stdlib's listen backlog of 5 would drop SYNs and add 1 s stalls.
    request_queue_size = 1024


@dataclass
class Call:
    """One request the app made: the API method, its arguments and its headers."""

    method: str
    args: dict[str, Any]
    headers: dict[str, str]
    team: str | None = None  # the workspace whose token made the call (OAuth tokens)
    status: int = 200
    response: dict[str, Any] = field(default_factory=dict)
    at: float = field(default_factory=time.monotonic)


@dataclass
class Token:
    """One token the stand-in issued (OAuth): whose it is, and until when it works."""

    team: str | None
    enterprise: str | None
    kind: str  # "bot", "refresh"
    expires_at: float | None = None
    revoked: bool = False
    org_wide: bool = False

    def usable(self) -> bool:
        return not self.revoked and (self.expires_at is None or time.time() < self.expires_at)


@dataclass
class Failure:
    status: int
    retry_after: int | None
    error: str | None
    after_post: bool = False  # do the work, then answer `status` all the same


@dataclass
class Outage:
    """Every matching call fails with `status` until `until` (time.monotonic())."""

    status: int
    until: float
    retry_after: int | None = None
    methods: frozenset[str] | None = None
    channels: frozenset[str] | None = None

    def matches(self, method: str, args: dict[str, Any]) -> bool:
        return (
            time.monotonic() < self.until
            and (self.methods is None or method in self.methods)
            and (self.channels is None or args.get("channel") in self.channels)
        )


class SlackStandIn:
    """The stand-in server. Use as a context manager, or `start()` / `stop()`."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
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
        self._failures: dict[str, list[Failure]] = {}
        # OAuth: the app's credentials, workspaces (team -> its enterprise), what belongs to
        # which workspace (channels, users), and every token issued.
        self.client_id = "1234.5678"
        self.client_secret = "fake-client-secret"
        self.redirect_url: str | None = None  # where /oauth/v2/authorize sends the browser
        self.token_expires_in: int | None = None  # set: rotating tokens with this lifetime
        self.teams: dict[str, str | None] = {}
        self.owners: dict[str, str] = {}  # channel or user id -> team
        self.tokens: dict[str, Token] = {}
        self._codes: dict[str, dict[str, Any]] = {}
        self._team: str | None = None
        self._outages: list[Outage] = []
        self._slow: tuple[float, frozenset[str] | None] = (0.0, None)
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
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> SlackStandIn:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # --- programming it ------------------------------------------------------------
    def fail_next(
        self, method: str, status: int = 429, retry_after: int | None = 1, error: str | None = None
    ) -> None:
        """Make the next call of `method` fail: HTTP `status` (429 with Retry-After), or with
        `error` set, a 200 answer `{"ok": false, "error": error}`."""
        with self._lock:
            self._failures.setdefault(method, []).append(Failure(status, retry_after, error))

    def fail_after_post(self, method: str, status: int = 502, count: int = 1) -> None:
        """Make the next `count` calls of `method` do their work (the message is posted) and
        then answer HTTP `status`, as Slack or a proxy does when the answer is lost."""
        with self._lock:
            for _ in range(count):
                self._failures.setdefault(method, []).append(
                    Failure(status, None, None, after_post=True)
                )

    def fail_while(
        self,
        seconds: float,
        status: int = 500,
        *,
        retry_after: int | None = None,
        methods: set[str] | None = None,
        channels: set[str] | None = None,
    ) -> None:
        """For the next `seconds`, answer HTTP `status` to every call (or to `methods`, or to
        calls for `channels`), with a Retry-After when given; nothing is done."""
        with self._lock:
            self._outages.append(
                Outage(
                    status,
                    time.monotonic() + seconds,
                    retry_after,
                    frozenset(methods) if methods else None,
                    frozenset(channels) if channels else None,
                )
            )

    def slow(self, seconds: float, methods: set[str] | None = None) -> None:
        """Answer every call (or every call of `methods`) `seconds` late; 0 to stop."""
        with self._lock:
            self._slow = (seconds, frozenset(methods) if methods else None)

    def delay_for(self, method: str) -> float:
        """How long to wait before answering `method` (see `slow`)."""
        seconds, methods = self._slow
        return seconds if methods is None or method in methods else 0.0

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

    def add_team(
        self,
        team: str,
        *,
        enterprise: str | None = None,
        channels: tuple[str, ...] = (),
        users: tuple[str, ...] = (),
    ) -> None:
        """A workspace (of `enterprise`, if given) owning these channels and users: a call that
        names one of them with another workspace's token is refused (`invalid_auth`)."""
        with self._lock:
            self.teams[team] = enterprise
            for owned in (*channels, *users):
                self.owners[owned] = team

    def authorize(
        self, state: str, *, team: str, user: str = "U0INSTALL", org_wide: bool = False
    ) -> str:
        """What Slack's /oauth/v2/authorize does once a person approves: a code, and the URL the
        browser is sent back to (`redirect_url` with `code` and `state`)."""
        with self._lock:
            code = secrets.token_hex(8)
            self._codes[code] = {"team": team, "user": user, "org_wide": org_wide}
            assert self.redirect_url, "set standin.redirect_url to the app's /slack/oauth_redirect"
            return f"{self.redirect_url}?{urlencode({'code': code, 'state': state})}"

    def expire_tokens(self, team: str) -> None:
        """Make every access token of the workspace expire now (Slack would refuse them)."""
        with self._lock:
            for token in self.tokens.values():
                if token.team == team and token.kind == "bot":
                    token.expires_at = time.time() - 1

    def live_tokens(self, team: str) -> list[str]:
        """The workspace's access tokens that still work."""
        with self._lock:
            return [
                t
                for t, info in self.tokens.items()
                if info.kind == "bot" and info.usable() and team in (info.team, None)
            ]

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
            queued = self._failures.get(method)
            outage = next((o for o in self._outages if o.matches(method, args)), None)
            if outage is not None:
                call.status = outage.status
                call.response = {
                    "ok": False,
                    "error": "ratelimited" if outage.status == 429 else "internal_error",
                }
                if outage.retry_after is not None:
                    call.headers["x-standin-retry-after"] = str(outage.retry_after)
            elif queued and queued[0].after_post:
                failure = queued.pop(0)
                self._answer(method, args)
                call.status = failure.status
                call.response = {"ok": False, "error": "internal_error"}
            elif queued:
                failure = queued.pop(0)
                if failure.error is not None:
                    call.response = {"ok": False, "error": failure.error}
                else:
                    call.status = failure.status
                    call.response = {
                        "ok": False,
                        "error": "ratelimited" if failure.status == 429 else "internal_error",
                    }
                    if failure.retry_after is not None:
                        call.headers["x-standin-retry-after"] = str(failure.retry_after)
            elif method == "oauth.v2.access":
                call.response = self._oauth_access(args, headers)
            elif not headers.get("authorization", "").startswith("Bearer xox"):
                call.response = {"ok": False, "error": "not_authed"}
            else:
                refused = self._refused(call)
                self._team = call.team
                call.response = refused or self._answer(method, args)
                bearer = headers.get("authorization", "").removeprefix("Bearer ")
                if method == "auth.revoke" and not refused and bearer in self.tokens:
                    self.tokens[bearer].revoked = True
            self.calls.append(call)
            self._lock.notify_all()
            return call

    def _refused(self, call: Call) -> dict[str, Any] | None:
        """`invalid_auth` for an expired, revoked or unknown OAuth token, or a call naming a
        channel or user of another workspace; None when the call may go on."""
        bearer = call.headers.get("authorization", "").removeprefix("Bearer ")
        info = self.tokens.get(bearer)
        if info is None:
            # Tokens of the single-workspace mode ("xoxb-fake-token") are the playground's;
            # an OAuth-looking one the stand-in never issued is refused.
            return {"ok": False, "error": "invalid_auth"} if bearer.startswith("xoxe") else None
        if info.kind != "bot" or not info.usable():
            return {"ok": False, "error": "invalid_auth"}
        call.team = info.team
        named = [call.args.get(k) for k in ("channel", "user", "users", "channel_id")]
        for value in named:
            owner = self.owners.get(str(value or "").split(",")[0])
            if owner is None:
                continue
            same_org = info.org_wide and self.teams.get(owner) == info.enterprise
            if owner != info.team and not same_org:
                return {"ok": False, "error": "invalid_auth"}
            call.team = owner
        return None

    def _issue(self, team: str | None, enterprise: str | None, org_wide: bool) -> dict[str, Any]:
        lifetime = self.token_expires_in
        access = ("xoxe.xoxb-" if lifetime else "xoxb-") + secrets.token_hex(12)
        self.tokens[access] = Token(
            team, enterprise, "bot", time.time() + lifetime if lifetime else None, org_wide=org_wide
        )
        issued: dict[str, Any] = {"access_token": access}
        if lifetime:
            refresh = "xoxe-1-" + secrets.token_hex(12)
            self.tokens[refresh] = Token(team, enterprise, "refresh", org_wide=org_wide)
            issued.update(refresh_token=refresh, expires_in=lifetime)
        return issued

    def _oauth_access(self, a: dict[str, Any], headers: dict[str, str]) -> dict[str, Any]:
        """oauth.v2.access: an authorization code, or a refresh token, for rotating tokens."""
        basic = headers.get("authorization", "").removeprefix("Basic ")
        try:
            client_id, _, secret = base64.b64decode(basic).decode().partition(":")
        except (ValueError, UnicodeDecodeError):
            client_id, secret = a.get("client_id", ""), a.get("client_secret", "")
        if (client_id, secret) != (self.client_id, self.client_secret):
            return {"ok": False, "error": "invalid_client_id"}
        if a.get("grant_type") == "refresh_token":
            old = self.tokens.get(str(a.get("refresh_token")))
            if old is None or old.kind != "refresh" or old.revoked:
                return {"ok": False, "error": "invalid_refresh_token"}
            old.revoked = True  # a refresh token is used once
            for token in self.tokens.values():  # the access tokens it replaces stop working
                if token.kind == "bot" and (token.team, token.enterprise) == (
                    old.team,
                    old.enterprise,
                ):
                    token.revoked = True
            team, enterprise, org_wide = old.team, old.enterprise, old.org_wide
            user = None
        else:
            grant = self._codes.pop(str(a.get("code")), None)
            if grant is None:
                return {"ok": False, "error": "invalid_code"}
            org_wide = bool(grant["org_wide"])
            enterprise = self.teams.get(grant["team"])
            team = None if org_wide else grant["team"]
            user = grant["user"]
            for token in self.tokens.values():  # a reinstall replaces the tokens
                if (token.team, token.enterprise) == (team, enterprise):
                    token.revoked = True
        issued = self._issue(team, enterprise, org_wide)
        return {
            "ok": True,
            "app_id": "A0RAGFT",
            "token_type": "bot",
            "scope": "commands,chat:write,users:read",
            "bot_user_id": BOT_USER_ID,
            "team": {"id": team, "name": f"Team {team}"} if team else None,
            "enterprise": {"id": enterprise, "name": f"Org {enterprise}"} if enterprise else None,
            "is_enterprise_install": org_wide,
            **({"authed_user": {"id": user}} if user else {}),
            **issued,
        }

    def _post(self, args: dict[str, Any]) -> dict[str, Any]:
        message: dict[str, Any] = {
            "type": "message",
            "channel": args.get("channel"),
            "text": args.get("text", ""),
            "ts": self.next_ts(),
            "user": BOT_USER_ID,
            "bot_id": BOT_ID,
            "team": TEAM_ID,
        }
        for key in ("thread_ts", "blocks", "metadata", "attachments"):
            if args.get(key) not in (None, ""):
                message[key] = args[key]
        self.messages.append(message)
        return message

    def _answer(self, method: str, a: dict[str, Any]) -> dict[str, Any]:
        team = self._team  # the calling token's workspace (OAuth), set under the lock
        if method == "auth.test":
            enterprise = self.teams.get(team or "") if team else None
            return {
                "ok": True,
                "url": "https://playground.slack.example/",
                "team": "Playground" if team is None else f"Team {team}",
                "user": "ragft",
                "team_id": team or TEAM_ID,
                "user_id": BOT_USER_ID,
                "bot_id": BOT_ID,
                "enterprise_id": enterprise,
                "is_enterprise_install": False,
            }
        if method == "auth.revoke":
            return {"ok": True, "revoked": True}
        if method == "team.info":
            wanted = str(a.get("team") or team or TEAM_ID)
            return {
                "ok": True,
                "team": {
                    "id": wanted,
                    "name": f"Team {wanted}",
                    "enterprise_id": self.teams.get(wanted),
                },
            }
        if method == "chat.postMessage":
            if not a.get("channel"):
                return {"ok": False, "error": "channel_not_found"}
            if not (a.get("text") or a.get("blocks")):
                return {"ok": False, "error": "no_text"}
            message = self._post(a)
            return {
                "ok": True,
                "channel": message["channel"],
                "ts": message["ts"],
                "message": message,
            }
        if method == "chat.update":
            for message in self.messages:
                if message["ts"] == a.get("ts") and message["channel"] == a.get("channel"):
                    for key in ("text", "blocks", "metadata", "attachments"):
                        if key in a:
                            message[key] = a[key]
                    message["edited"] = True
                    return {
                        "ok": True,
                        "channel": message["channel"],
                        "ts": message["ts"],
                        "text": message.get("text", ""),
                        "message": message,
                    }
            return {"ok": False, "error": "message_not_found"}
        if method == "chat.postEphemeral":
            ephemeral = {**a, "message_ts": self.next_ts()}
            self.ephemerals.append(ephemeral)
            return {"ok": True, "message_ts": ephemeral["message_ts"]}
        if method == "chat.getPermalink":
            ts = str(a.get("message_ts", "")).replace(".", "")
            return {
                "ok": True,
                "channel": a.get("channel"),
                "permalink": f"https://playground.slack.example/archives/{a.get('channel')}/p{ts}",
            }
        if method == "chat.delete":
            kept = [
                m
                for m in self.messages
                if not (m["ts"] == a.get("ts") and m["channel"] == a.get("channel"))
            ]
            if len(kept) == len(self.messages):
                return {"ok": False, "error": "message_not_found"}
            self.messages[:] = kept
            return {"ok": True, "channel": a.get("channel"), "ts": a.get("ts")}
        if method in ("conversations.replies", "conversations.history"):
            return self._read_conversation(method, a)
        if method == "conversations.open":
            users = str(a.get("users", "")).split(",")[0]
            if self.users.get(users, {}).get("deleted"):
                return {"ok": False, "error": "user_disabled"}
            return {"ok": True, "channel": {"id": "D" + users.lstrip("UW"), "is_im": True}}
        if method == "users.info":
            user = a.get("user", "")
            profile = self.users.get(user, {"tz": "UTC", "tz_offset": 0})
            return {
                "ok": True,
                "user": {
                    "id": user,
                    "team_id": TEAM_ID,
                    "name": user.lower(),
                    "real_name": f"User {user}",
                    **profile,
                },
            }
        if method == "views.publish":
            self.views[str(a.get("user_id"))] = a.get("view") or {}
            return {"ok": True, "view": {"id": f"V{next(self._ids):08d}", **(a.get("view") or {})}}
        if method == "files.getUploadURLExternal":
            file_id = f"F{next(self._ids):08d}"
            self.files[file_id] = {
                "id": file_id,
                "filename": a.get("filename"),
                "length": a.get("length"),
                "content": None,
            }
            return {"ok": True, "file_id": file_id, "upload_url": f"{self.url}upload/{file_id}"}
        if method == "files.completeUploadExternal":
            files = a.get("files") or []
            for f in files:
                record = self.files.setdefault(f["id"], {"id": f["id"], "content": None})
                record.update(
                    title=f.get("title"),
                    channel=a.get("channel_id"),
                    thread_ts=a.get("thread_ts"),
                    comment=a.get("initial_comment"),
                )
            return {"ok": True, "files": [{"id": f["id"], "title": f.get("title")} for f in files]}
        return {"ok": False, "error": "unknown_method"}

    def _read_conversation(self, method: str, a: dict[str, Any]) -> dict[str, Any]:
        """A thread (`conversations.replies`, oldest first) or a channel's top-level messages
        (`conversations.history`, newest first); metadata only with `include_all_metadata`."""
        channel = a.get("channel")
        if method == "conversations.replies":
            ts = a.get("ts")
            found = [
                m
                for m in self.messages
                if m["channel"] == channel and ts in (m["ts"], m.get("thread_ts"))
            ]
        else:
            found = [
                m
                for m in reversed(self.messages)
                if m["channel"] == channel and m.get("thread_ts") in (None, m["ts"])
            ]
        with_metadata = str(a.get("include_all_metadata", "")).lower() in ("1", "true")
        shown = [
            m if with_metadata else {k: v for k, v in m.items() if k != "metadata"} for m in found
        ]
        return {"ok": True, "messages": shown, "has_more": False, "response_metadata": {}}

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
            method = url.path.removeprefix("/api/")
            delay = standin.delay_for(method)
            if delay:
                time.sleep(delay)
            call = standin.handle(method, args, headers)
            extra = {}
            if "x-standin-retry-after" in call.headers:
                extra["Retry-After"] = call.headers.pop("x-standin-retry-after")
            self._reply(call.status, call.response, extra)

    return Handler
