"""Settings come from the environment over `.env`; bad values name their variable."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import isodate
import pytest

from bot.settings import Settings, SettingsError


def test_defaults_match_the_interface() -> None:
    """With nothing set, the documented defaults apply and the app has no Slack tokens."""
    s = Settings.from_env({}, env_file=None)
    assert s.port == 3000
    assert s.slack_api_url == "https://slack.com/api/"
    assert s.redis_url is None
    assert s.revisit_after == isodate.parse_duration("P12M")
    assert s.revisit_tick_seconds == 5
    assert s.interview_ttl == timedelta(days=30)
    assert not s.has_slack_tokens and not s.socket_mode


def test_empty_string_counts_as_unset_even_over_dotenv(tmp_path: Path) -> None:
    """SLACK_APP_TOKEN="" in the environment beats a token named in `.env`: HTTP mode."""
    env_file = tmp_path / ".env"
    env_file.write_text("SLACK_APP_TOKEN=xapp-fake-token\nSLACK_BOT_TOKEN=xoxb-fake-token\nPORT=\n")
    s = Settings.from_env({"SLACK_APP_TOKEN": "", "SLACK_SIGNING_SECRET": "fake"}, env_file)
    assert s.slack_app_token is None and not s.socket_mode
    assert s.slack_bot_token == "xoxb-fake-token"
    assert s.port == 3000
    assert s.has_slack_tokens


def test_environment_wins_over_dotenv(tmp_path: Path) -> None:
    """A value in the environment overrides the same variable in `.env`."""
    env_file = tmp_path / ".env"
    env_file.write_text("PORT=4000\nREVISIT_AFTER=P1D\n")
    s = Settings.from_env({"PORT": "5000"}, env_file)
    assert s.port == 5000
    assert s.revisit_after == timedelta(days=1)
    assert s.revisit_after_iso == "P1D"


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("PORT", "three thousand"),
        ("PORT", "70000"),
        ("SLACK_API_URL", "https://slack.com/api"),
        ("SLACK_API_URL", "slack.com/api/"),
        ("LOG_FORMAT", "xml"),
        ("REVISIT_AFTER", "12 months"),
        ("REVISIT_AFTER", "PT0S"),
        ("REVISIT_TICK_SECONDS", "-1"),
        ("INTERVIEW_TTL", "forever"),
        ("RAGFT_CALIBRATION", "/nonexistent/team.toml"),
    ],
)
def test_bad_value_names_the_variable(variable: str, value: str) -> None:
    """A value the app cannot use raises an error whose message starts with the variable."""
    with pytest.raises(SettingsError) as err:
        Settings.from_env({variable: value}, env_file=None)
    assert str(err.value).startswith(f"{variable}: ")
    assert err.value.variable == variable


def test_socket_mode_when_app_token_is_set() -> None:
    """SLACK_APP_TOKEN switches to Socket Mode; tokens stay out of the repr."""
    s = Settings.from_env(
        {"SLACK_APP_TOKEN": "xapp-fake-token", "SLACK_BOT_TOKEN": "xoxb-fake-token"}, None
    )
    assert s.socket_mode and s.has_slack_tokens
    assert "xoxb" not in repr(s) and "xapp" not in repr(s)


def test_short_revisit_period_parses() -> None:
    """REVISIT_AFTER accepts a period shorter than a day, for demos."""
    s = Settings.from_env({"REVISIT_AFTER": "PT30S", "RAGFT_DATA_DIR": "/tmp/x"}, None)
    assert s.revisit_after == timedelta(seconds=30)
    assert s.data_dir == Path("/tmp/x")


def test_env_example_copied_as_is_opens_the_playground() -> None:
    """`cp .env.example .env && ragft run` plays locally until real Slack tokens are filled in."""
    example = Path(__file__).resolve().parents[2] / ".env.example"
    s = Settings.from_env({}, env_file=example)
    assert not s.has_slack_tokens and not s.socket_mode
    assert s.revisit_after == isodate.parse_duration("P12M") and s.revisit_tick_seconds == 5


@pytest.mark.parametrize("command", ["web", "clock", "run"])
def test_a_bad_variable_stops_any_command_with_its_name(command: str, tmp_path: Path) -> None:
    """Every process command answers a bad setting with exit 2 and the variable's name."""
    env = {"PATH": os.environ.get("PATH", ""), "REVISIT_TICK_SECONDS": "soon"}
    done = subprocess.run(
        [sys.executable, "-m", "bot.cli", command],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )
    assert done.returncode == 2
    assert done.stderr.startswith(f"ragft {command}: REVISIT_TICK_SECONDS")
    assert "Traceback" not in done.stderr


def test_a_teams_calibration_file_is_read_once_and_checked(tmp_path: Path) -> None:
    """RAGFT_CALIBRATION: the team's figures over the table's; a figure the engine does not
    know stops the start with the variable named."""
    good = tmp_path / "team.toml"
    good.write_text("[rag]\nbuild_eq = [2, 4]\n")
    cal = Settings.from_env({"RAGFT_CALIBRATION": str(good)}, env_file=None).calibration()
    assert cal is not None and cal["rag.build_eq"].pair == (2.0, 4.0)
    assert Settings.from_env({}, env_file=None).calibration() is None
    bad = tmp_path / "bad.toml"
    bad.write_text("[rag]\nbuild_effort = 3\n")
    with pytest.raises(SettingsError) as err:
        Settings.from_env({"RAGFT_CALIBRATION": str(bad)}, env_file=None)
    assert str(err.value).startswith("RAGFT_CALIBRATION: ")
