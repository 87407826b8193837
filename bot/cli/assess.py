"""`ragft assess`: a profile file in, a recommendation out (report, JSON or decision record)."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path
from typing import IO, Any

from rich import box
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from bot.errors import BotError
from conversations.catalogue import bundled_catalogue
from engine import (
    AssessmentResult,
    Calibration,
    EngineError,
    ProfileError,
    WorkloadRecommendation,
    assess,
    figure_words,
    load_calibration,
    to_markdown,
    words,
)
from engine.prices import names_a_model
from engine.record import CHEAPER_NOTE, flip_assumptions, flip_change
from engine.result import Costs


class InputError(BotError):
    """Bad input for the command line: reported in one line, exit status 2."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--profile",
        required=True,
        metavar="FILE",
        help="profile JSON file, or - for stdin (see examples/)",
    )
    out = parser.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help="print exactly one JSON object")
    out.add_argument("--markdown", action="store_true", help="print the decision record")
    parser.add_argument(
        "--chart",
        metavar="PATH",
        help=(  # as bot.charts.chart_paths names them
            "also write a PNG cost chart of each workload with costs: at PATH when just one "
            "has costs, else beside PATH as NAME-1.png, NAME-2.png, … in workload order "
            "(NAME: PATH's file name without its extension)"
        ),
    )
    parser.add_argument(
        "--calibration",
        metavar="FILE",
        help="TOML file overriding figures of engine/calibration.toml",
    )
    parser.add_argument(
        "--date",
        type=_iso_date,
        default=None,
        metavar="YYYY-MM-DD",
        help="decision date (default: today)",
    )


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


def _load(args: argparse.Namespace) -> AssessmentResult:
    text = _read(args.profile, "--profile")
    try:
        data: Any = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"--profile {args.profile}: not valid JSON (line {exc.lineno}, column {exc.colno}: "
            f"{exc.msg}); accepted: a JSON object like examples/support-bot.json"
        ) from exc
    except RecursionError:
        raise InputError(
            f"--profile {args.profile}: not valid JSON (nested too deeply); "
            "accepted: a JSON object like examples/support-bot.json"
        ) from None
    calibration: Calibration | None = None
    if args.calibration:
        calibration = load_calibration(_read(args.calibration, "--calibration"))
    day = args.date or date.today()
    prices = bundled_catalogue(day) if names_a_model(data) else None
    return assess(data, decided_on=day, calibration=calibration, prices=prices)


def run(args: argparse.Namespace) -> int:
    try:
        result = _load(args)
    except ProfileError as exc:
        print(f"ragft assess: {exc.message}; accepted: {exc.accepted}", file=sys.stderr)
        return 2
    except (EngineError, InputError) as exc:
        print(f"ragft assess: {exc}", file=sys.stderr)
        return 2
    charts: list[Path] = []
    if args.chart:
        try:
            charts = _write_charts(result, args.chart)
        except InputError as exc:
            print(f"ragft assess: {exc}", file=sys.stderr)
            return 2
    if args.json:
        sys.stdout.write(json.dumps(result.to_json(), ensure_ascii=False) + "\n")
    elif args.markdown:
        sys.stdout.write(to_markdown(result, charts=_chart_links(result, charts)))
    else:
        print_report(result, report_console())
    return 0


def _write_charts(result: AssessmentResult, path: str) -> list[Path]:
    """The PNGs of `--chart PATH` (bot.charts names them); a path that cannot be written is an
    input error naming it."""
    from bot.charts import write_charts

    target = Path(path)
    if target.is_dir():
        raise InputError(f"--chart {path}: is a directory; accepted: a file path like chart.png")
    try:
        paths = write_charts(result, target)
    except OSError as exc:
        reason = f"{exc.__class__.__name__}: {exc.strerror or exc}"
        raise InputError(
            f"--chart {path}: cannot write it ({reason}); "
            "accepted: a file path in an existing, writable directory"
        ) from exc
    if not paths:
        print("ragft assess: --chart: no workload has costs, so no chart", file=sys.stderr)
    for written in paths:
        print(f"ragft assess: chart written to {written}", file=sys.stderr)
    return paths


def _chart_links(result: AssessmentResult, paths: list[Path]) -> dict[int, str]:
    """Each costed workload's index → the chart file written for it, as given on the command
    line (a relative PATH stays relative, for a record committed beside the chart)."""
    costed = [i for i, w in enumerate(result.workloads) if w.costs is not None]
    return {i: p.as_posix() for i, p in zip(costed, paths, strict=False)}


def report_console(file: IO[str] | None = None) -> Console:
    """The console of the text report. Piped output is not hard-wrapped at 80 columns (tables
    keep the console width); no automatic highlighting, whose regular expressions take time
    quadratic in a long name (a 40,000-character name took 7 s)."""
    out = file or sys.stdout
    return Console(file=file, soft_wrap=not out.isatty(), highlight=False)


def print_report(result: AssessmentResult, console: Console) -> None:
    """The human report: one section per workload, in words; ids in brackets for lookup."""
    console.print(
        f"[bold]{escape(result.name)}[/bold]  decided {result.decided_on}, "
        f"revisit [bold]{result.revisit_on}[/bold]",
        highlight=False,
    )
    for w in result.workloads:
        console.rule(Text(w.name, style="bold"))
        console.print(
            f"Recommendation: [bold green]{escape(words.pattern_title(w.pattern))}[/] "
            f"([cyan]{w.pattern}[/])",
            highlight=False,
        )
        approach = words.option_words(w.behaviour, str(w.knowledge)) if w.behaviour else None
        if approach and approach != words.pattern_title(w.pattern):  # Distillation + RAG
            console.print(f"Served as: {escape(approach)}", highlight=False)
        if w.modifiers:
            console.print("With: " + words.joined(map(words.modifier_words, w.modifiers)))
        for note in w.notes:
            console.print(f"  note: {escape(note)}", highlight=False)
        console.print("Why:")
        for t in w.trace:
            console.print(
                f"  [bold]{t.rule}[/] {escape(t.reason)} [dim]({escape(t.section)})[/]",
                highlight=False,
            )
        if w.gaps_answered:
            console.print("The gaps you reported:")
        for g in w.gaps_answered:
            console.print(
                f"  • {escape(words.gap_answer_words(g.gap, g.answer, g.rule))}", highlight=False
            )
        for label, items in (
            ("[yellow]warning:[/]", w.warnings),
            ("[red]risk:[/]", w.risks),
            ("[blue]measure next:[/]", w.measure_next),
        ):
            for text in items:
                console.print(f"  {label} {escape(text)}", highlight=False)
        if w.costs:
            _cost_tables(w, w.costs, console)
        if w.flips:
            console.print("What would change the recommendation:")
        for f in w.flips:
            console.print(
                f"  • {escape(flip_change(f))}: {escape(words.pattern_title(f.pattern))} "
                f"([cyan]{f.pattern}[/])",
                highlight=False,
            )
            assumed = flip_assumptions(f, w.answers)
            if assumed:
                console.print(f"      assuming {escape('; '.join(assumed))}", highlight=False)
    console.rule()
    console.print(escape(result.summary.text), highlight=False)


def _cost_tables(w: WorkloadRecommendation, costs: Costs, console: Console) -> None:
    """Three narrow tables (effort, money, and whether each other option is cheaper) so that
    each fits 80 columns; an option's name wraps between words, never cut."""
    chosen = f"{w.chosen_name()} (chosen)"
    rows = [(chosen, costs.recommended, "—")] + [
        (
            words.option_words(a.behaviour, a.knowledge),
            a.figures,
            words.why_not_cell(a.break_even, (r.rule for r in a.why_not)),
        )
        for a in costs.alternatives
    ]
    effort = Table(title="Effort (low–high)", box=box.SIMPLE_HEAD, title_justify="left")
    effort.add_column("option")
    for col in ("build\n(eng.-quarters)", "upkeep\n(FTE)", "inference\n(× prompt)"):
        effort.add_column(col, justify="right", no_wrap=True)
    money = Table(title="Money, USD (low–high)", box=box.SIMPLE_HEAD, title_justify="left")
    cheaper = Table(
        title="Cheaper than the chosen option?", box=box.SIMPLE_HEAD, title_justify="left"
    )
    for table in (money, cheaper):
        # No word of an option's name is longer than "distillation": wrap, never cut.
        table.add_column("option", min_width=len("distillation"), overflow="fold")
    for col in ("year one", "steady\nper year", "three years"):
        money.add_column(col, justify="right", no_wrap=True)
    cheaper.add_column("cheaper", overflow="fold")
    for label, c, _ in rows:
        effort.add_row(
            label,
            words.number_range(c.build_eq),
            words.number_range(c.ongoing_fte),
            words.number_range(c.inference_multiplier),
        )
        money.add_row(
            label,
            words.money_range(c.year_one_usd),
            words.money_range(c.steady_state_usd),
            words.money_range(c.three_year_usd),
        )
    for label, _, even in rows[1:]:
        cheaper.add_row(label, even)
    console.print(effort)
    console.print(money)
    console.print(cheaper)
    console.print(f"[dim]{escape(CHEAPER_NOTE)}[/]", highlight=False)
    console.print("Why not the others:")
    for a in costs.alternatives:
        reasons = words.why_not_text((r.rule, r.reason) for r in a.why_not)
        console.print(
            f"  • [bold]{escape(words.option_words(a.behaviour, a.knowledge))}[/] "
            f"({words.cheaper_words(a.break_even)}): {escape(reasons)}",
            highlight=False,
        )
    if costs.assumptions:
        console.print(f"Assumptions ({figure_words.MARKS_LEGEND}):")
        for x in costs.assumptions:
            line = figure_words.assumption_words(x.name, x.value, x.unit, x.mark, x.source)
            console.print(f"  {escape(line)}", highlight=False)
        mine = figure_words.cost_input_words(w.answers, w.defaulted)
        console.print(f"  From your answers: {escape(mine)}", highlight=False)
        console.print(
            f"  [dim]To use your own figures, {escape(figure_words.OVERRIDE_HINT)}.[/]",
            highlight=False,
        )
