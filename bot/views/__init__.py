"""Pure Block Kit views: data in, message dicts out. All user-facing strings live in `text`."""

from __future__ import annotations

from bot.views._blocks import MAX_BLOCKS, MAX_SECTION_TEXT, SlackMessage
from bot.views.direct import direct_message_help
from bot.views.home import AssessmentSummary, forget_confirmation, home_view, list_message
from bot.views.questions import QuestionView, answered_message, plain_reply, question_message
from bot.views.recommendation import (
    recommendation_messages,
    recommendation_metadata,
    shared_messages,
)

__all__ = [
    "MAX_BLOCKS",
    "MAX_SECTION_TEXT",
    "AssessmentSummary",
    "QuestionView",
    "SlackMessage",
    "answered_message",
    "direct_message_help",
    "forget_confirmation",
    "home_view",
    "list_message",
    "plain_reply",
    "question_message",
    "recommendation_messages",
    "recommendation_metadata",
    "shared_messages",
]
