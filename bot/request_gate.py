"""What a Slack request passes before Bolt sees it: a size limit, the signature, one parser.

- A body over `MAX_BODY_BYTES` is refused from its Content-Length, before it is read.
- The signature is checked here, with any malformed header (a timestamp that is not a
  number, say) read as a wrong one: 401, quietly, and nothing of the body reaches code
  that acts on it (no `response_url`, no ephemeral).
- The body is parsed once, by its shape: Bolt's own parser takes any form body that
  merely *contains* the word "payload" for an interactive payload, so `/ragft assess
  payload parser` (or any command typed in `#payload-team`) would be dropped with a 404.
- With an inbox, a request a listener acts on (`kept`) is added to it and acknowledged
  here, without Bolt: its installation is looked up by the inbox worker that does the
  work (`bot.inbox`), not on the ack's path. A bot's post (the app's own ones come back as
  events) is acknowledged here too, and dropped: no listener acts on it. Anything else
  goes on to Bolt.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from http import HTTPStatus
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl

from slack_bolt.request import BoltRequest
from slack_bolt.request.internals import build_context
from slack_bolt.response import BoltResponse
from slack_sdk.signature import SignatureVerifier

from bot.command_text import command_ack
from bot.log import get_logger

if TYPE_CHECKING:
    from wsgiref.types import StartResponse, WSGIEnvironment

    from slack_bolt import App

    from conversations.storage.inbox import Inbox

log = get_logger(__name__)

# Slack's own payloads are far smaller (a message is at most 40,000 characters).
MAX_BODY_BYTES = 1024 * 1024


class Refused(Exception):
    """A request answered with a 4xx before Bolt sees it."""

    def __init__(self, status: int, reason: str):
        super().__init__(reason)
        self.status = status
        self.reason = reason


def parse_slack_body(text: str, content_type: str | None) -> dict[str, Any]:
    """The request body as Slack meant it: JSON, an interactive `payload=`, or a form."""
    if not text:
        return {}
    try:
        if (content_type or "").startswith("application/json") or text.startswith("{"):
            body = json.loads(text)
        else:
            form = dict(parse_qsl(text, keep_blank_values=True))
            # Interactivity sends exactly one field, `payload`; commands never have it.
            body = json.loads(form["payload"]) if "payload" in form else form
    except (ValueError, RecursionError) as err:
        raise Refused(400, "unreadable body") from err
    if not isinstance(body, dict):
        raise Refused(400, "body is not an object")
    return body


def _content_length(environ: WSGIEnvironment) -> int:
    raw = environ.get("CONTENT_LENGTH") or ""
    if not raw.isdigit():
        raise Refused(411, "no content length")
    length = int(raw)
    if length > MAX_BODY_BYTES:
        raise Refused(413, "body too large")
    return length


def _headers(environ: WSGIEnvironment) -> dict[str, str]:
    headers = {
        key[5:].replace("_", "-").lower(): str(value)
        for key, value in environ.items()
        if key.startswith("HTTP_")
    }
    if environ.get("CONTENT_TYPE"):
        headers["content-type"] = str(environ["CONTENT_TYPE"])
    return headers


def _verified(verifier: SignatureVerifier, raw: bytes, headers: dict[str, str]) -> bool:
    try:
        return verifier.is_valid(
            body=raw,
            timestamp=headers.get("x-slack-request-timestamp"),
            signature=headers.get("x-slack-signature"),
        )
    except (ValueError, TypeError, OverflowError):  # a malformed header is a wrong one
        return False


def bolt_request(environ: WSGIEnvironment, verifier: SignatureVerifier) -> BoltRequest:
    """A verified, parsed BoltRequest, or `Refused` with the status to answer."""
    length = _content_length(environ)
    raw = environ["wsgi.input"].read(length) if length else b""
    headers = _headers(environ)
    if not _verified(verifier, raw, headers):
        raise Refused(401, "bad signature")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        raise Refused(400, "body is not UTF-8") from err
    return parsed_request(text, headers, environ.get("QUERY_STRING", ""))


def parsed_request(text: str, headers: dict[str, str], query: str = "") -> BoltRequest:
    """A BoltRequest whose body is read by `parse_slack_body` (or `Refused`, 400)."""
    body = parse_slack_body(text, headers.get("content-type"))
    bolt_headers: dict[str, str | Sequence[str]] = {**headers}
    request = BoltRequest(body=text, query=query, headers=bolt_headers)
    # Bolt has parsed `text` its own way; put the right reading in its place.
    request.body = body
    request.context = build_context(request.context, body)
    return request


def _send(
    start_response: StartResponse, status: int, body: str, headers: list[tuple[str, str]]
) -> list[bytes]:
    data = body.encode()
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        phrase = ""
    start_response(f"{status} {phrase}", [*headers, ("Content-Length", str(len(data)))])
    return [data]


# What the inbox keeps: the requests a listener acts on. Anything else (an event nobody
# listens to, a body without actions) goes on to Bolt, which answers it as before.
KEPT_EVENTS = frozenset({"message", "app_home_opened"})


def bot_post(body: dict[str, Any]) -> bool:
    """Whether a request is a message a bot posted (the app's own ones too)."""
    event = body.get("event") or {}
    return (
        body.get("type") == "event_callback"
        and event.get("type") == "message"
        and bool(event.get("bot_id"))
    )


def kept(body: dict[str, Any]) -> bool:
    """Whether a request carries work a listener does after the ack."""
    if body.get("command"):
        return True
    if body.get("type") == "block_actions":
        return bool(body.get("actions"))
    if body.get("type") == "event_callback":
        return (body.get("event") or {}).get("type") in KEPT_EVENTS and not bot_post(body)
    return False


def ack_text(body: dict[str, Any]) -> str:
    """What the ack of a kept request says: the command list for `/ragft help`, else nothing."""
    return command_ack(body.get("text")) if body.get("command") else ""


def keep(inbox: Inbox, request: BoltRequest) -> BoltResponse | None:
    """Add a kept request to the inbox and return its ack, the one Bolt's `ack()` gives.

    None when Bolt is to take the request: it is not kept, or Redis cannot take it (then
    the work runs in this process, as without an inbox).
    """
    body = request.body
    if not kept(body):
        return None
    content_type = str(request.headers.get("content-type", [""])[0] or "")
    raw = request.raw_body
    if not raw:  # Socket Mode hands Bolt a parsed body
        raw, content_type = json.dumps(body), "application/json"
    try:
        inbox.add(raw, content_type)
    except Exception as exc:  # Redis away: Bolt acks and the work runs in memory
        log.warning("inbox_unavailable", error=type(exc).__name__)
        return None
    return BoltResponse(status=200, body=ack_text(body))


class SlackGate:
    """The WSGI handler for `POST /slack/events`: the gate, the inbox if any, then Bolt."""

    def __init__(self, bolt: App, signing_secret: str, inbox: Inbox | None = None):
        self.bolt = bolt
        self.verifier = SignatureVerifier(signing_secret)
        self.inbox = inbox

    def answer(self, request: BoltRequest) -> BoltResponse:
        """The ack of a kept request, or of a bot's post; else Bolt's answer."""
        if bot_post(request.body):  # nothing to do: Bolt would only authorize it, then drop it
            return BoltResponse(status=200, body="")
        if self.inbox is not None:
            response = keep(self.inbox, request)
            if response is not None:
                return response
        return self.bolt.dispatch(request)

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        try:
            request = bolt_request(environ, self.verifier)
        except Refused as refused:
            log.info("request_refused", reason=refused.reason, status=refused.status)
            plain = [("Content-Type", "text/plain"), ("Connection", "close")]
            return _send(start_response, refused.status, refused.reason, plain)
        response = self.answer(request)
        headers = [
            (k, v)
            for k, values in response.headers.items()
            if k.lower() != "content-length"
            for v in values
        ]
        return _send(start_response, response.status, response.body, headers)
