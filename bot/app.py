"""The Slack app: `create_app(settings, services)` builds a Bolt app with every listener."""

from __future__ import annotations

import contextlib
import os
import sys
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

import redis
from slack_bolt import Ack, App
from slack_sdk.errors import SlackApiError

from bot import listeners, payload
from bot.command_text import command_ack
from bot.errors import BotError
from bot.log import get_logger
from bot.oauth import bolt_oauth
from bot.views import text as t
from conversations.errors import ParseError, StoreUnavailable

if TYPE_CHECKING:
    from slack_bolt import Respond
    from slack_sdk import WebClient

    from bot.services import Services
    from bot.settings import Settings

log = get_logger(__name__)
NOT_IN_CHANNEL = frozenset({"not_in_channel", "channel_not_found", "is_archived"})


def user_message(error: Exception) -> str:
    """What the person sees when handling their request failed."""
    if isinstance(error, BotError | ParseError):
        return str(error)
    # The revisit queue speaks redis-py's errors directly; to a person both mean the same.
    if isinstance(error, StoreUnavailable | redis.ConnectionError | redis.TimeoutError):
        return t.ERROR_STORE
    if isinstance(error, SlackApiError) and error.response.get("error") in NOT_IN_CHANNEL:
        return t.ERROR_NOT_IN_CHANNEL
    return t.ERROR_GENERIC


# Listener work runs after the ack at a lower CPU priority than the request threads: on a
# busy machine the work waits its turn instead of delaying every ack (bench/slack.py).
LISTENER_NICENESS = 19


def _lower_priority() -> None:
    """Lower this listener thread's CPU priority (Linux sets niceness per thread)."""
    if sys.platform == "linux":  # elsewhere the call would renice the whole process
        with contextlib.suppress(OSError):
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), LISTENER_NICENESS)


def ack_first(body: dict[str, Any], ack: Ack, next: Callable[[], None]) -> None:
    """Acknowledge slash commands and button presses on the request thread.

    Bolt would wait for a listener thread to call `ack()`; with every listener thread busy
    with earlier work, the ack would wait too. Events Bolt acknowledges itself.
    """
    if body.get("command"):
        ack(text=command_ack(body.get("text")))
    elif body.get("type") == "block_actions":
        ack()
    next()


def create_app(settings: Settings, services: Services) -> App:
    """The Bolt app on `services.client`: signature checks on, ack first and work after, every
    listener, one error handler. The parts come built (`bot.bootstrap.build`)."""
    app = App(
        client=services.client,
        signing_secret=settings.slack_signing_secret,
        token_verification_enabled=False,  # auth.test runs on the first request, not at import
        process_before_response=False,
        listener_executor=ThreadPoolExecutor(
            max_workers=settings.web_listener_threads,
            thread_name_prefix="ragft-listener",
            initializer=_lower_priority,
        ),
        # several workspaces: Bolt's OAuth flow, each workspace's own token
        **bolt_oauth(settings, services.workspaces, services.oauth_states, services.client),
    )
    app.use(ack_first)
    listeners.register(app, services)
    app.error(on_error)
    return app


def on_error(error: Exception, body: dict[str, Any], client: WebClient, respond: Respond) -> None:
    """Log the failure and tell the person, ephemerally, in a sentence fit for them."""
    context = payload.log_fields(body)
    expected = isinstance(error, BotError | ParseError)
    (log.info if expected else log.exception)(
        "request_failed", error_type=type(error).__name__, **context
    )
    text = user_message(error)
    user = payload.user_id(body)
    try:
        if body.get("response_url"):
            respond(text=text, response_type="ephemeral", replace_original=False)
        elif user and context.get("channel"):
            client.chat_postEphemeral(
                channel=context["channel"],
                user=user,
                text=text,
                thread_ts=context.get("thread"),
            )
    except Exception:  # the person can't be told; the failure itself is logged above
        log.warning("error_reply_failed", **context)
