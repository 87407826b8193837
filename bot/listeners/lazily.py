"""Every listener as Bolt's ack/lazy pair: the ack before the HTTP response, the work after.

The app runs with `process_before_response=True`, so what a listener's `ack=` function does
happens before Slack gets its answer, and its `lazy=` functions run afterwards on the app's
listener threads. The listener modules register on `Lazily(app)` as on the app itself:

- a plain handler (`app.action(X)(handler)`) is acknowledged at once and runs lazily;
- a handler with a part that must be durable before the ack (`app.event("message")(
  ack=commit, lazy=[deliver])`) runs `commit` first: an interview step is committed with
  the effects it owes (`bot.owed`), and `deliver` takes them to Slack after the ack.

Bolt logs and forgets what a lazy function raises; here it reaches `bot.app.on_error`, which
tells the person in a sentence. A failure of the `ack=` part (Redis away: nothing was
saved) is acknowledged all the same and told to the person by the lazy part.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from bot.command_text import command_ack
from bot.errors import BotError
from bot.log import get_logger

if TYPE_CHECKING:
    from slack_bolt import Ack, App, BoltContext

log = get_logger(__name__)
FAILED_KEY = "ragft_ack_failed"  # the ack part's failure, as the person is to be told it
Handler = Callable[..., Any]
# Called with the error of a handler, the request's body, client and respond (`bot.app`).
ErrorHandler = Callable[..., object]


def _wanted(handler: Handler, given: dict[str, Any]) -> dict[str, Any]:
    names = inspect.signature(handler).parameters
    return {name: value for name, value in given.items() if name in names}


def acknowledge(ack: Ack, body: dict[str, Any]) -> None:
    """Bolt's `ack()`, with the command list as the text of `/ragft help`."""
    if body.get("command"):
        ack(text=command_ack(body.get("text")))
    else:
        ack()


class Lazily:
    """What the listener modules register on: `command`, `action`, `event`, `function` and
    `use` as on Bolt's `App`, each handler turned into an ack/lazy pair."""

    def __init__(self, app: App, on_error: ErrorHandler, user_message: Callable[[Exception], str]):
        self.app = app
        self.on_error = on_error
        self.user_message = user_message

    def use(self, *args: Any, **kwargs: Any) -> Any:
        return self.app.use(*args, **kwargs)

    def command(self, *args: Any, **kwargs: Any) -> Callable[..., None]:
        return self._pair(self.app.command(*args, **kwargs))

    def action(self, *args: Any, **kwargs: Any) -> Callable[..., None]:
        return self._pair(self.app.action(*args, **kwargs))

    def event(self, *args: Any, **kwargs: Any) -> Callable[..., None]:
        return self._pair(self.app.event(*args, **kwargs))

    def function(self, *args: Any, **kwargs: Any) -> Callable[..., None]:
        return self._pair(self.app.function(*args, **kwargs), function=True)

    def _pair(
        self, decorator: Callable[..., Any], *, function: bool = False
    ) -> Callable[..., None]:
        def register(
            *handlers: Handler, ack: Handler | None = None, lazy: Sequence[Handler] = ()
        ) -> None:
            work = list(lazy) or list(handlers)
            wrap = self._function_lazy if function else self._lazy
            decorator(ack=self._ack(ack), lazy=[wrap(h) for h in work])

        return register

    def _ack(self, part: Handler | None) -> Handler:
        def ack_then_work(
            ack: Ack,
            body: dict[str, Any],
            context: BoltContext,
            event: dict[str, Any] | None,
            action: dict[str, Any] | None,
            command: dict[str, Any] | None,
        ) -> None:
            if part is not None:
                given = {"body": body, "context": context, "event": event}
                given.update(action=action, command=command)
                try:
                    part(**_wanted(part, given))
                except Exception as exc:  # nothing was saved: say so after the ack
                    log.warning("ack_part_failed", error_type=type(exc).__name__)
                    context[FAILED_KEY] = self.user_message(exc)
            acknowledge(ack, body)

        return ack_then_work

    def _run(self, handler: Handler, given: dict[str, Any]) -> None:
        body, context = given["body"], given["context"]
        client, respond = given["client"], given["respond"]
        failed = context.get(FAILED_KEY)
        if failed:
            self.on_error(_AckFailed(str(failed)), body, client, respond)
            return
        try:
            handler(**_wanted(handler, given))
        except Exception as exc:  # Bolt would only log it: the person is told
            self.on_error(exc, body, client, respond)

    def _lazy(self, handler: Handler) -> Handler:
        def work(
            body: dict[str, Any],
            context: BoltContext,
            client: Any,
            respond: Any,
            event: dict[str, Any] | None,
            action: dict[str, Any] | None,
            command: dict[str, Any] | None,
        ) -> None:
            given = {"body": body, "context": context, "client": client, "respond": respond}
            self._run(handler, {**given, "event": event, "action": action, "command": command})

        return _named(work, handler)

    def _function_lazy(self, handler: Handler) -> Handler:
        """The same for a Workflow Builder step (`app.function`), with its own arguments."""

        def work(
            body: dict[str, Any],
            context: BoltContext,
            client: Any,
            respond: Any,
            event: dict[str, Any] | None,
            inputs: dict[str, Any] | None,
            fail: Any,
            complete: Any,
        ) -> None:
            given = {"body": body, "context": context, "client": client, "respond": respond}
            self._run(
                handler,
                {**given, "event": event, "inputs": inputs, "fail": fail, "complete": complete},
            )

        return _named(work, handler)


def _named(work: Handler, handler: Handler) -> Handler:
    """`work` under the name of the function `handler` runs (Bolt logs lazy work by it)."""
    inner = getattr(handler, "func", handler)  # a partial: the function it binds
    work.__name__ = str(getattr(inner, "__name__", "work"))
    return work


class _AckFailed(BotError):
    """The ack part failed; its message is already the sentence for the person."""
