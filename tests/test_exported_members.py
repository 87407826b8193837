"""Each package's public names are pinned here, so a change to the surface is deliberate."""

from __future__ import annotations

import importlib
from types import ModuleType

import pytest


def _names(words: str) -> list[str]:
    return words.split()


# Sorted, as `__all__` is; one string per package keeps the pin short.
EXPORTS: dict[str, list[str]] = {
    "conversations": _names("""
        Answered Ask AssessmentRecord Cancelled Completed Confirm ConversationError Effect Input
        InterviewExists InterviewState InterviewStore ParseError RedisHandle Reply RevisitQueue
        StepOutcome StoreUnavailable ThreadKey connect start step
    """),
    "engine": _names("""
        AssessmentProfile AssessmentResult Calibration CalibrationError Comparison
        DEFAULTS EngineError FIELDS FieldSpec MAX_WORKLOADS ProfileError RuleTableError
        VOLATILE_FIELDS
        WorkloadProfile WorkloadRecommendation applies assess check_value compare
        default_calibration load_calibration normalise_answers parse_profile parse_workload
        to_markdown
    """),
    "bot": [],
    "bot.cli": _names("SUBCOMMANDS main"),
    "bot.listeners": _names("register"),
    "bot.oauth": _names("""
        AuthorizeFailed LockingAuthorize NotInstalled RedisInstallationStore RedisOAuthStateStore
        Refresher Workspaces bolt_oauth
    """),
    "bot.playground": [],
    "bot.revisits": _names(
        "Delivery NudgeSender RevisitConfig RevisitScheduler RevisitTicker RevisitWatch"
    ),
    "bot.standin": [],
    "bot.views": _names("""
        AssessmentSummary MAX_BLOCKS MAX_SECTION_TEXT QuestionView SlackMessage answered_message
        direct_message_help forget_confirmation home_view list_message plain_reply question_message
        recommendation_messages recommendation_metadata shared_messages
    """),
    "conversations.storage": _names("""
        InterviewStore MarkState RedisHandle Revisit RevisitQueue RevisitState StepOutcome Target
        ThreadKey ThreadView as_str connect redis_errors
    """),
}


@pytest.mark.parametrize("name", sorted(EXPORTS))
def test_all_is_the_pinned_surface(name: str) -> None:
    """`__all__` lists exactly the pinned names, and each of them exists."""
    module = importlib.import_module(name)
    assert sorted(module.__all__) == EXPORTS[name]
    assert [n for n in module.__all__ if not hasattr(module, n)] == []


# Packages whose `__init__` only re-exports: every public name it binds is deliberate.
REEXPORTING = [
    "bot.oauth",
    "bot.revisits",
    "bot.views",
    "conversations",
    "conversations.storage",
    "engine",
]


@pytest.mark.parametrize("name", REEXPORTING)
def test_nothing_public_is_left_out_of_all(name: str) -> None:
    """Every public name the package module binds (submodules aside) is in `__all__`."""
    module = importlib.import_module(name)
    public = {
        n
        for n, value in vars(module).items()
        if not n.startswith("_") and not isinstance(value, ModuleType) and n != "annotations"
    }
    assert public == set(module.__all__)
