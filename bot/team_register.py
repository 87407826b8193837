"""The team's decision register: every completed assessment of a workspace, and who owns it.

The index is a hash per team, `ragft:{T}:assessments` (assessment id -> owner), filled when an
assessment completes; a team whose data predates it is indexed once from its keys. Moving an
assessment to another owner (`transfer`) and purging a whole workspace live here too.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from bot.log import get_logger
from conversations.state import AssessmentRecord
from conversations.storage import keys
from conversations.storage._redis import as_str, redis_errors
from conversations.storage.decisions import DecisionStore

if TYPE_CHECKING:
    import redis
    from slack_sdk import WebClient

log = get_logger(__name__)


@dataclass(frozen=True)
class RegisterRow:
    """One decision in the register."""

    record: AssessmentRecord
    overdue: bool
    status: str = "proposed"  # the decision's lifecycle (conversations/storage/decisions.py)


def index(redis_client: redis.Redis, team: str, assessment_id: str, owner: str) -> None:
    """Put (or move) one assessment in the team's register."""
    with redis_errors():
        redis_client.hset(keys.team_assessments(team), assessment_id, owner)


def rows(redis_client: redis.Redis, team: str, today: date) -> list[RegisterRow]:
    """The team's decisions: overdue revisits first, then by revisit date."""
    with redis_errors():
        listed = (as_str(k) for k in redis_client.hkeys(keys.team_assessments(team)))
        ids = sorted(i for i in listed if i != "-")
        raws = redis_client.mget([keys.assessment(team, i) for i in ids]) if ids else []
    records = [AssessmentRecord.model_validate_json(r) for r in raws if r is not None]
    lifecycles = DecisionStore(redis_client).get_many(records)
    out = []
    for r in records:
        status = lifecycles[r.assessment_id].status()
        overdue = status != "retired" and r.revisit_on < today.isoformat()
        out.append(RegisterRow(r, overdue, status))
    return sorted(out, key=lambda row: (not row.overdue, row.record.revisit_on, row.record.name))


def is_admin(client: WebClient, user: str) -> bool:
    """True for a workspace admin or owner (`users.info`)."""
    found: dict[str, Any] = client.users_info(user=user).get("user") or {}
    return bool(found.get("is_admin") or found.get("is_owner"))


def is_deactivated(client: WebClient, user: str) -> bool:
    """True when Slack says the person's account is deactivated (`deleted: true`)."""
    found: dict[str, Any] = client.users_info(user=user).get("user") or {}
    return bool(found.get("deleted"))


def transfer(
    redis_client: redis.Redis, record: AssessmentRecord, new_owner: str
) -> AssessmentRecord:
    """Give the assessment (and its revisits, which follow the record's owner) to `new_owner`."""
    moved = record.model_copy(update={"owner": new_owner})
    team = record.team
    with redis_errors():
        pipe = redis_client.pipeline(transaction=True)
        pipe.set(keys.assessment(team, record.assessment_id), moved.model_dump_json())
        pipe.srem(keys.user_assessments(team, record.owner), record.assessment_id)
        pipe.sadd(keys.user_assessments(team, new_owner), record.assessment_id)
        pipe.hset(keys.team_assessments(team), record.assessment_id, new_owner)
        pipe.execute()
    log.info("assessment_transferred", team=team, assessment_id=record.assessment_id)
    return moved


def purge_team(
    redis_client: redis.Redis, team: str, cancel_revisit: Callable[[str, str], None]
) -> int:
    """Delete every key of the workspace's data (not its installation) and its revisits."""
    kept = (keys.installation_pattern(team).removesuffix("*"), keys.workspace(team))
    deleted = 0
    with redis_errors():
        found = [
            key
            for key in (as_str(k) for k in redis_client.scan_iter(match=keys.team_pattern(team)))
            if not key.startswith(kept)
        ]
        marker = keys.assessment(team, "")
        for key in found:
            if key.startswith(marker):
                cancel_revisit(team, key.removeprefix(marker))
        for start in range(0, len(found), 500):
            deleted += int(redis_client.delete(*found[start : start + 500]))
        redis_client.zrem(keys.DEPARTED, team)
        redis_client.hdel(keys.workspace(team), "departed_at")
    log.info("workspace_purged", team=team, keys=deleted)
    return deleted
