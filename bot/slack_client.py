"""The Slack Web API client every process uses: warm connections and its retry policy.

Calls go over a pool of kept-alive connections (urllib3), so a call does not pay for a new
connection (and, to Slack, a new TLS handshake) each time. A call whose answer was lost
(a 5xx, a reset connection, a timeout) is retried here only for the methods in
`SAFE_TO_REPEAT`, an allow-list: a method missing from it is never repeated blindly.
Posts and uploads are not in it: their callers look for the message by its metadata before
sending again (`bot.interview.find_in_thread`, the revisit sender). A 429 is waited out
(Retry-After, up to three times): Slack did not carry the call out, so it is safe to send
again; in the web process only the lazy listener's thread waits, and a step still refused
is left to the sweeper (`bot.owed`).
"""

from __future__ import annotations

import http.client
import io
from typing import TYPE_CHECKING, Any
from urllib.error import HTTPError, URLError
from urllib.request import Request

import urllib3
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
from urllib3.exceptions import (
    NewConnectionError,
    ProtocolError,
    ReadTimeoutError,
)
from urllib3.exceptions import (
    TimeoutError as PoolTimeout,
)

if TYPE_CHECKING:
    from bot.settings import Settings

__all__ = ["SAFE_TO_REPEAT", "AnyServerErrorRetryHandler", "PooledWebClient", "build_client"]

# Methods that change nothing, or nothing more, when called again with the same arguments:
# the only ones repeated after an unclear outcome. Anything else (a post, an ephemeral, an
# upload, a canvas, a code exchange) is never sent twice by the client.
SAFE_TO_REPEAT = frozenset(
    {
        "auth.test",
        "team.info",
        "users.info",
        "conversations.open",
        "conversations.info",
        "conversations.replies",
        "conversations.history",
        "chat.getPermalink",
        "chat.update",
        "views.publish",
        "apps.connections.open",
    }
)
# Connections kept per Slack host: enough for every thread that delivers at once.
POOL_SIZE = 64


def method_of(request: HttpRequest) -> str:
    """The Web API method a request calls (the last part of its URL's path)."""
    return request.url.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1]


class AnyServerErrorRetryHandler(ServerErrorRetryHandler):
    """slack-sdk's handler retries only 500 and 503; a 502 or 504 (a proxy's) is as passing.
    Only methods in SAFE_TO_REPEAT are retried: the 5xx may have come after the work."""

    def _can_retry(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        if method_of(request) not in SAFE_TO_REPEAT:
            return False
        return response is not None and 500 <= response.status_code <= 599


class SafeConnectionErrorRetryHandler(ConnectionErrorRetryHandler):
    """Connection errors are retried for SAFE_TO_REPEAT methods; any other only when the
    connection was refused (then the request cannot have reached Slack)."""

    def _can_retry(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        if method_of(request) not in SAFE_TO_REPEAT:
            return isinstance(error, URLError) and isinstance(error.reason, ConnectionRefusedError)
        return super()._can_retry(state=state, request=request, response=response, error=error)


def _message(headers: Any) -> http.client.HTTPMessage:
    message = http.client.HTTPMessage()
    for key, value in headers.items():
        message[key] = value
    return message


class PooledWebClient(WebClient):
    """slack-sdk's WebClient, its HTTP calls on kept-alive connections (urllib3's pool).

    What slack-sdk's urllib path expects is kept: a non-2xx answer is raised as urllib's
    HTTPError (so its retry handlers and Retry-After reading apply unchanged), a refused
    connection as URLError, a read timeout as TimeoutError, a dropped connection as
    ConnectionResetError. Uploads to a file's upload URL keep slack-sdk's own path.
    """

    def __init__(self, *args: Any, pool_size: int = POOL_SIZE, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.pool = urllib3.PoolManager(
            num_pools=4,
            maxsize=pool_size,
            block=False,
            retries=False,
            ssl_context=self.ssl,
        )

    def _perform_urllib_http_request_internal(self, url: str, req: Request) -> dict[str, Any]:
        if self.proxy is not None or not url.lower().startswith("http"):
            return dict(super()._perform_urllib_http_request_internal(url, req))
        body = req.data if isinstance(req.data, bytes | None) else None
        try:
            resp = self.pool.request(
                "POST",
                url,
                body=body,
                headers=dict(req.header_items()),
                timeout=urllib3.Timeout(connect=self.timeout, read=self.timeout),
                preload_content=True,
            )
        except NewConnectionError as err:  # nothing reached Slack
            raise URLError(ConnectionRefusedError(str(err))) from err
        except (ReadTimeoutError, PoolTimeout) as err:  # it may have reached Slack
            raise TimeoutError("timed out") from err
        except ProtocolError as err:
            raise ConnectionResetError(str(err)) from err
        headers = _message(resp.headers)
        if resp.status >= 400:
            raise HTTPError(url, resp.status, resp.reason or "", headers, io.BytesIO(resp.data))
        if headers.get_content_type() == "application/gzip":
            return {"status": resp.status, "headers": headers, "body": resp.data}
        charset = headers.get_content_charset() or "utf-8"
        return {"status": resp.status, "headers": headers, "body": resp.data.decode(charset)}


def build_client(settings: Settings) -> WebClient:
    """A WebClient on SLACK_API_URL, on warm connections: 5xx and resets retried with backoff
    where that is safe; 429s waited out (Retry-After)."""
    handlers: list[RetryHandler] = [
        RateLimitErrorRetryHandler(max_retry_count=3),
        AnyServerErrorRetryHandler(max_retry_count=2),
        SafeConnectionErrorRetryHandler(max_retry_count=2),
    ]
    return PooledWebClient(
        token=settings.slack_bot_token,
        base_url=settings.slack_api_url,
        timeout=settings.slack_api_timeout,
        retry_handlers=handlers,
    )
