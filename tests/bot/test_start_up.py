"""`ragft run` serves Slack when a way of serving it is complete, and otherwise opens the
playground naming exactly the settings missing for the way the ones given aim at."""

from __future__ import annotations

import itertools
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli.run import why_playground
from bot.settings import Settings

BOT, SIGNING, APP = "SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN"
CLIENT_ID, CLIENT_SECRET = "SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET"
ALL = (BOT, SIGNING, APP, CLIENT_ID, CLIENT_SECRET)
COMBINATIONS = [frozenset(c) for n in range(len(ALL) + 1) for c in itertools.combinations(ALL, n)]


def _settings(given: frozenset[str]) -> Settings:
    return Settings.from_env({name: "fake" for name in given}, None)


def _serves(given: frozenset[str]) -> bool:
    """README: a bot token with a signing secret (HTTP) or an app token (Socket Mode); else,
    without a bot token, the three OAuth settings over HTTP."""
    if BOT in given:
        return bool(given & {SIGNING, APP})
    return {CLIENT_ID, CLIENT_SECRET, SIGNING} <= given and APP not in given


def _names(text: str) -> set[str]:
    return set(re.findall(r"SLACK_[A-Z_]+", text))


@pytest.mark.parametrize("given", COMBINATIONS, ids=lambda g: "+".join(sorted(g)) or "none")
def test_every_combination_serves_or_names_only_what_is_missing(given: frozenset[str]) -> None:
    """Each of the 32 combinations: served exactly when complete; else the message's "set"
    part names only settings that are set, and its "but … not" part only ones that are not."""
    settings = _settings(given)
    assert settings.has_slack_tokens == _serves(given)
    if _serves(given):
        return
    message = why_playground(settings)
    assert message.endswith(
        ", so this is the local playground (.env.example shows how to serve Slack)."
    )
    said = message.split(", so this")[0]
    if " but so is " in said:  # complete OAuth with Socket Mode asked for: see the table below
        return
    said_set, _, said_missing = said.rpartition(" set, but ")
    assert _names(said_set) <= given, message
    assert _names(said_missing), message
    assert _names(said_missing).isdisjoint(given), message


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        (
            {SIGNING, CLIENT_ID},
            "SLACK_CLIENT_ID and SLACK_SIGNING_SECRET are set, but SLACK_CLIENT_SECRET is not",
        ),
        (
            {CLIENT_ID, CLIENT_SECRET},
            "SLACK_CLIENT_ID and SLACK_CLIENT_SECRET are set, but SLACK_SIGNING_SECRET is not",
        ),
        (
            {CLIENT_ID},
            "SLACK_CLIENT_ID is set, but SLACK_CLIENT_SECRET and SLACK_SIGNING_SECRET are not",
        ),
        (
            {CLIENT_SECRET},
            "SLACK_CLIENT_SECRET is set, but SLACK_CLIENT_ID and SLACK_SIGNING_SECRET are not",
        ),
        (
            {CLIENT_SECRET, SIGNING},
            "SLACK_CLIENT_SECRET and SLACK_SIGNING_SECRET are set, but SLACK_CLIENT_ID is not",
        ),
        (
            {CLIENT_ID, CLIENT_SECRET, SIGNING, APP},
            "SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and "
            "SLACK_SIGNING_SECRET are set, but so is SLACK_APP_TOKEN",
        ),
        ({BOT}, "SLACK_BOT_TOKEN is set, but SLACK_SIGNING_SECRET (or SLACK_APP_TOKEN) is not"),
        (
            {BOT, CLIENT_ID},
            "SLACK_BOT_TOKEN is set, but SLACK_SIGNING_SECRET (or SLACK_APP_TOKEN) is not",
        ),
        ({APP}, "SLACK_APP_TOKEN is set, but SLACK_BOT_TOKEN is not,"),
        ({APP, SIGNING}, "SLACK_APP_TOKEN is set, but SLACK_BOT_TOKEN is not,"),
        (
            {SIGNING},
            "SLACK_SIGNING_SECRET is set, but SLACK_BOT_TOKEN is not (nor, to serve "
            "several workspaces, SLACK_CLIENT_ID and SLACK_CLIENT_SECRET)",
        ),
        (set(), "SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET are not set,"),
    ],
)
def test_the_message_names_the_missing_settings_of_the_mode_aimed_at(
    given: set[str], expected: str
) -> None:
    """OAuth (client id or secret, no bot token), one workspace (a bot token), Socket Mode (an
    app token alone) or undecided (a signing secret alone): the missing ones, by name."""
    assert why_playground(_settings(frozenset(given))).startswith(expected)


@pytest.mark.parametrize(
    ("given", "named"),
    [
        ({BOT}, "SLACK_SIGNING_SECRET"),
        ({SIGNING}, "SLACK_BOT_TOKEN"),
        ({CLIENT_ID, CLIENT_SECRET}, "SLACK_SIGNING_SECRET"),
        (set(), "SLACK_BOT_TOKEN"),
    ],
    ids=["token-only", "secret-only", "oauth-no-secret", "none"],
)
def test_run_with_no_terminal_and_half_the_settings_fails_naming_them(
    given: set[str], named: str, tmp_path: Path
) -> None:
    """Under a supervisor (no terminal) a half-configured `ragft run` exits non-zero and names
    the missing setting, instead of opening a playground nobody can use and exiting 0."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "REDIS_"))}
    env.update({name: "xoxb-fake" if name == BOT else "fake" for name in given})
    env["RAGFT_DATA_DIR"] = str(tmp_path)
    done = subprocess.run(
        [sys.executable, "-m", "bot.cli", "run"],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,  # no .env file here
        timeout=60,
    )
    assert done.returncode == 2, done.stderr
    assert named in done.stderr.split(", and there is no terminal")[0]
    assert "ragft playground" in done.stderr
    assert not (tmp_path / "playground.log").exists()
