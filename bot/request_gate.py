"""What a Slack request passes before Bolt sees it: a size limit, the signature, one parser.

- A body over `MAX_BODY_BYTES` is refused from its Content-Length, before it is read.
- The signature is checked here, with any malformed header (a timestamp that is not a
  number, say) read as a wrong one: 401, quietly, and nothing of the body reaches code
  that acts on it (no `response_url`, no ephemeral).
- The body is parsed once, by its shape, and handed to Bolt as JSON: Bolt's own parser
  takes any form body that merely *contains* the word "payload" for an interactive
  payload, so `/ragft assess payload parser` (or any command typed in `#payload-team`)
  would be dropped with a 404, in the request and again in each lazy listener's copy.
- A bot's post (the app's own ones come back as events) is acknowledged here, and
  dropped: no listener acts on it. Anything else goes on to Bolt, which acks it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from http import HTTPStatus
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl

from slack_bolt.request import BoltRequest
from slack_bolt.response import BoltResponse
from slack_sdk.signature import SignatureVerifier

from bot.log import get_logger

if TYPE_CHECKING:
    from wsgiref.types import StartResponse, WSGIEnvironment

    from slack_bolt import App

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
    """A BoltRequest of the body as `parse_slack_body` reads it (or `Refused`, 400), handed to
    Bolt as JSON so that Bolt, and the copy each lazy listener gets, read it the same way."""
    body = parse_slack_body(text, headers.get("content-type"))
    bolt_headers: dict[str, str | Sequence[str]] = {**headers, "content-type": "application/json"}
    bolt_headers.pop("content-length", None)
    return BoltRequest(body=json.dumps(body), query=query, headers=bolt_headers)


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


def bot_post(body: dict[str, Any]) -> bool:
    """Whether a request is a message a bot posted (the app's own ones too)."""
    event = body.get("event") or {}
    return (
        body.get("type") == "event_callback"
        and event.get("type") == "message"
        and bool(event.get("bot_id"))
    )


class SlackGate:
    """The WSGI handler for `POST /slack/events`: the gate, then Bolt."""

    def __init__(self, bolt: App, signing_secret: str):
        self.bolt = bolt
        self.verifier = SignatureVerifier(signing_secret)

    def answer(self, request: BoltRequest) -> BoltResponse:
        """The ack of a bot's post; else Bolt's answer."""
        if bot_post(request.body):  # nothing to do: Bolt would only authorize it, then drop it
            return BoltResponse(status=200, body="")
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
