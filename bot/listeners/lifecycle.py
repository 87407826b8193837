"""A workspace's life with the app: an admin deleting its data; in OAuth mode, uninstalls and
revoked tokens.

Tokens are deleted at once; the workspace's data is kept for RAGFT_RETENTION_DAYS (its
revisits wait meanwhile), so a reinstall finds everything as it was; then a clock purges it.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any

from bot import payload
from bot.access import is_admin
from bot.log import get_logger, log_context
from bot.views import text as t
from bot.views.action_ids import PURGE_CONFIRM_ACTION
from conversations.storage.workspaces import purge_team

if TYPE_CHECKING:
    from slack_bolt import BoltContext, Respond
    from slack_sdk import WebClient

    from bot.listeners.lazily import Lazily
    from bot.services import Services

log = get_logger(__name__)


def _enterprise(body: dict[str, Any]) -> str | None:
    enterprise = body.get("enterprise_id") or (body.get("enterprise") or {}).get("id")
    return str(enterprise) if enterprise else None


def _departed(services: Services, body: dict[str, Any], context: BoltContext) -> None:
    """Mark the workspace departed; for an org-wide install, every workspace of the org."""
    assert services.workspaces is not None
    team, enterprise = payload.team_id(body), _enterprise(body)
    teams = {team} if team else set()
    if enterprise and context.is_enterprise_install:
        teams.update(services.workspaces.org_teams(enterprise))
    for departed in sorted(teams):
        services.workspaces.departed(departed, services.clock().timestamp())


def on_app_uninstalled(services: Services, body: dict[str, Any], context: BoltContext) -> None:
    """Delete every token of the workspace (or org) now; keep its data for the retention.

    The departure is written first: once the tokens are gone the org's workspaces can no
    longer be found through them, and a retry after a failure in between finds them again.
    """
    assert services.installations is not None and services.workspaces is not None
    team, enterprise = payload.team_id(body), _enterprise(body)
    with log_context(team=team):
        _departed(services, body, context)
        services.installations.delete_all(enterprise_id=enterprise, team_id=team or None)
        log.info("app_uninstalled", enterprise=enterprise)


def on_tokens_revoked(
    services: Services, body: dict[str, Any], event: dict[str, Any], context: BoltContext
) -> None:
    """Delete the revoked tokens; a revoked bot token means the workspace has left."""
    assert services.installations is not None and services.workspaces is not None
    team, enterprise = payload.team_id(body), _enterprise(body)
    tokens = event.get("tokens") or {}
    with log_context(team=team):
        for user in tokens.get("oauth") or []:
            services.installations.delete_installation(
                enterprise_id=enterprise, team_id=team or None, user_id=str(user)
            )
        if tokens.get("bot"):
            _departed(services, body, context)
            services.installations.delete_all(enterprise_id=enterprise, team_id=team or None)
        log.info("tokens_revoked", bots=len(tokens.get("bot") or []))


def on_purge(
    services: Services,
    body: dict[str, Any],
    action: dict[str, Any],
    client: WebClient,
    respond: Respond,
) -> None:
    """The confirmed purge-workspace: an admin (checked again) deletes every team key."""
    team, user = payload.team_id(body), payload.user_id(body)
    if action.get("value") != team or not is_admin(client, user):
        respond(text=t.PURGE_REFUSED, response_type="ephemeral", replace_original=False)
        return
    with log_context(team=team):
        count = purge_team(services.store.client, team, services.revisits.cancel)
        log.info("workspace_purged", keys=count)
        services.store.rewrite_log()
        respond(text=t.PURGE_DONE.format(count=count), replace_original=True)


def note_org(services: Services, context: BoltContext, next: Callable[[], None]) -> None:
    """Remember each workspace's org, so that work outside a request finds its org install."""
    if services.workspaces is not None and context.enterprise_id and context.team_id:
        services.workspaces.note_org(context.team_id, context.enterprise_id)
    next()


def register(app: Lazily, services: Services) -> None:
    """Listen to the purge button; in OAuth mode, to the lifecycle events."""
    app.action(PURGE_CONFIRM_ACTION)(partial(on_purge, services))
    if services.workspaces is None:
        return
    app.use(partial(note_org, services))
    app.event("app_uninstalled")(partial(on_app_uninstalled, services))
    app.event("tokens_revoked")(partial(on_tokens_revoked, services))
