"""The Workflow Builder step end to end: the stand-in sends `function_executed` (signed, as
Slack does), the interview runs in the step's channel for its owner, and the step ends with
`functions.completeSuccess` and the decision's outputs, or `functions.completeError` when the
interview is cancelled; a restart in the middle loses nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from bot.standin.server import SlackStandIn
from bot.views import text as t
from tests.e2e.harness import WebProcess
from tests.e2e.test_interview import (
    CHANNEL,
    OWNER,
    REPLIES,
    answer_all,
    next_step,
    questions,
    reply,
)

pytestmark = pytest.mark.slow


def run_step(web: WebProcess, standin: SlackStandIn, name: str = "Flow bot") -> tuple[str, str]:
    """Send the step's event; (execution id, thread ts) once the first question is asked."""
    before = {m["ts"] for m in standin.bot_messages(CHANNEL)}
    inputs = {"channel_id": CHANNEL, "owner_id": OWNER, "workload_name": name}
    event = standin.function_execution("assess_workload", inputs)
    assert web.sender.event(event).status == 200
    root = standin.wait_for(
        lambda: next(
            (
                m
                for m in standin.bot_messages(CHANNEL)
                if m["ts"] not in before and not m.get("thread_ts") and f"<@{OWNER}>" in m["text"]
            ),
            None,
        )
    )
    standin.wait_for(lambda: questions(standin, root["ts"]))
    return str(event["function_execution_id"]), str(root["ts"])


def ended(standin: SlackStandIn, execution_id: str) -> dict[str, Any]:
    standin.wait_for(lambda: standin.executions[execution_id]["state"] != "running", timeout=15)
    return standin.executions[execution_id]


def test_the_step_completes_with_the_decisions_outputs(
    web: WebProcess, standin: SlackStandIn
) -> None:
    execution_id, thread = run_step(web, standin)
    assert "Flow bot" in str(standin.bot_messages(CHANNEL))
    rec = answer_all(web.sender, standin, thread)
    execution = ended(standin, execution_id)
    assert execution["state"] == "completed"
    outputs = execution["outputs"]
    payload = rec["metadata"]["event_payload"]
    assert outputs["assessment_id"] == payload["assessment_id"]
    assert outputs["pattern"] == payload["workloads"][0]["pattern"] == "rag_prompting"
    assert 0 < outputs["three_year_usd_low"] <= outputs["three_year_usd_high"]
    assert outputs["revisit_on"] == payload["revisit_on"]
    assert outputs["record_url"].endswith(f"/archives/{CHANNEL}/p{rec['ts'].replace('.', '')}")
    success = standin.calls_to("functions.completeSuccess")
    assert len(success) == 1
    assert success[0].headers["authorization"].startswith("Bearer xwfp-")


def test_a_cancelled_interview_fails_the_step(web: WebProcess, standin: SlackStandIn) -> None:
    execution_id, thread = run_step(web, standin)
    reply(web.sender, standin, thread, "cancel")
    standin.wait_for(
        lambda: (
            len(standin.bot_messages(CHANNEL)) and "yes" in str(standin.bot_messages(CHANNEL)[-1])
        )
    )
    reply(web.sender, standin, thread, "yes")
    execution = ended(standin, execution_id)
    assert execution["state"] == "failed" and execution["error"] == t.STEP_CANCELLED
    assert not standin.calls_to("functions.completeSuccess")


def test_the_step_survives_a_restart_mid_interview(web: WebProcess, standin: SlackStandIn) -> None:
    execution_id, thread = run_step(web, standin)
    for _ in range(3):
        seen = len(questions(standin, thread))
        qid = questions(standin, thread)[-1]["metadata"]["event_payload"]["question_id"]
        reply(web.sender, standin, thread, REPLIES[qid])
        assert next_step(standin, thread, seen) is not None
    web.restart()
    answer_all(web.sender, standin, thread)
    assert ended(standin, execution_id)["state"] == "completed"


def test_an_expired_interview_fails_the_step(
    start_web: Callable[..., WebProcess], standin: SlackStandIn
) -> None:
    """An interview left unanswered past INTERVIEW_TTL fails its step, said by the clock."""
    web = start_web(env={"INTERVIEW_TTL": "PT2S", "REVISIT_TICK_SECONDS": "0.5"}, with_ticker=True)
    execution_id, _ = run_step(web, standin)
    execution = ended(standin, execution_id)
    assert execution["state"] == "failed" and execution["error"] == t.STEP_EXPIRED
