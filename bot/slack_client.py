"""The Slack Web API client every process uses, with its retry policy.

A call that may have been carried out although its answer was lost (a 5xx after Slack
did the work, a reset connection, a timeout) is retried here only for methods that can
run twice without harm. `chat.postMessage` and the like are not: their callers look for
the message by its metadata before sending again (`bot.interview.find_in_thread`, the
revisit sender). The web process does not sleep through a 429 either: the failure goes
back to the inbox with the Retry-After as its not-before time (`bot.inbox`), so that no
listener thread waits while other people's work is ready.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.error import URLError

from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.http_retry.handler import RetryHandler
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState

if TYPE_CHECKING:
    from bot.settings import Settings

__all__ = ["NOT_IDEMPOTENT", "AnyServerErrorRetryHandler", "build_client"]

# Methods that do something again when called again: never retried on an unclear outcome.
NOT_IDEMPOTENT = frozenset(
    {
        "chat.postMessage",
        "chat.postEphemeral",
        "chat.scheduleMessage",
        "chat.meMessage",
        "files.upload",
        "files.completeUploadExternal",
    }
)


def method_of(request: HttpRequest) -> str:
    """The Web API method a request calls (the last part of its URL's path)."""
    return request.url.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1]


class AnyServerErrorRetryHandler(ServerErrorRetryHandler):
    """slack-sdk's handler retries only 500 and 503; a 502 or 504 (a proxy's) is as passing.
    Methods in NOT_IDEMPOTENT are not retried: the 5xx may have come after the work."""

    def _can_retry(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        if method_of(request) in NOT_IDEMPOTENT:
            return False
        return response is not None and 500 <= response.status_code <= 599


class SafeConnectionErrorRetryHandler(ConnectionErrorRetryHandler):
    """Connection errors are retried, except for NOT_IDEMPOTENT methods once the request may
    have reached Slack (only a refused connection is certain not to have)."""

    def _can_retry(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        if method_of(request) in NOT_IDEMPOTENT:
            return isinstance(error, URLError) and isinstance(error.reason, ConnectionRefusedError)
        return super()._can_retry(state=state, request=request, response=response, error=error)


def build_client(settings: Settings, *, wait_on_rate_limit: bool = True) -> WebClient:
    """A WebClient on SLACK_API_URL: 5xx and resets retried with backoff where that is safe;
    429s waited out (Retry-After) unless `wait_on_rate_limit` is False (the web process)."""
    handlers: list[RetryHandler] = [
        AnyServerErrorRetryHandler(max_retry_count=2),
        SafeConnectionErrorRetryHandler(max_retry_count=2),
    ]
    if wait_on_rate_limit:
        handlers.insert(0, RateLimitErrorRetryHandler(max_retry_count=3))
    return WebClient(
        token=settings.slack_bot_token,
        base_url=settings.slack_api_url,
        timeout=settings.slack_api_timeout,
        retry_handlers=handlers,
    )
