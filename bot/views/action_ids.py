"""Every Block Kit action id the app sends and listens for; clients depend on these values."""

from __future__ import annotations

ANSWER_ACTION = "ragft_answer"  # ragft_answer_<n>: unique within a message
GAPS_ACTION = "ragft_gaps"
GAPS_DONE_ACTION = "ragft_gaps_done"
CONTROL_ACTION = "ragft_control"  # ragft_control_<command>
CONTROL_PREFIX = CONTROL_ACTION + "_"
EXPORT_ACTION = "ragft_export"
ASSUMPTIONS_ACTION = "ragft_assumptions"  # under a recommendation: every figure, to you alone
REASSESS_ACTION = "ragft_reassess"
START_ACTION = "ragft_start"  # under the DM help: start an assessment in the DM
SHARE_ACTION = "ragft_share"  # under `/ragft show`: post the summary in the channel
FORGET_CONFIRM_ACTION = "ragft_forget_confirm"
REVISIT_REASSESS_ACTION = "ragft_revisit_reassess"
REVISIT_SNOOZE_ACTION = "ragft_revisit_snooze"
REVISIT_DISMISS_ACTION = "ragft_revisit_dismiss"
HOME_FILTER_ACTION = "ragft_home_filter"  # ragft_home_filter_<all|mine|overdue>
HOME_NEW_ACTION = "ragft_home_new"
PURGE_CONFIRM_ACTION = "ragft_purge_confirm"
TAKE_OVER_ACTION = "ragft_take_over"
ACCEPT_ACTION = "ragft_accept"  # a decision's lifecycle (bot/listeners/decisions.py)
RETIRE_ACTION = "ragft_retire"
CANVAS_ACTION = "ragft_canvas"  # Publish as canvas (bot/listeners/canvas.py)
AGENT_MINE_ACTION = "ragft_agent_mine"  # the Messages tab's prompts (bot/listeners/agent.py)
AGENT_DUE_ACTION = "ragft_agent_due"
