"""The locks agree with pyproject.toml, hold every package they need with hashes, and are what
is installed: a fresh clone runs on exactly what CI last passed with."""

from __future__ import annotations

import re
import tomllib
from functools import cache
from importlib import metadata
from pathlib import Path

import pytest
from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

REPO = Path(__file__).resolve().parents[1]
APP_LOCK = REPO / "requirements.lock"
DEV_LOCK = REPO / "requirements-dev.lock"
PIN = re.compile(r"^([A-Za-z0-9_.\-]+)==([^\s\\;]+)")
# Installed by venv and the build, not by the app: never pinned as the app's dependency.
NOT_PINNED = {"pip", "ragft"}


@cache
def pins(lock: Path) -> dict[str, Version]:
    found: dict[str, Version] = {}
    for line in lock.read_text().splitlines():
        if match := PIN.match(line):
            found[canonicalize_name(match[1])] = Version(match[2])
    return found


def hashed(lock: Path) -> dict[str, int]:
    """Package -> how many hashes its pin carries."""
    counts: dict[str, int] = {}
    current = None
    for line in lock.read_text().splitlines():
        if match := PIN.match(line):
            current = canonicalize_name(match[1])
            counts[current] = 0
        elif current and line.strip().startswith("--hash=sha256:"):
            counts[current] += 1
    return counts


def declared(extra: str | None = None) -> list[Requirement]:
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    names = project["optional-dependencies"][extra] if extra else project["dependencies"]
    return [Requirement(text) for text in names]


@pytest.mark.parametrize(
    ("lock", "requirements"),
    [(APP_LOCK, declared()), (DEV_LOCK, declared() + declared("dev"))],
    ids=["app", "dev"],
)
def test_every_declared_dependency_is_pinned_within_its_range(
    lock: Path, requirements: list[Requirement]
) -> None:
    """Each range in pyproject.toml has a pin in the lock that it allows (else: scripts/lock)."""
    locked = pins(lock)
    for req in requirements:
        name = canonicalize_name(req.name)
        assert name in locked, f"{req.name} is in pyproject.toml but not in {lock.name}"
        assert req.specifier.contains(locked[name], prereleases=True), (
            f"{lock.name} pins {req.name} {locked[name]}, outside pyproject.toml's {req.specifier}"
        )


def test_the_dev_lock_runs_the_app_on_the_same_versions() -> None:
    """Tests run on the exact versions a deploy installs."""
    dev = pins(DEV_LOCK)
    for name, version in pins(APP_LOCK).items():
        assert dev.get(name) == version, f"{name}: app lock {version}, dev lock {dev.get(name)}"


@pytest.mark.parametrize("lock", [APP_LOCK, DEV_LOCK], ids=["app", "dev"])
def test_every_pin_carries_a_hash(lock: Path) -> None:
    missing = [name for name, count in hashed(lock).items() if count == 0]
    assert not missing, f"{lock.name}: no hash for {missing}"


@pytest.mark.parametrize("lock", [APP_LOCK, DEV_LOCK], ids=["app", "dev"])
def test_the_lock_is_closed_under_dependencies(lock: Path) -> None:
    """What each locked package needs (its installed metadata) is locked too, in range."""
    locked = pins(lock)
    env = {**default_environment(), "extra": ""}
    for name in locked:
        for text in metadata.requires(name) or []:
            req = Requirement(text)
            if req.marker is not None and not req.marker.evaluate(env):
                continue
            dep = canonicalize_name(req.name)
            assert dep in locked, f"{name} needs {req}, which {lock.name} does not pin"
            assert req.specifier.contains(locked[dep], prereleases=True), (
                f"{name} needs {req}; {lock.name} pins {locked[dep]}"
            )


def test_what_is_installed_is_exactly_the_dev_lock() -> None:
    """scripts/bootstrap installed the lock and nothing else (a fresh clone's CI checks it)."""
    installed = {
        canonicalize_name(dist.metadata["Name"]): Version(dist.version)
        for dist in metadata.distributions()
    }
    locked = pins(DEV_LOCK)
    wrong = {n: (installed.get(n), v) for n, v in locked.items() if installed.get(n) != v}
    extra = set(installed) - set(locked) - NOT_PINNED
    assert not wrong, f"installed differs from {DEV_LOCK.name} (installed, locked): {wrong}"
    assert not extra, f"installed but not in {DEV_LOCK.name}: {sorted(extra)}"
