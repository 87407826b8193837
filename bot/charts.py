"""The cost as a picture (issue 10): a PNG per costed workload, its alt text, and the files of
`ragft assess --chart PATH`.

matplotlib is imported inside the functions that draw: it takes longer to import than the rest
of `ragft assess`, which only pays for it when a chart is asked for. Only the object API is
used (a Figure on an Agg canvas, no pyplot, no global settings changed), so charts can be drawn
from several threads at once.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from engine.assess import Assessment
from engine.costs import Alternative
from engine.curves import CostCurves, OptionCurve, cost_curves, usage_of, workload_curves
from engine.result import AssessmentResult
from engine.words import (
    chosen_option,
    money,
    money_range,
    option_sentence,
    option_words,
    pattern_title,
    upper_first,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes

WIDTH_IN, HEIGHT_IN, DPI = 12.0, 7.0, 100  # 1200 × 700 px
# Okabe–Ito: the recommendation in black, the alternatives in its other colours (yellow, weak
# on white, is replaced by grey).
REC_COLOUR = "#000000"
COLOURS = ("#E69F00", "#0072B2", "#009E73", "#D55E00", "#56B4E9", "#CC79A7", "#7F7F7F")
STYLES: tuple[Any, ...] = (
    "--",
    "-.",
    ":",
    (0, (6, 2, 1, 2, 1, 2)),
    (0, (1, 1)),
    (0, (8, 3)),
    (0, (3, 1, 1, 1)),
)
MARKERS = ("s", "^", "D", "v", "P", "X", "o")


def volume(value: float) -> str:
    """Compact requests per day: 950, 2.3k, 20k, 1.5M."""
    for size, unit in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if value >= size * 0.9995:
            scaled = value / size
            text = f"{scaled:.1f}" if scaled < 10 else f"{scaled:.0f}"
            return f"{text.removesuffix('.0')}{unit}"
    return f"{value:.0f}"


def _sentence(option: OptionCurve) -> str:
    return option_sentence(option.behaviour, option.knowledge)


def _plain(text: str) -> str:
    """Text for matplotlib: a dollar sign is a dollar, not the start of mathtext."""
    return text.replace("$", r"\$")


def _style(i: int, option: OptionCurve) -> dict[str, Any]:
    if option.recommended:
        return {
            "color": REC_COLOUR,
            "linestyle": "-",
            "linewidth": 4.0,
            "marker": "o",
            "markersize": 9,
            "zorder": 5,
        }
    return {
        "color": COLOURS[i % len(COLOURS)],
        "linestyle": STYLES[i % len(STYLES)],
        "linewidth": 2.4,
        "marker": MARKERS[i % len(MARKERS)],
        "markersize": 8,
        "zorder": 3,
    }


def _money_axis(ax: Axes) -> None:
    from matplotlib.ticker import FuncFormatter

    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: _plain(money(v))))
    ax.yaxis.set_minor_formatter(FuncFormatter(lambda _v, _pos: ""))


def _volume_panel(ax: Axes, curves: CostCurves) -> None:
    from matplotlib.ticker import FuncFormatter, LogLocator

    xs = curves.volumes
    every = max(1, len(xs) // 8)
    for i, option in enumerate(curves.options):
        style = _style(i - 1, option)
        lows = [lo for lo, _ in option.three_year_usd]
        highs = [hi for _, hi in option.three_year_usd]
        ax.fill_between(
            xs,
            lows,
            highs,
            color=style["color"],
            linewidth=0,
            alpha=0.15 if option.recommended else 0.07,
            zorder=style["zorder"] - 1,
        )
        ax.plot(xs, option.three_year_mid, markevery=(i % every, every), **style)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlim(xs[0], xs[-1])
    ax.xaxis.set_major_locator(LogLocator(base=10))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _pos: volume(v)))
    ax.xaxis.set_minor_formatter(FuncFormatter(lambda _v, _pos: ""))
    _money_axis(ax)
    ax.yaxis.set_major_locator(LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
    if curves.requests_per_day > 0:
        ax.axvline(curves.requests_per_day, color="#444444", linestyle=(0, (2, 2)), linewidth=2)
        ax.annotate(
            f"today\n{volume(curves.requests_per_day)}/day",
            xy=(curves.requests_per_day, 1),
            xycoords=("data", "axes fraction"),
            xytext=(6, -6),
            textcoords="offset points",
            ha="left",
            va="top",
            fontsize=14,
            color="#222222",
        )
    else:
        ax.text(
            0.02,
            0.98,
            "today: 0 requests/day",
            transform=ax.transAxes,
            ha="left",
            va="top",
            fontsize=14,
            color="#222222",
        )
    alternatives = {(o.behaviour, o.knowledge): i for i, o in enumerate(curves.alternatives)}
    for k, c in enumerate(x for x in curves.crossings if x.on_chart):
        colour = COLOURS[alternatives[(c.behaviour, c.knowledge)] % len(COLOURS)]
        ax.plot(
            [c.requests_per_day],
            [c.three_year_usd],
            marker="o",
            markersize=16,
            markerfacecolor="white",
            markeredgecolor=colour,
            markeredgewidth=3.5,
            linestyle="none",
            zorder=7,
        )
        ax.annotate(
            f"{volume(c.requests_per_day)}/day",
            xy=(c.requests_per_day, c.three_year_usd),
            xytext=(0, 18 if k % 2 == 0 else -30),
            textcoords="offset points",
            ha="center",
            fontsize=14,
            fontweight="bold",
            color=colour,
            zorder=8,
            bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.85},
        )
    ax.set_title("Three-year cost by volume", fontsize=17, loc="left")
    ax.set_xlabel("requests per day (log scale)", fontsize=14)
    ax.set_ylabel("three-year cost (log scale)", fontsize=14)


def _month_panel(ax: Axes, curves: CostCurves) -> None:
    months = curves.months
    for i, option in enumerate(curves.options):
        style = _style(i - 1, option)
        lows = [lo for lo, _ in option.cumulative_usd]
        highs = [hi for _, hi in option.cumulative_usd]
        mids = [(lo + hi) / 2 for lo, hi in option.cumulative_usd]
        if option.recommended:  # the alternatives' bands would hide it: their lines suffice
            ax.fill_between(
                months, lows, highs, color=style["color"], linewidth=0, alpha=0.12, zorder=1
            )
        ax.plot(months, mids, markevery=[11, 23, 35], **style)
    rec = curves.recommended.cumulative_usd[-1]
    ax.annotate(
        _plain(money_range(rec)),
        xy=(months[-1], rec[1]),  # atop the recommendation's band, clear of the lines
        xytext=(-4, 6),
        textcoords="offset points",
        ha="right",
        va="bottom",
        fontsize=14,
        fontweight="bold",
        bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": "black", "alpha": 0.9},
        zorder=9,
    )
    ax.set_xlim(0, months[-1] + 0.5)
    top = max(rec[1], *(sum(o.cumulative_usd[-1]) / 2 for o in curves.options))
    ax.set_ylim(0, top * 1.15)
    ax.set_xticks([0, 12, 24, 36], ["0", "1 yr", "2 yrs", "3 yrs"])
    _money_axis(ax)
    today = curves.requests_per_day
    ax.set_title(f"Cumulative cost at {volume(today)}/day", fontsize=17, loc="left")
    ax.set_xlabel("time since the decision (month by month)", fontsize=14)


def render_cost_chart(curves: CostCurves) -> bytes:
    """The chart of one costed workload as PNG bytes (1200 × 700 px): three-year cost against
    volume with today's volume and the break-even crossings, and the cumulative cost month by
    month at today's volume; ranges as bands, the recommendation as the thick black line."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(WIDTH_IN, HEIGHT_IN), dpi=DPI, facecolor="white")
    FigureCanvasAgg(fig)
    left, right = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1.25, 1]})
    _volume_panel(left, curves)
    _month_panel(right, curves)
    for ax in (left, right):
        ax.tick_params(labelsize=13)
        ax.grid(True, which="major", color="#DDDDDD", linewidth=1)
        ax.spines[["top", "right"]].set_visible(False)
    name = curves.workload or "Workload"
    fig.suptitle(
        f"{name}\nRecommended: {pattern_title(curves.pattern)}",
        fontsize=19,
        fontweight="bold",
        x=0.01,
        ha="left",
    )
    handles = [left.lines[i] for i in range(len(curves.options))]
    labels = [
        "Recommended: "
        + chosen_option(
            curves.pattern,
            o.behaviour,
            o.knowledge,
            [(x.behaviour, x.knowledge) for x in curves.options if not x.recommended],
        )
        if o.recommended
        else option_words(o.behaviour, o.knowledge)
        for o in curves.options
    ]
    fig.legend(
        handles,
        labels,
        loc="lower center",
        ncol=min(3, len(labels)),
        fontsize=13,
        frameon=False,
        handlelength=3.5,
    )
    rows = math.ceil(len(labels) / 3)
    fig.subplots_adjust(left=0.09, right=0.97, top=0.83, bottom=0.13 + 0.045 * rows, wspace=0.22)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI, facecolor="white")
    return buf.getvalue()


def _today(option: OptionCurve) -> tuple[float, float]:
    return option.cumulative_usd[-1]  # the three-year figure at today's volume


def _mid(pair: tuple[float, float]) -> float:
    return (pair[0] + pair[1]) / 2


def chart_alt_text(curves: CostCurves) -> str:
    """The chart in words: the recommendation and its three-year range, the cheapest
    alternative and why it is not chosen, and where the cost lines cross."""
    rec = curves.recommended
    today = curves.requests_per_day
    name = f"“{curves.workload}”: " if curves.workload else ""
    parts = [
        f"Cost chart for {name}recommended: {pattern_title(curves.pattern)}, "
        f"{money_range(_today(rec))} over three years at {today:,} requests a day."
    ]
    if curves.alternatives:
        cheapest = min(curves.alternatives, key=lambda o: _mid(_today(o)))
        costs = f"{_sentence(cheapest)}, costs {money_range(_today(cheapest))}"
        if _mid(_today(cheapest)) < _mid(_today(rec)):
            reasons = " ".join(w.reason for w in cheapest.why_not)
            why = f" Why it is not chosen: {reasons}" if reasons else ""
            parts.append(f"The cheapest alternative, {costs}.{why}")
        else:
            parts.append(f"The recommendation is the cheapest option today; the next, {costs}.")
    if curves.crossings:
        said = [
            f"{_sentence(o)} is cheaper {c.side} {c.requests_per_day:,} requests a day"
            for c in curves.crossings
            for o in curves.alternatives
            if (o.behaviour, o.knowledge) == (c.behaviour, c.knowledge)
        ]
        parts.append("Break-even: " + "; ".join(said) + ".")
    else:
        parts.append("No alternative's cost line crosses the recommendation's.")
    text = " ".join(p if p.endswith(".") else p + "." for p in parts)
    return upper_first(text)


def chart_paths(path: str | Path, count: int) -> list[Path]:
    """Where `count` charts go for `--chart PATH`: PATH itself for one, else
    `<PATH's stem>-<n>.png` beside it, n from 1."""
    target = Path(path)
    if count == 1:
        return [target]
    return [target.with_name(f"{target.stem}-{n}.png") for n in range(1, count + 1)]


def charted(assessment: Assessment) -> list[CostCurves]:
    """The curves of every workload with costs, in workload order."""
    return [c for w in assessment.workloads if (c := workload_curves(w)) is not None]


def result_curves(result: AssessmentResult) -> list[tuple[int, CostCurves]]:
    """The curves of a stored result's costed workloads, with each workload's index: what the
    Slack app charts after posting a recommendation (it keeps the result, not the assessment)."""
    out = []
    for index, w in enumerate(result.workloads):
        if w.costs is None:
            continue
        alternatives = [
            Alternative(
                behaviour=a.behaviour,
                knowledge=a.knowledge,
                pattern=a.pattern,
                line=a.figures,
                break_even=a.break_even,
                why_not=a.why_not,
            )
            for a in w.costs.alternatives
        ]
        curves = cost_curves(
            w.costs.recommended,
            alternatives,
            usage_of(w.answers),
            behaviour=str(w.behaviour),
            knowledge=str(w.knowledge),
            pattern=w.pattern,
            workload=w.name,
        )
        out.append((index, curves))
    return out


def write_charts(assessment: Assessment, path: str | Path) -> list[Path]:
    """Write the charts of `ragft assess --chart PATH`: one PNG per workload with costs (none
    for a workload without), named by `chart_paths`; the paths written, in workload order."""
    curves = charted(assessment)
    paths = chart_paths(path, len(curves))
    for target, c in zip(paths, curves, strict=True):
        target.write_bytes(render_cost_chart(c))
    return paths


__all__: Sequence[str] = (
    "chart_alt_text",
    "chart_paths",
    "charted",
    "money",
    "render_cost_chart",
    "result_curves",
    "write_charts",
)
