"""The workers that do the work of acknowledged requests, read from the durable inbox.

The gate (`bot.request_gate.keep`) adds each request to the inbox
(`conversations.storage.inbox`) before Slack gets its 200. Here `WEB_LISTENER_THREADS`
threads per worker process read the requests and run them through the listeners, with
Bolt's authorization; a request leaves the inbox only when its work is done. When
Slack fails after the state was saved (a 5xx, a timeout) or answers 429, the request goes
back with a not-before time (Retry-After, or a backoff) instead of a thread sleeping: the
listeners then see an already-applied input and deliver the effects still owed. A worker
killed mid-work stops renewing its heartbeat; another worker hands its requests out again.
"""

from __future__ import annotations

import contextlib
import contextvars
import os
import socket
import threading
import time
import urllib.error
import uuid
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from slack_bolt.request import BoltRequest
from slack_bolt.response import BoltResponse
from slack_sdk.errors import SlackApiError

from bot.log import get_logger
from bot.oauth import AuthorizeFailed
from bot.request_gate import Refused, parsed_request
from bot.views import text as t
from conversations.storage.inbox import Inbox, InboxItem

if TYPE_CHECKING:
    import redis
    from slack_bolt import App

log = get_logger(__name__)
CONTEXT_KEY = "ragft_inbox"
MAX_ATTEMPTS = 12  # about 6 minutes of backoff, more with long Retry-After answers
BACKOFF_CAP = 60.0
TICK = 0.25  # how often due retries come back, and the longest a retry is late
HEARTBEAT_EVERY = 3.0


_RUNNING_FROM_INBOX: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "ragft_running_from_inbox", default=False
)


class Deferred(Exception):
    """The work cannot be done yet (another attempt is delivering its effects): later."""

    def __init__(self, delay: float) -> None:
        super().__init__(f"deferred for {delay:.1f}s")
        self.delay = delay


_ATTEMPT: contextvars.ContextVar[int] = contextvars.ContextVar("ragft_inbox_attempt", default=1)


def current_attempt() -> int:
    """Which attempt at its request the running work is (1 outside the inbox)."""
    return _ATTEMPT.get()


def defer(delay: float) -> None:
    """Hand the current request back to the inbox for `delay` seconds, when it came from
    there; without an inbox (in-process tests, Redis away) there is nothing to wait for."""
    if _RUNNING_FROM_INBOX.get():
        raise Deferred(delay)


def consumer_name() -> str:
    """Unique per worker process start: a restarted worker never owns a dead one's requests."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


def retry_backoff(attempt: int) -> float:
    """0.5 s, 1 s, 2 s, ... up to BACKOFF_CAP."""
    return min(BACKOFF_CAP, 0.5 * float(2 ** max(0, attempt - 1)))


def retry_delay(error: BaseException, attempt: int) -> float | None:
    """How long to wait before doing the work again, or None when retrying cannot help."""
    backoff = retry_backoff(attempt)
    if isinstance(error, Deferred):
        return max(0.1, error.delay)
    if isinstance(error, AuthorizeFailed):
        return backoff
    if isinstance(error, SlackApiError):
        status = int(getattr(error.response, "status_code", 200))
        if status == 429:
            headers: dict[str, Any] = getattr(error.response, "headers", {}) or {}
            raw: Any = headers.get("retry-after") or headers.get("Retry-After") or "1"
            try:
                return max(1.0, float(str(raw[0] if isinstance(raw, list) else raw)))
            except ValueError:
                return backoff
        return backoff if status >= 500 else None
    if isinstance(error, urllib.error.URLError | TimeoutError | ConnectionError):
        return backoff
    return None


class InboxWorkers:
    """The threads that run inbox requests through `app` (listeners run in the calling thread)."""

    def __init__(
        self,
        inbox: Inbox,
        app: App,
        threads: int,
        *,
        initializer: Any = None,
    ) -> None:
        self.inbox = inbox
        self.app = app
        self.threads = threads
        self._held: set[str] = set()
        self._held_lock = threading.Lock()
        self.initializer = initializer
        self._stop = threading.Event()
        self._running: list[threading.Thread] = []

    @classmethod
    def on(
        cls,
        client: redis.Redis,
        app: App,
        threads: int,
        *,
        claim_after: float = 15.0,
        **kwargs: Any,
    ) -> InboxWorkers:
        """Workers on `client`'s inbox; a dead worker's requests move on after `claim_after` s."""
        inbox = Inbox(client, consumer_name(), alive_ms=int(claim_after * 1000))
        return cls(inbox, app, threads, **kwargs)

    def start(self) -> InboxWorkers:
        self.inbox.ensure_group()
        self.inbox.heartbeat()
        for n in range(self.threads):
            thread = threading.Thread(target=self._work, name=f"ragft-listener-{n}", daemon=True)
            thread.start()
            self._running.append(thread)
        janitor = threading.Thread(target=self._janitor, name="ragft-inbox-janitor", daemon=True)
        janitor.start()
        self._running.append(janitor)
        log.info("inbox_started", consumer=self.inbox.consumer, threads=self.threads)
        return self

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        deadline = time.monotonic() + timeout
        for thread in self._running:
            thread.join(max(0.0, deadline - time.monotonic()))

    def _work(self) -> None:
        if self.initializer is not None:
            self.initializer()
        # The finished requests are forgotten with the next read.
        done: list[str] = []
        while not self._stop.is_set():
            try:
                # one request at a time: none waits behind another's Slack calls
                got = self.inbox.exchange(1, 1000, done=done, on_refused=_refused)
            except Exception as exc:  # Redis away: wait and try again (nothing dropped)
                log.warning("inbox_read_failed", error=type(exc).__name__)
                self._stop.wait(1.0)
                continue
            self._forget_held(set(done) - set(got.unacked))
            done = list(got.unacked)  # again with the next trip
            self._hold(item.id for item in got.items)
            for item in got.items:
                if self.handle(item):
                    done.append(item.id)
                else:
                    self._forget_held({item.id})  # back in the inbox, or left to reclaim
        with contextlib.suppress(Exception):  # stopping; else reclaimed, and found applied
            self.inbox.finish(done)

    def _hold(self, ids: Iterable[str]) -> None:
        with self._held_lock:
            self._held.update(ids)

    def _forget_held(self, ids: set[str]) -> None:
        with self._held_lock:
            self._held.difference_update(ids)

    def held(self) -> set[str]:
        """The requests this process claimed and has not finished with."""
        with self._held_lock:
            return set(self._held)

    def _janitor(self) -> None:
        last_beat = 0.0
        while not self._stop.wait(TICK):
            try:
                self.inbox.promote_due()
                beat_every = min(HEARTBEAT_EVERY, self.inbox.alive_ms / 4000)
                if time.monotonic() - last_beat >= beat_every:
                    self.inbox.heartbeat()
                    last_beat = time.monotonic()
                    moved = self.inbox.reclaim(held=self.held)
                    if moved:
                        log.warning("inbox_reclaimed", requests=moved)
            except Exception as exc:  # Redis away: try again next tick
                log.warning("inbox_janitor_failed", error=type(exc).__name__)

    def handle(self, item: InboxItem) -> bool:
        """Run one request's work. True: done, for the caller to forget (`Inbox.read`'s
        `done`); False: already back in the inbox for later, or left to be reclaimed."""
        outcome: dict[str, Any] = {"attempt": item.attempt, "last": item.attempt >= MAX_ATTEMPTS}
        try:
            request = _request(item, outcome)
        except Refused:
            log.warning("inbox_request_unreadable", entry=item.id)
            return True
        token = _RUNNING_FROM_INBOX.set(True)
        attempt = _ATTEMPT.set(item.attempt)
        try:
            response = self.app.dispatch(request)
            if not_authorized(response):  # auth.test failed (Slack away): try again later
                outcome.setdefault("retry", retry_backoff(item.attempt))
        except Exception as exc:  # Bolt hands listener errors to the error handler
            log.exception("inbox_dispatch_failed", error_type=type(exc).__name__)
        finally:
            _RUNNING_FROM_INBOX.reset(token)
            _ATTEMPT.reset(attempt)
        delay = outcome.get("retry")
        if delay is None or outcome["last"]:
            return True
        try:
            self.inbox.later(item, delay)
            log.info("work_deferred", attempt=item.attempt, delay=round(delay, 2))
        except Exception as exc:  # Redis away: the request stays claimed and is reclaimed later
            log.warning("inbox_update_failed", error=type(exc).__name__)
        return False


def not_authorized(response: BoltResponse) -> bool:
    """Whether Bolt stopped before the listeners because it could not check the token
    (its answer then is the worker app's `user_facing_authorize_error_message`)."""
    return response.status == 401 or response.body == t.ERROR_AUTHORIZE


def _refused(error: Exception) -> None:
    log.warning("inbox_write_refused", error=str(error))


def _request(item: InboxItem, outcome: dict[str, Any]) -> BoltRequest:
    headers = {"content-type": item.content_type} if item.content_type else {}
    request = parsed_request(item.body, headers)
    request.context[CONTEXT_KEY] = outcome
    return request
