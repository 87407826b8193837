"""Send what Slack sends, over Socket Mode: the same requests `SignedSender` builds (slash
commands, events, interactivity), delivered as envelopes down the stand-in's WebSocket
instead of signed HTTP posts. A test or the playground swaps one sender for the other."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qsl

from bot.standin.signing import SignedSender, SlackResponse
from bot.standin.socket_mode import ACK_DEADLINE, SocketModeSide

# What the sender answers when the app sent no ack within Slack's deadline.
NO_ACK = 408
SLACK_RETRIES = 3  # Slack sends an unacknowledged envelope again, up to three times


class SocketSender(SignedSender):
    """A `SignedSender` whose requests travel as Socket Mode envelopes; each response is
    the envelope's ack (status 200 with the ack's payload as the body, or `NO_ACK`)."""

    def __init__(self, sockets: SocketModeSide, **kwargs: Any) -> None:
        super().__init__("socket-mode://stand-in", "unused-over-socket-mode", **kwargs)
        self.sockets = sockets
        self.ack_timeout = ACK_DEADLINE
        self.retries = SLACK_RETRIES  # 0: report a missing ack at once

    def send_raw(
        self,
        body: bytes,
        content_type: str,
        *,
        timestamp: int | None = None,
        forge: bool = False,
        headers: dict[str, str] | None = None,
    ) -> SlackResponse:
        """Deliver the request as an envelope. Socket Mode carries no signature: `timestamp`
        and `forge` have nothing to act on and are ignored."""
        kind, payload = envelope_of(body, content_type)
        retry = (headers or {}).get("X-Slack-Retry-Num")
        attempt = int(retry or 0)
        reason = (headers or {}).get("X-Slack-Retry-Reason", "") if retry else ""
        while True:
            envelope = self.sockets.send(
                kind, payload, timeout=self.ack_timeout, retry_attempt=attempt, retry_reason=reason
            )
            # Like Slack, an envelope left unacked is sent again (up to 3 retries), unless
            # the caller is itself playing a given retry.
            if envelope.ack is not None or retry or attempt >= self.retries:
                break
            attempt, reason = attempt + 1, "timeout"
        if envelope.ack is None:
            return SlackResponse(NO_ACK, {}, "")
        answer = envelope.ack.get("payload")
        return SlackResponse(200, {}, json.dumps(answer) if answer else "")


def envelope_of(body: bytes, content_type: str) -> tuple[str, dict[str, Any]]:
    """The envelope type and payload Slack would send for this HTTP request body."""
    if "application/json" in content_type:
        return "events_api", json.loads(body)
    form = dict(parse_qsl(body.decode()))
    if "payload" in form:
        return "interactive", json.loads(form["payload"])
    return "slash_commands", form
