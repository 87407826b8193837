"""The stand-in's side of OAuth: workspaces, the tokens it issued, and `oauth.v2.access`."""

from __future__ import annotations

import base64
import secrets
import threading
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

if TYPE_CHECKING:
    from bot.standin.calls import Call

__all__ = ["OAuthSide", "Token"]

BOT_USER_ID = "U0RAGFTBOT"


@dataclass
class Token:
    """One token the stand-in issued (OAuth): whose it is, and until when it works."""

    team: str | None
    enterprise: str | None
    kind: str  # "bot", "refresh"
    expires_at: float | None = None
    revoked: bool = False
    org_wide: bool = False

    def usable(self) -> bool:
        return not self.revoked and (self.expires_at is None or time.time() < self.expires_at)


class OAuthSide:
    """Workspaces and the tokens issued to them (mixed into `SlackStandIn`)."""

    _lock: threading.Condition

    def _init_oauth(self) -> None:
        # The app's credentials, workspaces (team -> its enterprise), what belongs to which
        # workspace (channels, users), and every token issued.
        self.client_id = "1234.5678"
        self.client_secret = "fake-client-secret"
        self.redirect_url: str | None = None  # where /oauth/v2/authorize sends the browser
        self.token_expires_in: int | None = None  # set: rotating tokens with this lifetime
        self.teams: dict[str, str | None] = {}
        self.owners: dict[str, str] = {}  # channel or user id -> team
        self.tokens: dict[str, Token] = {}
        self._codes: dict[str, dict[str, Any]] = {}

    def add_team(
        self,
        team: str,
        *,
        enterprise: str | None = None,
        channels: tuple[str, ...] = (),
        users: tuple[str, ...] = (),
    ) -> None:
        """A workspace (of `enterprise`, if given) owning these channels and users: a call that
        names one of them with another workspace's token is refused (`invalid_auth`)."""
        with self._lock:
            self.teams[team] = enterprise
            for owned in (*channels, *users):
                self.owners[owned] = team

    def authorize(
        self, state: str, *, team: str, user: str = "U0INSTALL", org_wide: bool = False
    ) -> str:
        """What Slack's /oauth/v2/authorize does once a person approves: a code, and the URL the
        browser is sent back to (`redirect_url` with `code` and `state`)."""
        with self._lock:
            code = secrets.token_hex(8)
            self._codes[code] = {"team": team, "user": user, "org_wide": org_wide}
            assert self.redirect_url, "set standin.redirect_url to the app's /slack/oauth_redirect"
            return f"{self.redirect_url}?{urlencode({'code': code, 'state': state})}"

    def expire_tokens(self, team: str) -> None:
        """Make every access token of the workspace expire now (Slack would refuse them)."""
        with self._lock:
            for token in self.tokens.values():
                if token.team == team and token.kind == "bot":
                    token.expires_at = time.time() - 1

    def live_tokens(self, team: str) -> list[str]:
        """The workspace's access tokens that still work."""
        with self._lock:
            return [
                t
                for t, info in self.tokens.items()
                if info.kind == "bot" and info.usable() and team in (info.team, None)
            ]

    def _refused(self, call: Call) -> dict[str, Any] | None:
        """`invalid_auth` for an expired, revoked or unknown OAuth token, or a call naming a
        channel or user of another workspace; None when the call may go on."""
        bearer = call.headers.get("authorization", "").removeprefix("Bearer ")
        info = self.tokens.get(bearer)
        if info is None:
            # Tokens of the single-workspace mode ("xoxb-fake-token") are the playground's;
            # an OAuth-looking one the stand-in never issued is refused.
            return {"ok": False, "error": "invalid_auth"} if bearer.startswith("xoxe") else None
        if info.kind != "bot" or not info.usable():
            return {"ok": False, "error": "invalid_auth"}
        call.team = info.team
        named = [call.args.get(k) for k in ("channel", "user", "users", "channel_id")]
        for value in named:
            owner = self.owners.get(str(value or "").split(",")[0])
            if owner is None:
                continue
            same_org = info.org_wide and self.teams.get(owner) == info.enterprise
            if owner != info.team and not same_org:
                return {"ok": False, "error": "invalid_auth"}
            call.team = owner
        return None

    def _issue(self, team: str | None, enterprise: str | None, org_wide: bool) -> dict[str, Any]:
        lifetime = self.token_expires_in
        access = ("xoxe.xoxb-" if lifetime else "xoxb-") + secrets.token_hex(12)
        self.tokens[access] = Token(
            team, enterprise, "bot", time.time() + lifetime if lifetime else None, org_wide=org_wide
        )
        issued: dict[str, Any] = {"access_token": access}
        if lifetime:
            refresh = "xoxe-1-" + secrets.token_hex(12)
            self.tokens[refresh] = Token(team, enterprise, "refresh", org_wide=org_wide)
            issued.update(refresh_token=refresh, expires_in=lifetime)
        return issued

    def _oauth_access(self, a: dict[str, Any], headers: dict[str, str]) -> dict[str, Any]:
        """oauth.v2.access: an authorization code, or a refresh token, for rotating tokens."""
        basic = headers.get("authorization", "").removeprefix("Basic ")
        try:
            client_id, _, secret = base64.b64decode(basic).decode().partition(":")
        except (ValueError, UnicodeDecodeError):
            client_id, secret = a.get("client_id", ""), a.get("client_secret", "")
        if (client_id, secret) != (self.client_id, self.client_secret):
            return {"ok": False, "error": "invalid_client_id"}
        if a.get("grant_type") == "refresh_token":
            old = self.tokens.get(str(a.get("refresh_token")))
            if old is None or old.kind != "refresh" or old.revoked:
                return {"ok": False, "error": "invalid_refresh_token"}
            old.revoked = True  # a refresh token is used once
            for token in self.tokens.values():  # the access tokens it replaces stop working
                if token.kind == "bot" and (token.team, token.enterprise) == (
                    old.team,
                    old.enterprise,
                ):
                    token.revoked = True
            team, enterprise, org_wide = old.team, old.enterprise, old.org_wide
            user = None
        else:
            grant = self._codes.pop(str(a.get("code")), None)
            if grant is None:
                return {"ok": False, "error": "invalid_code"}
            org_wide = bool(grant["org_wide"])
            enterprise = self.teams.get(grant["team"])
            team = None if org_wide else grant["team"]
            user = grant["user"]
            for token in self.tokens.values():  # a reinstall replaces the tokens
                if (token.team, token.enterprise) == (team, enterprise):
                    token.revoked = True
        issued = self._issue(team, enterprise, org_wide)
        return {
            "ok": True,
            "app_id": "A0RAGFT",
            "token_type": "bot",
            "scope": "commands,chat:write,users:read",
            "bot_user_id": BOT_USER_ID,
            "team": {"id": team, "name": f"Team {team}"} if team else None,
            "enterprise": {"id": enterprise, "name": f"Org {enterprise}"} if enterprise else None,
            "is_enterprise_install": org_wide,
            **({"authed_user": {"id": user}} if user else {}),
            **issued,
        }
