"""Send requests to the app exactly as Slack does: form-encoded slash commands and
interactivity payloads, JSON events, each signed with the signing secret.

Used by the playground, the end-to-end tests and the benchmark. `forge=True` signs
with the wrong secret; `timestamp=` lets a test send a stale request.
"""

from __future__ import annotations

import itertools
import json
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from slack_sdk.signature import SignatureVerifier

from bot.standin.server import TEAM_ID


@dataclass(frozen=True)
class SlackResponse:
    """What the app answered: HTTP status, headers and body text."""

    status: int
    headers: dict[str, str]
    body: str

    def json(self) -> Any:
        return json.loads(self.body) if self.body else None


class SignedSender:
    """Signs and POSTs Slack requests to `url` (the app's `/slack/events`)."""

    def __init__(
        self,
        url: str,
        signing_secret: str,
        *,
        team_id: str = TEAM_ID,
        timeout: float = 10.0,
        response_url_base: str | None = None,
        enterprise_id: str | None = None,
        org_wide: bool = False,
    ) -> None:
        self.url = url
        self.signing_secret = signing_secret
        self.team_id = team_id
        # A workspace of an Enterprise Grid org (`org_wide`: the app is installed org-wide).
        self.enterprise_id = enterprise_id
        self.org_wide = org_wide
        self.timeout = timeout
        # Where `response_url` points (the stand-in's /response/); None gives a dummy URL.
        self.response_url_base = response_url_base
        self._counter = itertools.count(1)

    # --- raw ---------------------------------------------------------------------
    def sign(
        self, body: bytes, timestamp: int | None = None, *, forge: bool = False
    ) -> dict[str, str]:
        """The X-Slack-Request-Timestamp and X-Slack-Signature headers for `body`."""
        ts = str(int(time.time()) if timestamp is None else timestamp)
        secret = self.signing_secret + "-forged" if forge else self.signing_secret
        signature = SignatureVerifier(secret).generate_signature(timestamp=ts, body=body) or ""
        return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": signature}

    def send_raw(
        self,
        body: bytes,
        content_type: str,
        *,
        timestamp: int | None = None,
        forge: bool = False,
        headers: dict[str, str] | None = None,
    ) -> SlackResponse:
        all_headers = {
            "Content-Type": content_type,
            **self.sign(body, timestamp, forge=forge),
            **(headers or {}),
        }
        request = urllib.request.Request(self.url, data=body, headers=all_headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return SlackResponse(
                    response.status, dict(response.headers), response.read().decode()
                )
        except urllib.error.HTTPError as err:
            return SlackResponse(err.code, dict(err.headers), err.read().decode())

    # --- what Slack sends ------------------------------------------------------------
    def command(
        self,
        text: str = "",
        *,
        command: str = "/ragft",
        user_id: str = "U0PLAYER",
        channel_id: str = "C0PLAYGND",
        timestamp: int | None = None,
        forge: bool = False,
        **extra: str,
    ) -> SlackResponse:
        """A slash command, e.g. `command("assess support bot")`."""
        n = next(self._counter)
        form = {
            "token": "legacy-verification-token-unused",
            "team_id": self.team_id,
            "team_domain": "playground",
            "channel_id": channel_id,
            "channel_name": "ragft",
            "user_id": user_id,
            "user_name": user_id.lower(),
            "command": command,
            "text": text,
            "api_app_id": "A0RAGFT",
            "is_enterprise_install": "true" if self.org_wide else "false",
            **({"enterprise_id": self.enterprise_id} if self.enterprise_id else {}),
            "response_url": self._response_url(n),
            "trigger_id": f"{n}.{uuid.uuid4().hex[:12]}",
            **extra,
        }
        return self.send_raw(
            urlencode(form).encode(),
            "application/x-www-form-urlencoded",
            timestamp=timestamp,
            forge=forge,
        )

    def event(
        self,
        event: dict[str, Any],
        *,
        event_id: str | None = None,
        retry_num: int | None = None,
        retry_reason: str = "http_timeout",
        timestamp: int | None = None,
        forge: bool = False,
    ) -> SlackResponse:
        """An Events API `event_callback`; pass the same `event_id` with `retry_num` to replay."""
        envelope = {
            "token": "legacy-verification-token-unused",
            "team_id": self.team_id,
            "api_app_id": "A0RAGFT",
            "event": {"team": self.team_id, **event},
            "type": "event_callback",
            "event_id": event_id or f"Ev{uuid.uuid4().hex[:10].upper()}",
            "event_time": int(time.time()),
            "authorizations": [
                {
                    "enterprise_id": self.enterprise_id,
                    "team_id": None if self.org_wide else self.team_id,
                    "user_id": "U0RAGFTBOT",
                    "is_bot": True,
                    "is_enterprise_install": self.org_wide,
                }
            ],
            "is_ext_shared_channel": False,
        }
        if self.enterprise_id:
            envelope["enterprise_id"] = self.enterprise_id
        headers = {}
        if retry_num is not None:
            headers = {"X-Slack-Retry-Num": str(retry_num), "X-Slack-Retry-Reason": retry_reason}
        return self.send_raw(
            json.dumps(envelope).encode(),
            "application/json",
            timestamp=timestamp,
            forge=forge,
            headers=headers,
        )

    def message(
        self,
        text: str,
        *,
        channel: str = "C0PLAYGND",
        user: str = "U0PLAYER",
        thread_ts: str | None = None,
        ts: str | None = None,
        channel_type: str = "channel",
        **kwargs: Any,
    ) -> SlackResponse:
        """A `message` event as a person typed it (a thread reply when `thread_ts` is given)."""
        event: dict[str, Any] = {
            "type": "message",
            "channel": channel,
            "user": user,
            "text": text,
            "ts": ts or f"{time.time():.6f}",
            "channel_type": channel_type,
        }
        if thread_ts:
            event["thread_ts"] = thread_ts
        return self.event(event, **kwargs)

    def block_action(
        self,
        action: dict[str, Any],
        *,
        message: dict[str, Any] | None = None,
        user_id: str = "U0PLAYER",
        channel_id: str = "C0PLAYGND",
        timestamp: int | None = None,
        forge: bool = False,
        container: dict[str, Any] | None = None,
    ) -> SlackResponse:
        """A `block_actions` payload for one pressed button or chosen option.

        `action` holds `action_id`, `block_id`, `value` or `selected_option`;
        `message` is the message the button is on."""
        n = next(self._counter)
        message = message or {}
        payload: dict[str, Any] = {
            "type": "block_actions",
            "api_app_id": "A0RAGFT",
            "token": "legacy-unused",
            "team": {"id": self.team_id, "domain": "playground"},
            "user": {"id": user_id, "username": user_id.lower(), "team_id": self.team_id},
            "is_enterprise_install": self.org_wide,
            "trigger_id": f"{n}.{uuid.uuid4().hex[:12]}",
            "response_url": self._response_url(n),
            "actions": [{"type": "button", "action_ts": f"{time.time():.6f}", **action}],
        }
        if self.enterprise_id:
            payload["enterprise"] = {"id": self.enterprise_id, "name": "Org"}
        if message:
            payload["channel"] = {"id": message.get("channel", channel_id)}
            payload["message"] = message
            payload["container"] = container or {
                "type": "message",
                "message_ts": message.get("ts"),
                "channel_id": message.get("channel", channel_id),
                "is_ephemeral": False,
                **({"thread_ts": message["thread_ts"]} if message.get("thread_ts") else {}),
            }
        else:
            payload["channel"] = {"id": channel_id}
            payload["container"] = container or {"type": "view"}
        body = urlencode({"payload": json.dumps(payload)}).encode()
        return self.send_raw(
            body, "application/x-www-form-urlencoded", timestamp=timestamp, forge=forge
        )

    def app_home_opened(
        self, user: str = "U0PLAYER", *, tab: str = "home", **kwargs: Any
    ) -> SlackResponse:
        """The `app_home_opened` event for the Home tab (`tab="messages"`: the Messages tab,
        the app's agent view, in the person's DM with the app)."""
        return self.event(
            {
                "type": "app_home_opened",
                "user": user,
                "channel": "D" + user.lstrip("UW"),
                "tab": tab,
                "event_ts": f"{time.time():.6f}",
            },
            **kwargs,
        )

    def _response_url(self, n: int) -> str:
        base = self.response_url_base or "https://hooks.slack.example/"
        return f"{base}response/{n}"
