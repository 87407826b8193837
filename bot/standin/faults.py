"""The stand-in's fault injection: calls that fail, outages, and a slow Slack."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.standin.calls import Call

__all__ = ["Failure", "Faults", "Outage"]


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


class Faults:
    """What a test or benchmark tells the stand-in to get wrong (mixed into `SlackStandIn`)."""

    _lock: threading.Condition

    def _init_faults(self) -> None:
        self._failures: dict[str, list[Failure]] = {}
        self._outages: list[Outage] = []
        self._slow: tuple[float, frozenset[str] | None] = (0.0, None)
        self._slow_next: dict[str, list[float]] = {}

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

    def slow_next(self, method: str, seconds: float, count: int = 1) -> None:
        """Do the next `count` calls of `method` only after `seconds`, then answer: a call
        Slack completes after the client has given up on it."""
        with self._lock:
            self._slow_next.setdefault(method, []).extend([seconds] * count)

    def delay_for(self, method: str) -> float:
        """How long to wait before answering `method` (see `slow` and `slow_next`)."""
        with self._lock:
            queued = self._slow_next.get(method)
            if queued:
                return queued.pop(0)
        seconds, methods = self._slow
        return seconds if methods is None or method in methods else 0.0

    def _injected(self, call: Call) -> bool:
        """Apply an outage or the next programmed failure of `call.method` to `call`; False
        when none applies and the call is to be answered."""
        method, args = call.method, call.args
        queued = self._failures.get(method)
        outage = next((o for o in self._outages if o.matches(method, args)), None)
        if outage is not None:
            _fail(call, outage.status, outage.retry_after)
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
                _fail(call, failure.status, failure.retry_after)
        else:
            return False
        return True

    def _answer(self, method: str, a: dict[str, Any]) -> dict[str, Any]:
        raise NotImplementedError  # the stand-in's own answer (server.py)


def _fail(call: Call, status: int, retry_after: int | None) -> None:
    call.status = status
    call.response = {"ok": False, "error": "ratelimited" if status == 429 else "internal_error"}
    if retry_after is not None:
        call.headers["x-standin-retry-after"] = str(retry_after)
