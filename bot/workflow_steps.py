"""The Workflow Builder step "Assess an LLM workload" (callback id `assess_workload`), the
Slack side of ending it: when the interview a step started ends, the step completes with
the decision's outputs (Bolt's `Complete`), or fails with the reason (Bolt's `Fail`), both
with the execution's own token. The listener that starts it is `bot.listeners.workflow`;
which execution belongs to which thread is kept in Redis (`conversations.storage.workflows`).
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

from slack_bolt.context.complete import Complete
from slack_bolt.context.fail import Fail
from slack_sdk import WebClient

from bot.log import get_logger
from bot.views import text as t
from conversations.storage.workflows import StepLink, WorkflowLinks

if TYPE_CHECKING:
    import redis

    from bot.services import Services
    from conversations.state import AssessmentRecord
    from conversations.storage.keys import ThreadKey

__all__ = [
    "CALLBACK_ID",
    "fail_expired",
    "links",
    "outputs",
    "step_completed",
    "step_failed",
]

CALLBACK_ID = "assess_workload"
log = get_logger(__name__)


def links(services: Services) -> WorkflowLinks:
    ttl = timedelta(milliseconds=services.store.interview_ttl_ms)
    return WorkflowLinks(services.store.client, ttl)


def _step_client(base: WebClient, link: StepLink) -> WebClient:
    """A client on the execution's own token (Slack wants it for complete and fail)."""
    return WebClient(token=link.token, base_url=base.base_url, retry_handlers=base.retry_handlers)


def outputs(record: AssessmentRecord, record_url: str) -> dict[str, Any]:
    """The step's outputs (INTERFACES.md): the first workload's pattern and three-year cost."""
    result = record.result
    first = result.workloads[0] if result.workloads else None
    low = high = 0.0
    if first is not None and first.costs is not None:
        low, high = (float(x) for x in first.costs.recommended.three_year_usd)
    return {
        "assessment_id": record.assessment_id,
        "pattern": first.pattern if first is not None else "",
        "three_year_usd_low": round(low, 2),
        "three_year_usd_high": round(high, 2),
        "revisit_on": record.revisit_on,
        "record_url": record_url,
    }


def step_completed(
    client: WebClient,
    services: Services,
    where: ThreadKey,
    record: AssessmentRecord,
    recommendation_ts: str | None,
) -> None:
    """Complete the step that started this thread's interview, if one did. Best effort: a
    call that fails puts the link back for a redelivery, and is logged."""
    store = links(services)
    link = store.take(where)
    if link is None:
        return
    try:
        url = ""
        if recommendation_ts:
            answer = client.chat_getPermalink(channel=where.channel, message_ts=recommendation_ts)
            url = str(answer.get("permalink") or "")
        Complete(_step_client(services.client, link), link.execution_id)(
            outputs=outputs(record, url)
        )
        log.info("workflow_step_completed", execution_id=link.execution_id)
    except Exception as exc:
        store.link(where, link)
        log.warning("workflow_step_not_completed", error=f"{exc.__class__.__name__}: {exc}")


def step_failed(services: Services, where: ThreadKey, reason: str) -> None:
    """Fail the step that started this thread's interview, if one did, with `reason`."""
    _fail(links(services), services.client, where, reason)


def _fail(store: WorkflowLinks, base: WebClient, where: ThreadKey, reason: str) -> None:
    link = store.take(where)
    if link is None:
        return
    try:
        Fail(_step_client(base, link), link.execution_id)(error=reason)
        log.info("workflow_step_failed", execution_id=link.execution_id, reason=reason)
    except Exception as exc:
        store.link(where, link)
        log.warning("workflow_step_not_failed", error=f"{exc.__class__.__name__}: {exc}")


def fail_expired(redis_client: redis.Redis, base: WebClient, interview_ttl: timedelta) -> int:
    """Fail every step whose interview expired unanswered (a clock's housekeeping)."""
    store = WorkflowLinks(redis_client, interview_ttl)
    orphans = store.orphans()
    for where, _ in orphans:
        _fail(store, base, where, t.STEP_EXPIRED)
    return len(orphans)
