"""The Slack app: `create_app(settings, services)` builds a Bolt app with every listener."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

import redis
from slack_bolt import Ack, App, BoltResponse
from slack_sdk.errors import SlackApiError

from bot import listeners, payload
from bot.errors import BotError
from bot.inbox import CONTEXT_KEY, Deferred, retry_delay
from bot.log import get_logger
from bot.oauth import NotInstalled, bolt_oauth
from bot.owed import give_up
from bot.request_gate import ack_text, keep
from bot.views import text as t
from conversations.errors import ParseError, StoreUnavailable

if TYPE_CHECKING:
    from slack_bolt import BoltRequest, Respond
    from slack_sdk import WebClient

    from bot.services import Services
    from bot.settings import Settings
    from conversations.storage.inbox import Inbox

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


def ack_first(body: dict[str, Any], ack: Ack, next: Callable[[], None]) -> None:
    """Acknowledge slash commands and button presses on the request thread.

    Bolt would wait for a listener thread to call `ack()`; with every listener thread busy
    with earlier work, the ack would wait too. Events Bolt acknowledges itself.
    """
    if body.get("command") or body.get("type") == "block_actions":
        ack(text=ack_text(body))
    next()


def durable_ack_first(inbox: Inbox) -> Callable[..., BoltResponse | None]:
    """`ack_first`, with the request added to the durable inbox before the ack: Socket Mode's
    way. Over HTTP the gate does this before Bolt (`bot.request_gate.keep`).

    The work is done by the inbox workers (`bot.inbox`), not by this process's memory: a
    worker killed after the ack loses nothing. If Redis cannot take the request, the work
    runs here as before (and the person is told that storage is unreachable).
    """

    def middleware(
        body: dict[str, Any], ack: Ack, next: Callable[[], None], request: BoltRequest
    ) -> BoltResponse | None:
        response = keep(inbox, request)
        if response is None:
            ack_first(body, ack, next)
        return response

    return middleware


def create_app(settings: Settings, services: Services, *, inbox: Inbox | None = None) -> App:
    """The Bolt app on `services.client`: signature checks on, ack first and work after, every
    listener, one error handler. The parts come built (`bot.bootstrap.build`).

    Over HTTP the gate (`bot.request_gate`) keeps each request a listener acts on in the
    inbox and acks it before this app sees it. Over Socket Mode nothing stands before Bolt:
    pass the `inbox` and this app keeps them itself. Either way the inbox workers run
    `create_worker_app`; what is not kept (or Redis refused) runs in this app's pool.
    """
    app = App(
        client=services.client,
        signing_secret=settings.slack_signing_secret,
        token_verification_enabled=False,  # auth.test runs on the first request, not at import
        process_before_response=False,
        listener_executor=ThreadPoolExecutor(
            max_workers=settings.web_listener_threads,
            thread_name_prefix="ragft-listener",
        ),
        # several workspaces: Bolt's OAuth flow, each workspace's own token
        **bolt_oauth(settings, services.workspaces, services.oauth_states, services.client),
    )
    app.use(durable_ack_first(inbox) if inbox is not None else ack_first)
    listeners.register(app, services)
    app.error(on_error)
    return app


def create_worker_app(settings: Settings, services: Services) -> App:
    """The Bolt app the inbox workers run requests through: the same listeners, run in the
    calling thread, and failures that a retry can cure handed back to the inbox.

    Signatures were checked when the request came in (`bot.request_gate`); a retry may run
    long after Slack's five minutes, so they are not checked again. In OAuth mode a request
    from a workspace that is no longer installed raises `NotInstalled`: dropped, no reply.
    """
    app = App(
        client=services.client,
        signing_secret=settings.slack_signing_secret,
        request_verification_enabled=False,
        token_verification_enabled=False,
        process_before_response=True,
        # what Bolt answers when auth.test failed: the worker knows it and retries
        user_facing_authorize_error_message=t.ERROR_AUTHORIZE,
        **bolt_oauth(
            settings,
            services.workspaces,
            services.oauth_states,
            services.client,
            not_installed_raises=True,
        ),
    )
    app.use(ack_first)
    listeners.register(app, services)

    def on_failure(
        error: Exception,
        body: dict[str, Any],
        client: WebClient,
        respond: Respond,
        context: dict[str, Any],
    ) -> None:
        on_worker_error(error, body, client, respond, context, services=services)

    app.error(on_failure)
    return app


def on_worker_error(
    error: Exception,
    body: dict[str, Any],
    client: WebClient,
    respond: Respond,
    context: dict[str, Any],
    *,
    services: Services | None = None,
) -> None:
    """A failure a retry can cure (Slack 5xx, 429, a timeout) goes back to the inbox quietly;
    any other is told to the person as `on_error` does. A request from a workspace that
    uninstalled the app is dropped at once, with no reply: the app may not speak there."""
    if isinstance(error, NotInstalled):
        log.info("request_not_installed", **payload.log_fields(body))
        return
    outcome = context.get(CONTEXT_KEY)
    if outcome is not None:
        delay = retry_delay(error, int(outcome.get("attempt", 1)))
        gave_up = delay is not None and not isinstance(error, Deferred)
        if gave_up and outcome.get("last"):  # given up: the person must know
            log.error("work_given_up", error_type=type(error).__name__, **payload.log_fields(body))
            # a step's messages: listed, and delivered by the clock once Slack takes them
            listed = services is not None and give_up(services, body, error) is not None
            text = t.ERROR_GAVE_UP if listed else t.ERROR_GAVE_UP_RETRY
            tell(client, body, respond, text.format(channel=payload.channel_id(body)))
            return
        if isinstance(error, Deferred) and outcome.get("last"):
            # Deferred on the last attempt (a timed-out post, another attempt delivering):
            # the clock takes the step over, so it is neither dropped nor told as failed.
            if services is not None:
                give_up(services, body, error)
            log.warning("work_left_to_the_clock", **payload.log_fields(body))
            return
        if delay is not None:
            outcome["retry"] = delay
            log.warning(
                "work_will_be_retried",
                error_type=type(error).__name__,
                delay=round(delay, 2),
                **payload.log_fields(body),
            )
            return
    on_error(error, body, client, respond)


def on_error(error: Exception, body: dict[str, Any], client: WebClient, respond: Respond) -> None:
    """Log the failure and tell the person, ephemerally, in a sentence fit for them."""
    context = payload.log_fields(body)
    expected = isinstance(error, BotError | ParseError)
    (log.info if expected else log.exception)(
        "request_failed", error_type=type(error).__name__, **context
    )
    tell(client, body, respond, user_message(error))


def tell(client: WebClient, body: dict[str, Any], respond: Respond, text: str) -> None:
    """Tell the person who sent `body`, privately: where they typed or pressed, or, when
    that fails (Slack refusing the channel), in their direct messages with the app."""
    context = payload.log_fields(body)
    user = payload.user_id(body)
    try:
        if body.get("response_url"):
            respond(text=text, response_type="ephemeral", replace_original=False)
            return
        if user and context.get("channel"):
            client.chat_postEphemeral(
                channel=context["channel"], user=user, text=text, thread_ts=context.get("thread")
            )
            return
    except Exception:  # the channel may be what fails: try their DM below
        log.warning("error_reply_failed", **context)
    if not user:
        return
    try:
        dm = client.conversations_open(users=user)["channel"]["id"]
        client.chat_postMessage(channel=dm, text=text)
    except Exception:  # the person can't be told; the failure itself is logged
        log.warning("error_dm_failed", **context)
