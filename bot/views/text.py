"""Every sentence the Slack app shows, in one place (our own words, not the article's)."""

from __future__ import annotations

from engine.words import FIELD_WORDS, MODIFIER_WORDS, PATTERN_TITLES

# Names of patterns, modifiers and fields: the engine's words, so the CLI, the decision
# record and Slack all say the same thing.
PATTERN_LABELS: dict[str, str] = dict(PATTERN_TITLES)

MODIFIER_LABELS: dict[str, str] = dict(MODIFIER_WORDS)

BEHAVIOUR_LABELS: dict[str, str] = {
    "prompting": "prompting",
    "fine_tune_format": "a fine-tune for the output format",
    "fine_tune": "fine-tuning",
    "distillation": "distillation into a small model",
}

KNOWLEDGE_LABELS: dict[str, str] = {
    "none": "nothing to inject",
    "lookup": "a deterministic lookup",
    "rag": "retrieval (RAG)",
}

FIELD_LABELS: dict[str, str] = {
    **FIELD_WORDS,
    "name": "name",
    "workload_name": "workload name",
    "another_workload": "another workload",
}

HELP = (
    "*ragft* helps your team pick, for each LLM workload, between retrieval (RAG), "
    "fine-tuning, both or neither — and reminds you to look again in a year.\n"
    "• `/ragft assess [name]` — start an assessment; the questions come in a thread\n"
    "• `/ragft list` — your assessments and when each is due for a revisit\n"
    "• `/ragft show ID` — post an assessment's recommendation again\n"
    "• `/ragft cancel ID` — stop an interview (or reply `cancel` in its thread)\n"
    "• `/ragft revisit ID` — re-assess now, starting from the earlier answers\n"
    "• `/ragft forget-me` — delete everything ragft keeps about you\n"
    "In a thread, reply to answer. Also understood: `back`, `skip`, `why`, `status`, "
    "`restart`, `cancel`."
)

ROOT_STARTED = (
    "<@{user}> is assessing *{name}*: RAG, fine-tuning, both or neither? "
    "The questions follow in this thread."
)
ROOT_UNNAMED = "an unnamed workload"
STRANGER_NOTE = "Only <@{owner}> can answer this interview. Start your own with `/ragft assess`."
ANSWERED = "{user} answered: *{answer}*"  # user: a mention, see questions.mention
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
EXPORT = "Export decision record"
REASSESS = "Re-assess"
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
REC_COSTS = "*Costs* (ranges, USD; alternatives cheaper than the recommendation when…)"
REC_RISKS = "*Risks*"
REC_NOTES = "*Worth knowing*"
REC_FLIPS = "*What would change the answer*"
REC_FLIP_LINE = "• {field}: {from_} → {to} would make it {pattern}"
REC_MEASURE = "*Measure next*"
REC_PROVISIONAL = "_Provisional until you measure a prompt baseline._"
REC_CHANGES = "*What changed since last time*"
REC_WHY_LINE = "• {reason} _({section}; rule {rule})_"
REC_SUMMARY_LINE = "• {name}: {pattern}"
REC_TOTALS = "All together: {year_one} in year one, {three_year} over three years."
REC_FALLBACK = "Recommendation for {name}: {patterns}"
REC_CONTINUED = "(continued)"
BREAK_EVEN_ALWAYS = "always"
BREAK_EVEN_NEVER = "never"
BREAK_EVEN_ABOVE = "above {n}/day"
BREAK_EVEN_BELOW = "below {n}/day"
COST_HEAD = ("pattern", "year one", "steady/yr", "3 years", "cheaper")
COST_RECOMMENDED = "▶ "
# Short names for the cost table's rows: how the behaviour and the knowledge are handled.
COST_BEHAVIOUR: dict[str, str] = {
    "prompting": "prompting",
    "fine_tune_format": "format fine-tune",
    "fine_tune": "fine-tune",
    "distillation": "distillation",
}
COST_KNOWLEDGE: dict[str, str] = {"none": "", "lookup": "lookup", "rag": "RAG"}
