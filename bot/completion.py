"""What follows a completed interview in Slack: the revisit hooks, the recommendation, what a
re-assessment changed, the decision's canvas and the cost charts."""

from __future__ import annotations

import contextvars
from typing import TYPE_CHECKING, Any

from bot.canvases import refresh
from bot.chart_process import drawn
from bot.log import get_logger
from bot.posting import post
from bot.services import CompletedAssessment, Services
from bot.views import recommendation_messages
from bot.views import text as t
from bot.views.revisit import changes_blocks
from conversations.state import AssessmentRecord
from conversations.storage.keys import ThreadKey
from engine.compare import compare
from engine.result import AssessmentResult

if TYPE_CHECKING:
    from slack_sdk import WebClient

__all__ = ["changes_for", "post_charts", "post_recommendation", "working"]

log = get_logger(__name__)
CHART_PATIENCE = 120.0  # seconds to wait for a result's charts to be drawn


def working(client: WebClient, where: ThreadKey) -> None:
    """In the Messages tab (a DM thread), show that the app is at work until it posts.
    Best effort: the status is a courtesy, never a reason to fail."""
    if not where.channel.startswith("D"):
        return
    try:
        client.assistant_threads_setStatus(
            channel_id=where.channel,
            thread_ts=where.thread_ts,
            status=t.AGENT_STATUS,
            loading_messages=list(t.AGENT_LOADING),
        )
    except Exception as exc:
        log.info("status_not_shown", error=f"{exc.__class__.__name__}: {exc}")


def changes_for(record: AssessmentRecord) -> list[dict[str, Any]]:
    """The re-assessment diff, drawn by bot/views/revisit.py when it is there."""
    if not record.history:
        return []
    before = record.history[-1].result
    return changes_blocks(compare(before, record.result))


def post_recommendation(
    client: WebClient,
    services: Services,
    where: ThreadKey,
    record: AssessmentRecord,
    *,
    hooks: bool = True,
) -> list[str]:
    """Tell the `on_completed` hooks (the revisit is scheduled), then post the recommendation.

    The hooks run first so that a Slack failure while posting cannot cost the revisit.
    """
    if hooks:
        done = CompletedAssessment(
            team_id=where.team,
            channel=where.channel,
            thread_ts=where.thread_ts,
            user_id=record.owner,
            assessment_id=record.assessment_id,
            revisit_on=record.revisit_on,
            record=record,
        )
        for hook in services.on_completed:
            hook(done)
    messages = recommendation_messages(
        record.result,
        assessment_id=record.assessment_id,
        revisit_on=record.revisit_on,
        changes=changes_for(record),
    )
    posted = [post(client, where.channel, m, where.thread_ts) for m in messages]
    log.info("recommendation_posted", messages=len(posted))
    if record.history:  # a re-assessment: the decision's canvas, if any, follows it
        refresh(client, services, record, note=t.CANVAS_REASSESSED)
    post_charts(client, services, where, record.result)
    return posted


def post_charts(
    client: WebClient, services: Services, where: ThreadKey, result: AssessmentResult
) -> None:
    """One cost chart per costed workload, uploaded into the thread after the recommendation,
    by the process's chart thread (`services.charts`): the caller goes on at once.

    Best effort: a chart that cannot be drawn or uploaded is logged and skipped; the
    recommendation and its revisit are already safe when this runs. A process that stops
    sends the charts it has queued until it exits; one killed does not.
    """
    context = contextvars.copy_context()  # the chart's log lines name its team and thread
    try:
        services.charts.submit(context.run, _post_charts, client, services, where, result)
    except RuntimeError as exc:  # the process is shutting down: no new work is taken
        log.warning("chart_failed", workload=None, error=f"{exc.__class__.__name__}: {exc}")


def _post_charts(
    client: WebClient, services: Services, where: ThreadKey, result: AssessmentResult
) -> None:
    try:  # drawn in the drawing process when there is one: no step waits behind matplotlib
        if services.drawing is not None:
            charts = services.drawing.submit(drawn, result).result(timeout=CHART_PATIENCE)
        else:
            charts = drawn(result)
    except Exception as exc:  # a chart never costs the recommendation
        log.warning("chart_failed", workload=None, error=f"{exc.__class__.__name__}: {exc}")
        return
    for index, png, alt, workload in charts:
        try:
            client.files_upload_v2(
                channel=where.channel,
                thread_ts=where.thread_ts,
                content=png,
                filename=t.CHART_FILENAME.format(index=index + 1),
                alt_txt=alt[:1000],
                title=t.CHART_TITLE.format(name=workload or result.name),
            )
        except Exception as exc:  # a chart never costs the recommendation
            log.warning("chart_failed", workload=index, error=f"{exc.__class__.__name__}: {exc}")
