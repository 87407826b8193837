"""The Slack app: `create_app(settings, services)` builds a Bolt app with every listener."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

from slack_bolt import App, BoltResponse

from bot import listeners, payload
from bot.errors import BotError, user_message
from bot.listeners.lazily import Lazily
from bot.log import get_logger
from bot.oauth import AuthorizeFailed, NotInstalled, bolt_oauth
from bot.views import text as t
from conversations.errors import ParseError

if TYPE_CHECKING:
    from slack_bolt import Respond
    from slack_sdk import WebClient

    from bot.services import Services
    from bot.settings import Settings

log = get_logger(__name__)


def create_app(settings: Settings, services: Services) -> App:
    """The Bolt app on `services.client`: every listener as an ack/lazy pair
    (`bot.listeners.lazily`), one error handler. The parts come built (`bot.bootstrap.build`).

    `process_before_response=True`: an `ack=` part runs before Slack gets its answer (an
    interview step is committed there, with the effects it owes), and the lazy work runs
    after it on `WEB_LISTENER_THREADS` threads, which mostly wait on Slack. Over HTTP the
    gate (`bot.request_gate`) has checked the signature and parsed the body once; over
    Socket Mode Bolt takes the envelope as it is. In OAuth mode a request from a workspace
    that is no longer installed is answered by Bolt and never reaches a listener.
    """
    app = App(
        client=services.client,
        signing_secret=settings.slack_signing_secret,
        # checked once by the gate, before the body is read as Slack meant it
        request_verification_enabled=False,
        token_verification_enabled=False,  # auth.test runs on the first request, not at import
        process_before_response=True,
        listener_executor=ThreadPoolExecutor(
            max_workers=settings.web_listener_threads,
            thread_name_prefix="ragft-listener",
        ),
        # what Bolt answers when auth.test failed (Slack away): the person may try again
        user_facing_authorize_error_message=t.ERROR_AUTHORIZE,
        # several workspaces: Bolt's OAuth flow, each workspace's own token; a workspace that
        # uninstalled the app raises NotInstalled (no reply), one whose token could not be
        # checked AuthorizeFailed (the person is told to try again)
        **bolt_oauth(
            settings,
            services.workspaces,
            services.oauth_states,
            services.client,
            not_installed_raises=True,
        ),
    )
    listeners.register(Lazily(app, on_error, user_message), services)
    app.error(on_error)
    return app


def on_error(
    error: Exception, body: dict[str, Any], client: WebClient, respond: Respond
) -> BoltResponse | None:
    """Log the failure and tell the person, ephemerally, in a sentence fit for them.

    Before the listeners (Bolt's authorize), the answer is the ack itself: a workspace that
    uninstalled the app gets a bare 200 (the app may not speak there, and Slack must not
    send it again); a token that could not be checked, a 200 saying to try again."""
    context = payload.log_fields(body)
    if isinstance(error, NotInstalled):
        log.info("request_not_installed", **context)
        return BoltResponse(status=200, body="")
    if isinstance(error, AuthorizeFailed):
        log.warning("request_not_authorized", **context)
        return BoltResponse(status=200, body=t.ERROR_AUTHORIZE if body.get("command") else "")
    expected = isinstance(error, BotError | ParseError)
    (log.info if expected else log.exception)(
        "request_failed", error_type=type(error).__name__, **context
    )
    tell(client, body, respond, user_message(error))
    return None


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
