"""The Slack Web API client every process uses, with its retry policy."""

from __future__ import annotations

from typing import TYPE_CHECKING

from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState

if TYPE_CHECKING:
    from bot.settings import Settings

__all__ = ["AnyServerErrorRetryHandler", "build_client"]


class AnyServerErrorRetryHandler(ServerErrorRetryHandler):
    """slack-sdk's handler retries only 500 and 503; a 502 or 504 (a proxy's) is as passing."""

    def _can_retry(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        return response is not None and 500 <= response.status_code <= 599


def build_client(settings: Settings) -> WebClient:
    """A WebClient on SLACK_API_URL: 429s retried after Retry-After, 5xx and resets with backoff."""
    return WebClient(
        token=settings.slack_bot_token,
        base_url=settings.slack_api_url,
        retry_handlers=[
            RateLimitErrorRetryHandler(max_retry_count=3),
            AnyServerErrorRetryHandler(max_retry_count=2),
            ConnectionErrorRetryHandler(max_retry_count=2),
        ],
    )
