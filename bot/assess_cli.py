"""`ragft assess`: a profile file in, a recommendation out (report, JSON or decision record)."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from engine import (
    Assessment,
    Calibration,
    EngineError,
    ProfileError,
    assess,
    load_calibration,
    to_markdown,
)
from engine.record import pattern_title


class InputError(Exception):
    """Bad input for the command line: reported in one line, exit status 2."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--profile", required=True, metavar="FILE",
                        help="profile JSON file, or - for stdin (see examples/)")  # fmt: skip
    out = parser.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help="print exactly one JSON object")
    out.add_argument("--markdown", action="store_true", help="print the decision record")
    parser.add_argument("--calibration", metavar="FILE",
                        help="TOML file overriding figures of engine/calibration.toml")  # fmt: skip
    parser.add_argument("--date", type=_iso_date, default=None, metavar="YYYY-MM-DD",
                        help="decision date (default: today)")  # fmt: skip


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2026-01-31") from None


def _read(path: str, what: str) -> str:
    try:
        if path == "-":
            return sys.stdin.read()
        return Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = f"{exc.__class__.__name__}: {exc}"
        raise InputError(f"{what} {path}: cannot read it ({reason})") from exc


def _load(args: argparse.Namespace) -> Assessment:
    text = _read(args.profile, "--profile")
    try:
        data: Any = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"--profile {args.profile}: not valid JSON (line {exc.lineno}, column {exc.colno}: "
            f"{exc.msg}); accepted: a JSON object like examples/support-bot.json"
        ) from exc
    calibration: Calibration | None = None
    if args.calibration:
        calibration = load_calibration(_read(args.calibration, "--calibration"))
    return assess(data, decided_on=args.date or date.today(), calibration=calibration)


def run(args: argparse.Namespace) -> int:
    try:
        result = _load(args)
    except ProfileError as exc:
        print(f"ragft assess: {exc.message}; accepted: {exc.accepted}", file=sys.stderr)
        return 2
    except (EngineError, InputError) as exc:
        print(f"ragft assess: {exc}", file=sys.stderr)
        return 2
    if args.json:
        sys.stdout.write(json.dumps(result.to_json(), ensure_ascii=False) + "\n")
    elif args.markdown:
        sys.stdout.write(to_markdown(result))
    else:
        print_report(result, Console())
    return 0


def _pair(p: list[float], money: bool = False) -> str:
    return f"${p[0]:,.0f}–${p[1]:,.0f}" if money else f"{p[0]:g}–{p[1]:g}"


def _even(value: Any) -> str:
    if isinstance(value, dict):
        (side, n), *_ = value.items()
        return f"{side} {n:,}/day"
    return str(value)


def print_report(result: Assessment, console: Console) -> None:
    """The human report: one section per workload, costs side by side."""
    data = result.to_json()
    console.print(f"[bold]{result.name}[/bold]  decided {result.decided_on}, "
                  f"revisit [bold]{result.revisit_on}[/bold]")  # fmt: skip
    for w in data["workloads"]:
        console.rule(f"[bold]{w['name']}[/bold]")
        console.print(f"Recommendation: [bold green]{pattern_title(w['pattern'])}[/] "
                      f"([cyan]{w['pattern']}[/])", highlight=False)  # fmt: skip
        if w["behaviour"]:
            console.print(f"Behaviour: {w['behaviour']}   Knowledge: {w['knowledge']}")
        if w["modifiers"]:
            console.print("With: " + ", ".join(w["modifiers"]))
        for note in w["notes"]:
            console.print(f"  note: {note}")
        for t in w["trace"]:
            console.print(f"  [bold]{t['rule']}[/] {t['reason']} [dim]({t['section']})[/]")
        for text in w["warnings"]:
            console.print(f"  [yellow]warning:[/] {text}")
        for text in w["risks"]:
            console.print(f"  [red]risk:[/] {text}")
        for text in w["measure_next"]:
            console.print(f"  [blue]measure next:[/] {text}")
        if w["costs"]:
            _cost_table(w["costs"], console)
        for f in w["flips"]:
            also = f.get("also")
            extra = f" (with {json.dumps(also)})" if also else ""
            console.print(f"  if {f['field']} were {json.dumps(f['to'])} instead of "
                          f"{json.dumps(f['from'])}: {f['pattern']}{extra}")  # fmt: skip
    console.rule()
    console.print(data["summary"]["text"])


def _cost_table(costs: dict[str, Any], console: Console) -> None:
    table = Table(title="Costs (low–high)", show_lines=False)
    for col in ("option", "build EQ", "ongoing FTE", "inference ×", "year one", "three years",
                "cheaper than chosen"):  # fmt: skip
        table.add_column(col)
    rec = costs["recommended"]
    rows = [("chosen", rec, "—")] + [
        (f"{a['behaviour']} + {a['knowledge']}", a, _even(a["break_even_requests_per_day"]))
        for a in costs["alternatives"]
    ]
    for label, c, even in rows:
        table.add_row(label, _pair(c["build_eq"]), _pair(c["ongoing_fte"]),
                      _pair(c["inference_multiplier"]), _pair(c["year_one_usd"], True),
                      _pair(c["three_year_usd"], True), even)  # fmt: skip
    console.print(table)
