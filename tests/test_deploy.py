"""The deploy files the README points to work: the systemd units pass `systemd-analyze verify`
(where systemd's tools are installed) and every ExecStart and Procfile line names a `ragft`
subcommand and flags that exist."""

from __future__ import annotations

import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
UNITS = sorted((REPO / "docs" / "deploy").glob("*.service"))
RAGFT = Path(sys.executable).parent / "ragft"
INSTALLED_AT = "/opt/ragft/.venv/bin/ragft"


def exec_start(unit: Path) -> list[str]:
    lines = [ln for ln in unit.read_text().splitlines() if ln.startswith("ExecStart=")]
    assert len(lines) == 1, f"{unit.name}: one ExecStart"
    return shlex.split(lines[0].removeprefix("ExecStart="))


def test_there_is_a_unit_for_each_process_of_the_procfile() -> None:
    procfile = dict(
        line.split(":", 1) for line in (REPO / "Procfile").read_text().splitlines() if line
    )
    assert {u.stem.removeprefix("ragft-") for u in UNITS} == set(procfile)
    for unit in UNITS:
        procfile_args = shlex.split(procfile[unit.stem.removeprefix("ragft-")])
        assert exec_start(unit)[1:2] == procfile_args[1:2], unit.name


@pytest.mark.parametrize("unit", UNITS, ids=lambda u: u.name)
def test_systemd_accepts_the_unit(unit: Path, tmp_path: Path) -> None:
    """`systemd-analyze verify` on the unit, pointed at this checkout's ragft."""
    if shutil.which("systemd-analyze") is None:
        pytest.skip("systemd-analyze is not installed; the ExecStart test still runs")
    assert exec_start(unit)[0] == INSTALLED_AT
    local = tmp_path / unit.name
    local.write_text(unit.read_text().replace(INSTALLED_AT, str(RAGFT)))
    done = subprocess.run(
        ["systemd-analyze", "verify", f"./{unit.name}"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert unit.name not in done.stderr, done.stderr  # no warning about this unit


@pytest.mark.parametrize(
    "command",
    [exec_start(u)[1:] for u in UNITS]
    + [
        shlex.split(ln.split(":", 1)[1])[1:]
        for ln in (REPO / "Procfile").read_text().split("\n")
        if ln
    ],
    ids=lambda c: " ".join(c),
)
def test_every_start_line_parses(command: list[str]) -> None:
    """The subcommand and its flags exist (argparse reads them before --help)."""
    done = subprocess.run(
        [str(RAGFT), *command, "--help"], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
