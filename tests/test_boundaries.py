"""The layering holds: bot -> conversations -> engine, nothing upward, and no import cycle.

Every import in the source counts, including those inside functions and under
`TYPE_CHECKING`. `from pkg import name` counts as importing `pkg/name.py` when it exists.
The engine's own purity (no I/O library, no environment) is tests/engine/test_boundary.py.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("engine", "conversations", "bot")
LAYER = {name: rank for rank, name in enumerate(PACKAGES)}  # a module may import its rank or lower
SLACK = ("slack_sdk", "slack_bolt")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES: dict[str, Path] = {
    _module_name(path): path
    for package in PACKAGES
    for path in sorted((ROOT / package).rglob("*.py"))
}


def _imported(module: str, path: Path) -> Iterator[str]:
    """Every module name `module` imports, ours and others', anywhere in its source."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: from .x import y
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                submodule = f"{base}.{alias.name}"
                yield submodule if submodule in MODULES else base


def _ours(name: str) -> str | None:
    """The module of ours that `name` is (or lies in), else None."""
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


def _ours_imported(module: str) -> set[str]:
    found = {_ours(name) for name in _imported(module, MODULES[module])}
    return {name for name in found if name is not None and name != module}


GRAPH: dict[str, set[str]] = {module: _ours_imported(module) for module in MODULES}


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_module_imports_upward(module: str) -> None:
    """engine imports nothing of ours; conversations no bot; nobody a higher layer."""
    rank = LAYER[module.split(".")[0]]
    upward = sorted(m for m in GRAPH[module] if LAYER[m.split(".")[0]] > rank)
    assert not upward, f"{module} imports {upward}"


@pytest.mark.parametrize("module", sorted(m for m in MODULES if not m.startswith("bot")))
def test_engine_and_conversations_import_no_slack(module: str) -> None:
    """Slack is the bot's business only."""
    names = set(_imported(module, MODULES[module]))
    assert not {n for n in names if n.split(".")[0] in SLACK}, module


def test_there_is_no_import_cycle() -> None:
    """The module graph (function-level and TYPE_CHECKING imports included) is acyclic."""
    done: set[str] = set()

    def visit(module: str, path: list[str]) -> None:
        if module in path:
            cycle = [*path[path.index(module) :], module]
            raise AssertionError("import cycle: " + " -> ".join(cycle))
        if module in done:
            return
        for imported in sorted(GRAPH[module]):
            visit(imported, [*path, module])
        done.add(module)

    for module in sorted(MODULES):
        visit(module, [])


def test_the_scan_sees_imports_inside_functions() -> None:
    """The scan is not blind: a function-level import of ours shows up in the graph."""
    assert GRAPH["bot.cli"]  # `ragft` imports its subcommand and settings lazily, on purpose


# The keys of the engine's JSON (`AssessmentResult.to_json()`): read only inside the engine.
RESULT_KEYS = {
    "workloads",
    "pattern",
    "costs",
    "alternatives",
    "why_not",
    "assumptions",
    "trace",
    "flips",
    "recommended_totals",
    "modifiers",
}


def test_no_renderer_reads_the_engines_json() -> None:
    """bot and conversations read a stored result through `engine.AssessmentResult`, never
    by its keys (`.get("workloads")`, `["pattern"]`)."""
    found = []
    for module, path in MODULES.items():
        if not module.startswith(("bot", "conversations")):
            continue
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            key = None
            if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant):
                key = node.slice.value
            elif (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "get"
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                key = node.args[0].value
            if key in RESULT_KEYS:
                found.append(f"{path.relative_to(ROOT)}:{node.lineno} reads {key!r}")
    assert found == []


# One module per subcommand (bot/cli) and per surface (bot/listeners) each define these,
# the shape their package calls; every other public name is defined once.
PROTOCOL_NAMES = {"add_arguments", "run", "register"}


def test_no_two_public_classes_or_functions_share_a_name() -> None:
    defined: dict[str, list[str]] = {}
    for module, path in MODULES.items():
        for node in ast.parse(path.read_text(), filename=str(path)).body:
            if isinstance(node, ast.ClassDef | ast.FunctionDef) and not node.name.startswith("_"):
                defined.setdefault(node.name, []).append(module)
    shared = {n: m for n, m in defined.items() if len(m) > 1 and n not in PROTOCOL_NAMES}
    assert shared == {}


PRIVATE_IMPORTS_LEFT: set[str] = set()  # none left


def _private_imports(module: str, path: Path) -> Iterator[str]:
    """Each `from ours import _name` of another module, and each private module of ours
    imported from outside the package it lies in."""
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if not isinstance(node, ast.ImportFrom) or node.level or _ours(node.module or "") is None:
            continue
        source = str(node.module)
        for alias in node.names:
            target = f"{source}.{alias.name}"
            if target not in MODULES:  # a name inside `source`
                if alias.name.startswith("_") and source != module:
                    yield f"{module}: from {source} import {alias.name}"
                target = source
            parts = target.split(".")
            private = next((i for i, p in enumerate(parts) if p.startswith("_")), None)
            if private is None:
                continue
            owner = ".".join(parts[:private])
            if module != owner and not module.startswith(owner + "."):
                yield f"{module}: from {source} import {alias.name}"


def test_no_module_imports_anothers_private_names() -> None:
    """A name starting with `_` stays in its module, and a private module in its package."""
    found = [
        hit
        for module, path in MODULES.items()
        if module not in PRIVATE_IMPORTS_LEFT
        for hit in _private_imports(module, path)
    ]
    assert found == []


def test_no_module_reexports_by_import_as() -> None:
    """`__all__` is the one export list: no `import x as x` re-exports."""
    found = [
        f"{module}: {alias.name}"
        for module, path in MODULES.items()
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path)))
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
        if alias.asname is not None and alias.asname == alias.name.rpartition(".")[2]
    ]
    assert found == []
