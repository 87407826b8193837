"""Small pure helpers shared by the listeners: who, where, which assessment."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bot.errors import UnknownAssessment
from bot.views import AssessmentSummary

if TYPE_CHECKING:
    from bot.services import Services
    from conversations.state import AssessmentRecord


def team_of(body: dict[str, Any]) -> str:
    """The workspace id of any Slack request body."""
    team = body.get("team_id") or (body.get("team") or {}).get("id")
    return str(team or (body.get("event") or {}).get("team") or "")


def owned_record(services: Services, team: str, user: str, assessment_id: str) -> AssessmentRecord:
    """The completed assessment `assessment_id` of `user`, or UnknownAssessment."""
    record = services.store.get_assessment(team, assessment_id) if assessment_id else None
    if record is None or record.owner != user:
        raise UnknownAssessment(assessment_id or "?")
    return record


def summaries(services: Services, team: str, user: str) -> list[AssessmentSummary]:
    """The person's completed assessments, newest first, then the interviews still open."""
    items: list[AssessmentSummary] = []
    for record in reversed(services.store.list_assessments(team, user)):
        snoozed = None
        status = services.revisit_status
        if status is not None:
            snoozed = status.snoozed_until(team, record.assessment_id)
        items.append(
            AssessmentSummary(
                assessment_id=record.assessment_id,
                name=record.name,
                status="completed",
                decided_on=record.decided_on,
                revisit_on=record.revisit_on,
                snoozed_until=snoozed,
                patterns=[str(w.get("pattern")) for w in record.result.get("workloads", [])],
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
