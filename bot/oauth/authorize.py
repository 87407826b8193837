"""Bolt's authorize on our installation store, and the `App` arguments for OAuth mode.

- `LockingAuthorize`: Bolt's installation-store authorize, with the app's client (so refreshes
  go to SLACK_API_URL), a cache of `auth.test` per token, and `Refresher`
  (`installations.py`) for expiring tokens. The web app's one raises `NotInstalled` for a
  workspace that has no installation (it uninstalled the app).
- `bolt_oauth`: the `App` arguments for OAuth mode.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from slack_bolt.authorization import AuthorizeResult
from slack_bolt.authorization.authorize import InstallationStoreAuthorize
from slack_sdk.oauth.installation_store import Installation

from bot.oauth.states import STATE_TTL_SECONDS

if TYPE_CHECKING:
    from slack_bolt.context import BoltContext
    from slack_sdk import WebClient
    from slack_sdk.oauth.state_store import OAuthStateStore

    from bot.oauth.installations import Refresher
    from bot.oauth.workspaces import Workspaces
    from bot.settings import Settings

__all__ = ["AuthorizeFailed", "LockingAuthorize", "NotInstalled", "bolt_oauth"]


class NotInstalled(Exception):
    """A request from a workspace with no installation: the app was uninstalled there."""

    def __init__(self, enterprise_id: str | None, team_id: str | None) -> None:
        super().__init__(f"not installed: {team_id or enterprise_id}")
        self.enterprise_id = enterprise_id
        self.team_id = team_id


class AuthorizeFailed(Exception):
    """The workspace is installed, yet its token could not be checked (auth.test failed):
    the person is told to try again, and nobody is told to reinstall."""


class LockingAuthorize(InstallationStoreAuthorize):
    """Bolt's authorize on our store, refreshing expiring tokens through `Refresher`.

    With `not_installed_raises`, a workspace with neither an installation nor a bot raises
    `NotInstalled` instead of Bolt's answer (a "please reinstall" reply to the person), and
    an installed one whose token could not be checked raises `AuthorizeFailed`.
    """

    def __init__(
        self, *, refresher: Refresher, not_installed_raises: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)
        self.refresher = refresher
        self.token_rotator = refresher.rotator
        self.token_rotation_expiration_minutes = refresher.minutes
        self.not_installed_raises = not_installed_raises

    def __call__(
        self,
        *,
        context: BoltContext,
        enterprise_id: str | None,
        team_id: str | None,
        user_id: str | None,
        **kwargs: Any,
    ) -> AuthorizeResult | None:
        result = super().__call__(
            context=context,
            enterprise_id=enterprise_id,
            team_id=team_id,
            user_id=user_id,
            **kwargs,
        )
        if result is None and self.not_installed_raises:
            # None also means Slack refused the token; only a missing installation is final.
            org_wide = context.is_enterprise_install
            store = self.installation_store
            if (
                store.find_installation(
                    enterprise_id=enterprise_id, team_id=team_id, is_enterprise_install=org_wide
                )
                is None
                and store.find_bot(
                    enterprise_id=enterprise_id, team_id=team_id, is_enterprise_install=org_wide
                )
                is None
            ):
                raise NotInstalled(enterprise_id, team_id)
            raise AuthorizeFailed(f"the token of {team_id or enterprise_id} was not checked")
        return result

    def _rotate_and_save_tokens_if_necessary(
        self, installation: Installation | None
    ) -> Installation | None:
        if installation is None:
            return None
        refreshed = self.refresher.fresh(installation)
        self._prime(refreshed or installation)
        return refreshed

    def _prime(self, installation: Installation) -> None:
        """What `auth.test` would say of the bot token, from the installation that holds it.

        Bolt calls `auth.test` once per token it has not seen; the installation already names
        the bot, so a workspace's first request (and the first after each token rotation)
        does not wait on a Web API call.
        """
        token = installation.bot_token
        if not (self.cache_enabled and token and installation.bot_user_id):
            return
        if token not in self.authorize_result_cache:
            self.authorize_result_cache[token] = AuthorizeResult(
                enterprise_id=installation.enterprise_id,
                team_id=installation.team_id,
                bot_id=installation.bot_id,
                bot_user_id=installation.bot_user_id,
                bot_token=token,
                bot_scopes=installation.bot_scopes,
            )


def bolt_oauth(
    settings: Settings,
    workspaces: Workspaces | None,
    states: OAuthStateStore | None,
    client: WebClient,
    *,
    not_installed_raises: bool = False,
) -> dict[str, Any]:
    """`App(**bolt_oauth(...))`'s OAuth arguments; {} with a single SLACK_BOT_TOKEN.

    The installation store goes to `App` itself too, and `authorize` is ours: Bolt 1.30's
    `OAuthSettings` would otherwise refresh tokens with a default client on slack.com.
    `not_installed_raises`: see `LockingAuthorize`.
    """
    if workspaces is None or not (settings.slack_client_id and settings.slack_client_secret):
        return {}
    import logging

    from slack_bolt.oauth.oauth_settings import OAuthSettings

    oauth_settings = OAuthSettings(
        client_id=settings.slack_client_id,
        client_secret=settings.slack_client_secret,
        scopes=settings.scopes,
        installation_store=workspaces.store,
        state_store=states,
        state_expiration_seconds=STATE_TTL_SECONDS,
        authorization_url=settings.slack_web_url + "oauth/v2/authorize",
        token_rotation_expiration_minutes=settings.token_refresh_minutes,
    )
    authorize = LockingAuthorize(
        refresher=workspaces.refresher,
        logger=logging.getLogger("slack_bolt.authorize"),
        installation_store=workspaces.store,
        client_id=settings.slack_client_id,
        client_secret=settings.slack_client_secret,
        client=client,
        cache_enabled=True,  # one auth.test per token, not one per request
        not_installed_raises=not_installed_raises,
    )
    return {
        "oauth_settings": oauth_settings,
        "installation_store": workspaces.store,
        "authorize": authorize,
    }
