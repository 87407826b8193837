"""Shared helpers for the interview tests: a clock and a way to walk through questions."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from conversations import Ask, Input, InterviewState, start, step
from conversations.state import Effect

NOW = datetime(2026, 3, 5, 12, 0, tzinfo=UTC)

# A production generation workload on a large corpus, answered as people type.
FULL_RAG_WORKLOAD = {
    "workload_name": "billing answers",
    "deployment": "prod",
    "domain": "general",
    "task": "1",
    "knowledge": "corpus",
    "freshness": "daily",
    "prompt_pass": "yes",
    "baseline_pct": "about 70",
    "gaps": "format and refusal",
    "quality_target_pct": "95%",
    "frontier_ok": "yes",
    "repeat_queries": "often",
    "requests_per_day": "10k",
    "tokens_per_request": "skip",
    "model": "my own price",
    "price_per_mtok": "$4.50",
    "engineer_quarter_usd": "60,000",
}


def new(
    name: str | None = "Support bot", previous: dict[str, Any] | None = None
) -> tuple[InterviewState, list[Effect]]:
    """A fresh interview in thread C1/1.1 of team T1, owned by U1."""
    return start(
        assessment_id="a1",
        team="T1",
        channel="C1",
        thread_ts="1.1",
        owner="U1",
        now=NOW,
        name=name,
        previous=previous,
    )


def ask_of(effects: list[Effect]) -> Ask:
    """The last Ask among effects (fails the test if there is none)."""
    asks = [e for e in effects if isinstance(e, Ask)]
    assert asks, f"no question asked in {effects}"
    return asks[-1]


def send(state: InterviewState, text: str, **kw: Any) -> tuple[InterviewState, list[Effect]]:
    """Type `text` in the thread."""
    return step(state, Input(now=NOW, text=text, **kw))


def answer_by_question(
    state: InterviewState, effects: list[Effect], answers: dict[str, str], limit: int = 100
) -> tuple[InterviewState, list[Effect]]:
    """Answer each asked question from `answers` (by question id) until one has no script."""
    for _ in range(limit):
        if state.current is None or state.current.question_id not in answers:
            return state, effects
        question_id = state.current.question_id
        state, effects = send(state, answers[question_id])
    raise AssertionError("the interview did not finish")
