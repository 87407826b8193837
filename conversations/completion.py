"""Finishing an interview: the profile goes to the engine and the result becomes a record."""

from __future__ import annotations

from datetime import date, datetime

import engine
from conversations import _plan as plan
from conversations.catalogue import bundled_catalogue
from conversations.revisit_timing import Period
from conversations.state import (
    RECORD_FORMAT,
    AssessmentRecord,
    Completed,
    Effect,
    InterviewState,
    PastDecision,
    Reply,
)
from engine.prices import names_a_model


def complete(
    state: InterviewState,
    effects: list[Effect],
    *,
    revisit_after: Period,
    now: datetime,
    calibration: engine.Calibration | None = None,
) -> tuple[InterviewState, list[Effect]]:
    """Assess the answers; on success the state is completed and carries no open question."""
    walked = plan.walk(state.answers)
    profile = plan.profile_of(state.answers, walked)
    decided_on: date = now.date()
    revisit_on: date = (now + revisit_after).date()
    try:
        assessment = engine.assess(
            engine.parse_profile(profile),
            decided_on=decided_on,
            revisit_on=revisit_on,
            calibration=calibration,
            prices=bundled_catalogue(decided_on) if names_a_model(profile) else None,
        )
    except engine.ProfileError as error:
        # Should not happen (every path is checked by a property test); keep the interview open.
        return state, [Reply(f"I couldn't assess these answers: {error}. Use `back` to fix them.")]
    history: list[PastDecision] = []
    created_at = now.isoformat()
    if state.previous is not None:
        old = state.previous
        past = {k: old.get(k) for k in ("decided_on", "revisit_on", "profile", "result")}
        history = [PastDecision.model_validate(h) for h in (*old.get("history", []), past)]
        created_at = old.get("created_at", created_at)
    record = AssessmentRecord(
        record_format=RECORD_FORMAT,
        assessment_id=state.assessment_id,
        team=state.team,
        channel=state.channel,
        thread_ts=state.thread_ts,
        owner=state.owner,
        name=str(state.answers.top.get("name", "")),
        answers=walked.workloads,
        profile=profile,
        result=assessment,
        decided_on=decided_on.isoformat(),
        revisit_on=revisit_on.isoformat(),
        history=history,
        created_at=created_at,
    )
    done = state.model_copy(update={"status": "completed", "current": None})
    data = record.model_dump(mode="json")
    return done, [*effects, Completed(state.assessment_id, data)]
