"""Errors of the Slack face; each message is fit to show the person who typed the command.

ragft's errors, one root per package (`app.on_error` shows BotError and ParseError as they
are; StoreUnavailable and Redis errors as "storage trouble"; anything else as a generic note):

    EngineError                       engine/errors.py
    ├── ProfileError (ValueError)     a profile field has a value the engine cannot use
    ├── RuleTableError                the rule table is malformed (raised at import)
    └── CalibrationError (ValueError) a calibration file is malformed
    ConversationError                 conversations/errors.py
    ├── StoreUnavailable              Redis is unreachable; nothing was saved
    ├── InterviewExists               the thread already holds an interview
    ├── InterviewNotFound             no interview in this thread
    └── ParseError                    a typed answer the interview cannot read
    BotError                          bot/errors.py (this module)
    ├── UnknownAssessment             no such assessment of this person's
    ├── NotInThread                   the command needs an interview thread or an id
    ├── NothingToCancel               `/ragft cancel` with no interview open
    └── SettingsError (ValueError)    a setting the app cannot use; `ragft` exits 2
    InputError                        bot/cli/assess.py: bad input to `ragft assess`, exit 2
                                      (not yet under BotError; that module has another owner)
"""

from __future__ import annotations

from conversations.parsing import escape

MAX_ID_SHOWN = 40  # ids are 8 hex digits; whatever else was typed is not echoed in full

__all__ = ["BotError", "NotInThread", "NothingToCancel", "SettingsError", "UnknownAssessment"]


class BotError(Exception):
    """Base class: `str(error)` is a plain sentence for the user."""


class SettingsError(BotError, ValueError):
    """A setting has a value the app cannot use; the message names the variable."""

    def __init__(self, variable: str, message: str) -> None:
        super().__init__(f"{variable}: {message}")
        self.variable = variable


class UnknownAssessment(BotError):
    """No assessment with this id belongs to this person in this workspace."""

    def __init__(self, assessment_id: str) -> None:
        self.assessment_id = assessment_id
        super().__init__(
            f"I can't find an assessment `{escape(assessment_id[:MAX_ID_SHOWN])}` of yours. "
            "`/ragft list` shows the ones you have."
        )


class NotInThread(BotError):
    """A command that needs an interview thread (or an id) was used without one."""

    def __init__(self, command: str) -> None:
        self.command = command
        message = (
            f"`/ragft {command}` needs an assessment id, for example `/ragft {command} a1b2c3`."
        )
        if command == "cancel":
            message += " Inside an interview thread you can also just reply `cancel`."
        super().__init__(message)


class NothingToCancel(BotError):
    """`/ragft cancel` without an id when the person has no interview open."""

    def __init__(self) -> None:
        super().__init__("You have no interview in progress. `/ragft list` shows your assessments.")
