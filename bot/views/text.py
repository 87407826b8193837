"""Every sentence the Slack app shows, in one place (our own words, not the article's)."""

from __future__ import annotations

from conversations.questions import QUESTIONS

# Patterns, fields, modifiers, money and answers are named by `engine.words`, so that the CLI,
# the decision record and Slack say the same thing. In Slack an answer reads as the interview
# offered it: these are the choices' labels (yes/no read "yes" and "no").
ANSWER_LABELS: dict[str, dict[str, str]] = {
    q.id: {c.id: c.label for c in q.choices}
    for q in QUESTIONS.values()
    if q.choices and {c.id for c in q.choices} != {"yes", "no"}
}

# `/ragft help`: the intro, one line per verb (`bot.command_text.RAGFT_VERBS` lists them, in
# this order, and builds the help), then the thread's commands.
HELP_INTRO = (
    "*ragft* helps your team pick, for each LLM workload, between retrieval (RAG), "
    "fine-tuning, both or neither — and reminds you to look again in a year."
)
HELP_ASSESS = "• `/ragft assess [name]` — start an assessment; the questions come in a thread"
HELP_LIST = (
    "• `/ragft list` — your assessments and when each is due for a revisit "
    "(`/ragft list all`: the whole workspace's)"
)
HELP_TRANSFER = (
    "• `/ragft transfer ID @person` — give an assessment and its revisits to someone else"
)
HELP_DECIDERS = (
    "• `/ragft deciders ID @person ...` — who besides you may accept or retire a decision"
)
HELP_SHOW = (
    "• `/ragft show ID` — see a recommendation again (only you), and share it in the channel"
)
HELP_CANCEL = "• `/ragft cancel ID` — stop an interview (or reply `cancel` in its thread)"
HELP_REVISIT = "• `/ragft revisit ID` — re-assess now, starting from the earlier answers"
HELP_FORGET_ME = "• `/ragft forget-me` — delete everything ragft keeps about you"
HELP_FOOTER = (
    "In a thread, reply to answer. Also understood: `back`, `skip`, `why`, `status`, "
    "`restart`, `cancel`."
)

# Before the help when the word after `/ragft` is no command (escaped, bounded, in a code span).
UNKNOWN_COMMAND = "I don't know `/ragft {word}`."
MAX_UNKNOWN_CHARS = 40

DM_HELP = (
    "Hi! I help pick, for each LLM workload, between retrieval (RAG), fine-tuning, both "
    "or neither, with the costs side by side. Start an assessment right here with the "
    "button, or type `assess Support bot` (here) or `/ragft assess Support bot` (in any "
    "channel). `/ragft help` lists everything else."
)
DM_START = "Start an assessment here"
ROOT_STARTED = (
    "<@{user}> is assessing *{name}*: RAG, fine-tuning, both or neither? "
    "The questions follow in this thread."
)
ROOT_UNNAMED = "an unnamed workload"
STALE_PRESS = (
    "That question has been answered already. The open question is <{link}|here>; "
    "answer it there, or type `back` to change an earlier answer."
)
STALE_PRESS_PENDING = (
    "That question has been answered already, and your answer is saved. "
    "The next question is on its way; you can also type your answer here."
)
STRANGER_NOTE = "Only <@{owner}> can answer this interview. Start your own with `/ragft assess`."
# The redrawn question echoes the answer as stored; user: a mention, see questions.mention.
ANSWERED = "{what}: *{answer}*, answered by {user}"
KEPT_DEFAULT = "{what}: *{answer}*, the default, kept by {user}"  # the answer `skip` took
KEPT_PREVIOUS = "{what}: *{answer}*, last time's answer, kept by {user}"  # `skip`, re-assessing
REPLY_HINT = "Reply in this thread, or use a button."
TEXT_HINT = "Reply in this thread."
NUMBER_HINT = "Reply in this thread with a number."
SET_HINT = (
    "Tick all that apply, then press *Done* (or reply, e.g. `format and refusal`, or `none`)."
)
DEFAULT_HINT = "`skip` uses {default}."
DONE = "Done"
BACK = "Back"
SKIP = "Skip"
WHY = "Why ask?"
CANCEL = "Cancel"
CONFIRM_YES = "Yes"
CONFIRM_NO = "No, carry on"
CONFIRM_YES_LABELS = {"cancel": "Yes, cancel it", "restart": "Yes, start again"}
CONFIRM_NO_LABELS = {"answer": "No, ask again"}
EXPORT = "Export decision record"
REASSESS = "Re-assess"
SHARE = "Share in channel"
SHOW_ASSUMPTIONS = "Show all assumptions"
ASSUMPTIONS_ALL = "*Every figure behind the costs of {name}*"
ASSUMPTIONS_NONE = "No workload of this assessment has costs, so there are no figures to show."
SHARED_HEADER = "Decision — {name}"
SHARED_BY = "Shared by <@{user}> · decided {decided_on} · revisit on {revisit_on}"
SHARED_FALLBACK = "<@{user}> shared the decision on {name}: {patterns}"
SHARED_DONE = "Shared in <#{channel}>, with the cost chart in its thread when there is one."
CANCELLED = "This assessment is cancelled. Nothing more will be asked here."
LIST_EMPTY = "You have no assessments yet. Start one with `/ragft assess`."
LIST_HEADER = "*Your assessments*"
LIST_LINE = "• `{id}` *{name}* — {status}{pattern}{revisit}"
STATUS_IN_PROGRESS = "interview in progress"
STATUS_COMPLETED = "decided {decided_on}"
STATUS_CANCELLED = "cancelled"
REVISIT_ON = ", revisit on {date}"
SNOOZED_UNTIL = ", snoozed until {date}"
FORGET_CONFIRM = (
    "This deletes every assessment, answer and revisit reminder ragft keeps for you "
    "in this workspace. It cannot be undone."
)
FORGET_BUTTON = "Delete my data"
FORGET_DONE = "Done: ragft no longer keeps anything about you ({count} assessments deleted)."
FORGET_NOT_YOURS = "That confirmation belongs to someone else."
EXPORT_TITLE = "Decision record — {name}"
EXPORT_COMMENT = "The decision record, as Markdown."
ERROR_GENERIC = (
    "Sorry, something went wrong on my side. Your answers so far are saved; please try again."
)
ERROR_STORE = (
    "I can't reach my storage right now, so nothing was changed. Please try again in a minute."
)
# Bolt answers this when it could not check the app's token (auth.test failed, Slack away).
ERROR_AUTHORIZE = (
    "I couldn't reach Slack to check my access just now, so nothing was started or changed. "
    "Please try again in a minute."
)
# A step saved, but Slack refused to show its result for minutes: the person must know.
ERROR_GAVE_UP = (
    "Slack kept failing when I tried to answer you in <#{channel}>, so I've stopped trying "
    "for now. Nothing you said is lost, and I'll post what's missing there once Slack takes "
    "it. Meanwhile, type `status` in that thread to see where we are and the question "
    "waiting for you."
)
ERROR_GAVE_UP_RETRY = (
    "Slack kept failing when I tried to answer you in <#{channel}>, so I've stopped trying. "
    "Nothing was lost; please try again in a few minutes."
)
ERROR_NOT_IN_CHANNEL = (
    "I can't post in this channel. Invite me with `/invite @ragft`, or start in a channel I'm in."
)
HOME_TITLE = "Your ragft assessments"
HOME_EMPTY = "No assessments yet. Type `/ragft assess` in any channel to start one."
HOME_INTRO = "Each decision is worth a second look after a year: base models move."

REC_HEADER = "Recommendation — {name}"
REC_SUMMARY = "*Summary*"
REC_REVISIT = "Revisit this on *{date}*: base models change, and so may the answer."
REC_WORKLOAD = "{index}. {name}"
REC_PATTERN = "*{pattern}*"
REC_MODIFIERS = "Also: {modifiers}"
REC_DECOMPOSITION = "*What must change:* behaviour → {behaviour}; knowledge → {knowledge}"
REC_WHY = "*Why*"
REC_GAPS = "*The gaps you reported, and what closes each*"
REC_GAP_LINE = "• *{gap}*: {answer}{rule}"
REC_GAP_RULE = " _(rule {rule})_"
REC_COSTS = "*Costs* (ranges, USD; alternatives cheaper than the recommendation when…)"
REC_RISKS = "*Risks*"
REC_NOTES = "*Worth knowing*"
REC_FLIPS = "*What would change the answer*"
REC_FLIP_LINE = "• {field}: {from_} → {to} would make it {pattern}"
REC_FLIP_ASSUMING = ", assuming {answers}"
REC_MEASURE = "*Measure next*"
REC_PROVISIONAL = "_Provisional until you measure a prompt baseline._"
REC_WHY_LINE = "• {reason} _({section}; rule {rule})_"
REC_SUMMARY_LINE = "• {name}: {pattern}"
REC_TOTALS = "All together: {year_one} in year one, {three_year} over three years."
REC_FALLBACK = "Recommendation for {name}: {patterns}"
REC_CONTINUED = "(continued)"
COST_HEAD = ("pattern", "year one", "steady/yr", "3 years", "cheaper")
REC_COSTS_TABLE = "*Costs* (ranges, USD)"
REC_WHY_NOT = "*Why not the others*"
REC_WHY_NOT_LINE = "• *{option}* ({cheaper}): {reasons}"
REC_ASSUMPTIONS = "*Assumptions behind the costs*"
REC_ASSUMPTIONS_TOP = "*What the costs rest on most*"
REC_ASSUMPTIONS_REST = (
    "The {shown} figures above weigh most in the chosen option's cost; all {total} are one "
    "click away (*Show all assumptions*, or the decision record)."
)
REC_ASSUMPTIONS_REST_SHARED = (
    "The {shown} figures above weigh most in the chosen option's cost; all {total} are in the "
    "decision record of assessment `{assessment_id}` (its owner's *Export decision record*)."
)
REC_ASSUMPTION_LINE = "• {name} (`{key}`): {figure} · {mark} · {source}"
REC_COST_INPUTS = "• From your answers: {inputs}"
REC_ASSUMPTIONS_HOW = (
    "Marks: {legend}; “ours” = your team's figure. To use your own figures, {override}."
)
REC_FALLBACK_COSTS = "Costs of {name} (USD):\n{table}"
CHART_TITLE = "Cost chart — {name}"
CHART_FILENAME = "ragft-cost-{index}.png"
COST_RECOMMENDED = "▶ "

# The revisit nudge and the re-assessment diff.
SNOOZE_CHOICES: tuple[tuple[str, str], ...] = (
    ("P1W", "1 week"),
    ("P1M", "1 month"),
    ("P3M", "3 months"),
)
NUDGE_TEXT = "Time to take another look at *{name}*, decided on {decided_on}."
NUDGE_HEADER = "Time to revisit: {name}"
NUDGE_INTRO = (
    "On {decided_on} <@{owner}> settled this workload mix. Base models, prices and traffic "
    "have had time to shift since, so the answer may have shifted too."
)
NUDGE_UNNAMED = "your assessment"
NUDGE_WORKLOAD = "Workload {index}"
NUDGE_DECIDED = "*{workload}*: {pattern}{modifiers}"
NUDGE_REASONS = "Because: {reasons}"
NUDGE_MOVED_HEADER = "*Worth checking again* (last time's answers)"
NUDGE_MOVED_LINE = "• {field}: {answer}"
NUDGE_MOVED_NONE = "Nothing that usually drifts was asked last time."
NUDGE_REASSESS = "Re-assess now"
NUDGE_SNOOZE = "Snooze"
NUDGE_DISMISS = "Still right — dismiss"
NUDGE_SNOOZED = "Snoozed by <@{user}>: I'll bring this back on {date}."
NUDGE_DISMISSED = "Marked as reviewed by <@{user}>. Next check-in: {date}."
NUDGE_REASSESSING = "<@{user}> started a re-assessment: {where}."
NUDGE_NOT_OWNER = "Only <@{owner}> can act on this reminder."
NUDGE_GONE = "That assessment is no longer stored, so there is nothing to revisit."
CHANGES_HEADER = "*What changed since last time*"
CHANGES_NONE = "Same answers, same recommendation: last year's choice still holds."
CHANGES_PATTERN = "*{name}*: {before} → {after}"
CHANGES_SAME_PATTERN = "*{name}*: still {pattern}"
CHANGES_NEW = "*{name}*: new workload, {after}"
CHANGES_DROPPED = "*{name}*: dropped (was {before})"
CHANGES_ANSWERS = "Answers that moved: {items}"
CHANGES_ANSWER = "{field} {before} → {after}"
CHANGES_RULES_ON = "Now applies: {rules}"
CHANGES_RULES_OFF = "No longer applies: {rules}"
CHANGES_PRICES = "Prices moved in the catalogue: {items}"
CHANGES_OPTIONS = "Three-year cost at today's prices: {items}"
CHANGES_COST = "Cost change: year one {year_one}, steady state {steady} (USD a year)"

# The team's decision register (App Home, `/ragft list all`, transfer, purge-workspace).
REGISTER_TITLE = "Your team's LLM decisions"
REGISTER_INTRO = (
    "Every assessment of this workspace, overdue revisits first. "
    "Each decision is worth a second look after a year: base models move."
)
REGISTER_EMPTY = "No decisions yet. Start one with the button above, or `/ragft assess` anywhere."
REGISTER_EMPTY_FILTER = "Nothing here with this filter."
REGISTER_HEADER = "*This workspace's assessments*"
REGISTER_LINE = (
    "{overdue}• `{id}` *{name}*{pattern} — {status}, owner <@{owner}>, decided {decided_on}, "
    "revisit {revisit_on}"
)
REGISTER_OVERDUE = ":warning: *overdue* "

# A decision's lifecycle: proposed, accepted, superseded, retired (bot/views/decision.py).
STATUS_WORDS = {
    "proposed": "proposed",
    "accepted": "accepted",
    "superseded": "superseded",
    "retired": "retired",
}
ACCEPT = "Accept decision"
RETIRE = "Retire"
RETIRE_CONFIRM_TITLE = "Retire this decision?"
RETIRE_CONFIRM_TEXT = (
    "Retire it when the workload is gone: it stays in the register as retired and is never "
    "revisited. Re-assessing it later opens it again."
)
RETIRE_CONFIRM_YES = "Retire it"
RETIRE_CONFIRM_NO = "Keep it"
ACCEPTED = ":white_check_mark: <@{user}> accepted this decision on {date}. Status: *accepted*."
ACCEPTED_SUPERSEDES = "It supersedes version {version}, accepted on {date}: {link}"
SUPERSEDED_BY = (
    ":arrow_right: This decision is *superseded*: <@{user}> accepted its re-assessment "
    "(version {version}) on {date}: {link}"
)
ALREADY_ACCEPTED = "<@{user}> already accepted this version on {date}."
NOT_A_DECIDER = (
    "Only <@{owner}> or the deciders they named can accept or retire this decision "
    "(`/ragft deciders ID @person ...`)."
)
OLDER_VERSION = (
    "This recommendation has been re-assessed since; accept the newer one, in its thread: {link}"
)
RETIRED = (
    ":file_cabinet: <@{user}> retired this decision on {date}. Status: *retired*; no more revisits."
)
ALREADY_RETIRED = "This decision is already retired."
RETIRED_NOT_ACCEPTED = "This decision is retired; re-assess it to open it again."

# A canvas per decision (bot/listeners/canvas.py, bot/views/canvas.py).
PUBLISH_CANVAS = "Publish as canvas"
CANVAS_TITLE = "Decision: {name}"
CANVAS_PUBLISHED = ":memo: <@{user}> published this decision as a canvas in this channel: {link}"
CANVAS_UPDATED = ":memo: The decision's canvas now shows this version: {link}"
CANVAS_REASSESSED = (
    ":memo: The decision's canvas now shows this re-assessment, with last year's decision "
    "kept in its own section: {link}"
)
CANVAS_SLACK_BUSY = (
    "Slack didn't answer when I tried to publish the canvas, so nothing was published. "
    "Press *Publish as canvas* again in a minute."
)
CANVAS_REFUSED = (
    "I couldn't publish a canvas here: {reason}. Here is the decision record as a Markdown "
    "file instead."
)
CANVAS_REASONS = {
    "team_tier_cannot_create_channel_canvases": (
        "this workspace's Slack plan doesn't allow canvases in channels"
    ),
    "not_allowed": "canvases are turned off for this workspace or channel",
    "missing_scope": (
        "the app was installed without the `canvases:write` permission; a workspace admin "
        "can reinstall it to grant it"
    ),
    "not_in_channel": "the app is not a member of this channel; invite it with `/invite @ragft`",
}
CANVAS_REASON_OTHER = "Slack answered `{error}`"
# The Messages tab (agent view): the greeting's prompts, and the status while it works.
AGENT_GREETING = (
    "Hi <@{user}>! I help decide, per LLM workload, between retrieval (RAG), fine-tuning, "
    "both or neither, with three years of costs side by side. Pick one to begin, or type "
    "`assess Support bot` here."
)
AGENT_ASSESS = "Assess a workload"
AGENT_MINE = "My decisions"
AGENT_DUE = "What is due for a revisit"
AGENT_STATUS = "is working out the recommendation…"
AGENT_LOADING = (
    "Weighing the options against your answers…",
    "Costing each alternative over three years…",
)
AGENT_NOTHING_DUE = "Nothing of yours is due for a revisit in the next 30 days."
AGENT_DUE_HEADER = "*Due for a revisit (overdue first, then the next 30 days)*"
STEP_MISSING_INPUTS = "The step needs a channel and an owner."
STEP_NOT_STARTED = "ragft could not start the interview in that channel (is the app a member?)."
STEP_CANCELLED = "The interview was cancelled in Slack, so there is no decision."
STEP_EXPIRED = "The interview expired before it was finished, so there is no decision."
CANVAS_NOT_DECIDER = "Only <@{owner}> or the deciders they named can publish this decision."
DECIDERS_USAGE = (
    "Usage: `/ragft deciders ID @person ...` names who, besides you, may accept or retire "
    "the decision; `/ragft deciders ID` with nobody clears the list."
)
DECIDERS_REFUSED = "Only the decision's owner can name its deciders."
DECIDERS_DONE = "`{id}` *{name}*: the deciders are now {people}."
DECIDERS_NOBODY = "you alone"
REGISTER_IN_PROGRESS = "*Your interviews in progress*"
FILTER_ALL = "All"
FILTER_MINE = "Mine"
FILTER_OVERDUE = "Overdue"
NEW_ASSESSMENT = "Start an assessment"
TRANSFER_USAGE = "Usage: `/ragft transfer ID @person`, for example `/ragft transfer a1b2c3 @dana`."
TRANSFER_REFUSED = "Only the assessment's owner or a workspace admin can transfer it."
TRANSFER_DONE = "`{id}` *{name}* now belongs to <@{owner}>; its revisits go to them."
PURGE_REFUSED = "Only a workspace admin can delete this workspace's ragft data."
PURGE_CONFIRM = (
    "This deletes *every* assessment, interview and scheduled revisit of this workspace, "
    "for everyone. It cannot be undone."
)
PURGE_BUTTON = "Delete the workspace's data"
PURGE_DONE = "Done: this workspace's ragft data is deleted ({count} keys)."
TAKE_OVER_NOTE = "<@{owner}>'s account is deactivated, so this decision has no owner."
TAKE_OVER = "Take it over"
TAKEN_OVER = "<@{owner}> took over `{id}` *{name}*; its revisits go to them."
