"""The answer to a direct message that is not part of an interview: short help and a button."""

from __future__ import annotations

from slack_sdk.models.blocks import ActionsBlock, ButtonElement

from bot.views import text as t
from bot.views._blocks import SlackMessage, sections, to_dicts
from bot.views.action_ids import START_ACTION


def direct_message_help() -> SlackMessage:
    """What ragft is, how to start here, and a button that starts an assessment in the DM."""
    blocks = [
        *sections(t.DM_HELP),
        ActionsBlock(
            block_id="ragft_dm_start",
            elements=[
                ButtonElement(text=t.DM_START, action_id=START_ACTION, value="", style="primary")
            ],
        ),
    ]
    return SlackMessage(text=t.DM_HELP, blocks=to_dicts(blocks))
