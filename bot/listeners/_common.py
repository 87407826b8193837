"""What more than one listener reads from the store: the person's assessments, as summaries."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.log import get_logger
from bot.views import AssessmentSummary
from conversations.storage.decisions import DecisionStore

if TYPE_CHECKING:
    from bot.services import Services

log = get_logger(__name__)


def summaries(services: Services, team: str, user: str) -> list[AssessmentSummary]:
    """The person's completed assessments, newest first, then the interviews still open."""
    items: list[AssessmentSummary] = []
    records = services.store.list_assessments(team, user)
    lifecycles = DecisionStore(services.store.client).get_many(records)
    for record in reversed(records):
        status = services.revisits.status(team, record.assessment_id)
        snoozed = status.snoozed_until if status is not None else None
        items.append(
            AssessmentSummary(
                assessment_id=record.assessment_id,
                name=record.name,
                status="completed",
                decided_on=record.decided_on,
                revisit_on=record.revisit_on,
                snoozed_until=snoozed.date().isoformat() if snoozed is not None else None,
                patterns=list(record.result.patterns()),
                decision=lifecycles[record.assessment_id].status(),
            )
        )
    for state in services.store.list_interviews(team, user):
        if any(i.assessment_id == state.assessment_id for i in items):
            continue  # a re-assessment in progress: the completed line already shows it
        items.append(
            AssessmentSummary(
                assessment_id=state.assessment_id,
                name=str(state.answers.top.get("name", "")),
                status="in_progress",
            )
        )
    return items
