"""Workflow Builder: the app's step "Assess an LLM workload" (`assess_workload`), handled with
Bolt's `app.function`. The `function_executed` event starts the interview in the step's
channel for its owner, exactly as `/ragft assess` would there; the step stays open until the
interview ends (`bot.workflow_steps`), so the execution id is kept with the thread.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any

from bot import payload
from bot.interview import start_assessment
from bot.log import get_logger, log_context
from bot.views import text as t
from bot.workflow_steps import CALLBACK_ID, links
from conversations.storage.workflows import StepLink

if TYPE_CHECKING:
    from slack_bolt import Fail
    from slack_sdk import WebClient

    from bot.listeners.lazily import Lazily
    from bot.services import Services

log = get_logger(__name__)


def on_assess_workload(
    services: Services,
    body: dict[str, Any],
    event: dict[str, Any],
    inputs: dict[str, Any],
    client: WebClient,
    fail: Fail,
) -> None:
    """Start the interview in `channel_id` for `owner_id`; the step completes when it ends."""
    team = payload.team_id(body)
    channel, owner = str(inputs.get("channel_id") or ""), str(inputs.get("owner_id") or "")
    if not (channel and owner):
        fail(t.STEP_MISSING_INPUTS)
        return
    with log_context(team=team, channel=channel):
        try:
            where = start_assessment(
                client,
                services,
                team=team,
                channel=channel,
                user=owner,
                name=str(inputs.get("workload_name") or ""),
            )
        except Exception:
            fail(t.STEP_NOT_STARTED)  # the execution would otherwise wait for ever
            raise
        link = StepLink(str(event["function_execution_id"]), str(event["bot_access_token"]))
        links(services).link(where, link)
        log.info("workflow_step_started", execution_id=link.execution_id)


def register(app: Lazily, services: Services) -> None:
    """Listen to the step's `function_executed` events."""
    app.function(CALLBACK_ID)(partial(on_assess_workload, services))
