"""The playground drives the real app through a pipe and cleans up after itself."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import psutil
import pytest

from bot.playground_render import render

REPO = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


def _play(data_dir: Path, script: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "REDIS_"))}
    env["RAGFT_DATA_DIR"] = str(data_dir)
    return subprocess.run([sys.executable, "-m", "bot.cli", "playground"], input=script,
                          capture_output=True, text=True, env=env, cwd=REPO, timeout=90)


def _leftovers(data_dir: Path) -> list[psutil.Process]:
    found = []
    for proc in psutil.process_iter(["cmdline", "cwd"]):
        try:
            text = " ".join(proc.info["cmdline"] or []) + " " + str(proc.info["cwd"] or "")
        except psutil.Error:
            continue
        if str(data_dir) in text:
            found.append(proc)
    return found


def test_piped_playground_completes_an_assessment(tmp_path: Path) -> None:
    """Piped answers (text and a button number) reach a recommendation, then everything stops."""
    script = "/ragft assess Lab bot\nSummarise papers\n2\nno\n"
    result = _play(tmp_path, script)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "is assessing *Lab bot*" in out
    assert "[1] Real users (production)   [2] An experiment or research" in out
    assert "S1" in out and "Revisit this on" in out
    assert not _leftovers(tmp_path), "the app or the embedded Redis was left running"


def test_quit_exits_cleanly_and_keeps_the_data(tmp_path: Path) -> None:
    """`quit` stops the app and the embedded Redis; the data dir keeps Redis's files."""
    result = _play(tmp_path, "/ragft assess Half done\nquit\n/ragft assess never sent\n")
    assert result.returncode == 0, result.stderr
    assert "Half done" in result.stdout and "never sent" not in result.stdout
    assert not _leftovers(tmp_path)
    assert any(tmp_path.iterdir())


def test_render_numbers_buttons_and_select_options() -> None:
    """Buttons and select options become numbered choices with the action they would send."""
    message = {"blocks": [
        {"type": "section", "text": {"type": "mrkdwn", "text": "Pick one"}},
        {"type": "actions", "block_id": "b1", "elements": [
            {"type": "button", "action_id": "yes", "value": "y", "text": {"text": "Yes"}},
            {"type": "static_select", "action_id": "sel", "options": [
                {"text": {"text": "Daily"}, "value": "daily"}]},
        ]},
    ]}
    text, found = render(message)
    assert text.splitlines() == ["Pick one", "  [1] Yes   [2] Daily"]
    assert found[0].action() == {"action_id": "yes", "block_id": "b1", "type": "button",
                                 "value": "y", "text": {"text": "Yes"}}
    assert found[1].action()["selected_option"] == {"text": {"text": "Daily"}, "value": "daily"}
