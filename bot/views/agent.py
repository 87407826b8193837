"""The Messages tab (agent view): the greeting with its suggested prompts, and what is due."""

from __future__ import annotations

from collections.abc import Sequence

from slack_sdk.models.blocks import ActionsBlock, ButtonElement

from bot.views import text as t
from bot.views._blocks import MAX_BLOCKS, SlackMessage, sections, to_dicts
from bot.views.action_ids import AGENT_DUE_ACTION, AGENT_MINE_ACTION, START_ACTION
from bot.views.home import AssessmentSummary, summary_line

__all__ = ["PROMPTS", "agent_greeting", "due_message"]

# The suggested prompts, in the greeting and in manifest.yml (features.agent_view).
PROMPTS = (t.AGENT_ASSESS, t.AGENT_MINE, t.AGENT_DUE)


def agent_greeting(user: str) -> SlackMessage:
    """What the Messages tab shows first: who ragft is, and three prompts as buttons."""
    text = t.AGENT_GREETING.format(user=user)
    blocks = [
        *sections(text),
        ActionsBlock(
            block_id="ragft_agent_prompts",
            elements=[
                ButtonElement(
                    text=t.AGENT_ASSESS, action_id=START_ACTION, value="", style="primary"
                ),
                ButtonElement(text=t.AGENT_MINE, action_id=AGENT_MINE_ACTION, value="mine"),
                ButtonElement(text=t.AGENT_DUE, action_id=AGENT_DUE_ACTION, value="due"),
            ],
        ),
    ]
    return SlackMessage(text=text, blocks=to_dicts(blocks))


def due_message(items: Sequence[AssessmentSummary], today: str, horizon: str) -> SlackMessage:
    """The person's decisions whose revisit is overdue or due by `horizon` (ISO dates)."""
    due = sorted(
        (
            i
            for i in items
            if i.status == "completed"
            and i.decision != "retired"
            and i.revisit_on
            and i.revisit_on <= horizon
        ),
        key=lambda i: i.revisit_on or "",
    )
    if not due:
        return SlackMessage(
            text=t.AGENT_NOTHING_DUE, blocks=to_dicts(sections(t.AGENT_NOTHING_DUE))
        )
    lines = [t.AGENT_DUE_HEADER] + [
        (t.REGISTER_OVERDUE if (i.revisit_on or "") < today else "") + summary_line(i) for i in due
    ]
    body = "\n".join(lines)
    return SlackMessage(text=t.AGENT_DUE_HEADER, blocks=to_dicts(sections(body))[:MAX_BLOCKS])
