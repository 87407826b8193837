"""Distribution over OAuth: installations and OAuth states in Redis, tokens kept fresh.

- `installations.py`: `RedisInstallationStore`, one JSON per installation under the owner's
  hash tag (the workspace's, or `E<enterprise>` for an org-wide install); `Refresher`, one
  refresh per installation at a time, under a Redis lock.
- `states.py`: `RedisOAuthStateStore`, each state used once and expiring.
- `authorize.py`: `LockingAuthorize` (Bolt's authorize on our store) and `bolt_oauth` (the
  `App` arguments).
- `workspaces.py`: `Workspaces`, a workspace's token for work outside a request, its org, and
  its lifecycle (uninstalled, reinstalled, purged after the retention period).
"""

from __future__ import annotations

from bot.oauth.authorize import (
    AuthorizeFailed,
    LockingAuthorize,
    NotInstalled,
    bolt_oauth,
)
from bot.oauth.installations import RedisInstallationStore, Refresher
from bot.oauth.states import RedisOAuthStateStore
from bot.oauth.workspaces import Workspaces

__all__ = [
    "AuthorizeFailed",
    "LockingAuthorize",
    "NotInstalled",
    "RedisInstallationStore",
    "RedisOAuthStateStore",
    "Refresher",
    "Workspaces",
    "bolt_oauth",
]
