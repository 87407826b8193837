"""The cost as a picture (issue 10): a PNG per costed workload, its alt text, and the files of
`ragft assess --chart PATH`.

matplotlib is imported inside the functions that draw: it takes longer to import than the rest
of `ragft assess`, which only pays for it when a chart is asked for. Only the object API is
used (a Figure on an Agg canvas, no pyplot, no global settings changed), so charts can be drawn
from several threads at once.
"""

from __future__ import annotations

import io
import textwrap
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from engine.curves import CostCurves, OptionCurve, workload_curves
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
    from matplotlib.figure import Figure

WIDTH_IN, HEIGHT_IN, DPI = 12.0, 7.0, 100  # 1200 × 700 px, taller for a long name
TITLE_CHARS = 72  # a workload's name wraps at this width, never cut
LEGEND_CHARS = 110  # so does each legend entry
# One colour per option, the same in every chart (Okabe–Ito, then Tol's muted ones): an
# option keeps its colour whatever else is drawn. The options of one workload never share
# one (its knowledge answer allows `none`, or `lookup` and `rag`, or `rag`).
OPTION_COLOURS: dict[tuple[str, str], str] = {
    **{
        (b, k): c
        for k in ("none", "rag")
        for b, c in (
            ("prompting", "#0072B2"),
            ("fine_tune_format", "#009E73"),
            ("fine_tune", "#D55E00"),
            ("distillation", "#CC79A7"),
        )
    },
    ("prompting", "lookup"): "#E69F00",
    ("fine_tune_format", "lookup"): "#999933",
    ("fine_tune", "lookup"): "#882255",
    ("distillation", "lookup"): "#44AA99",
}
MUTED_ALPHA = 0.5  # an alternative that fails a requirement: its colour, faded


def option_colour(behaviour: str, knowledge: str) -> str:
    """The colour of an option in every chart."""
    return OPTION_COLOURS.get((behaviour, knowledge), "#7F7F7F")


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


def _style(option: OptionCurve) -> dict[str, Any]:
    """The chosen option bold and solid; an alternative thinner, dashed and faded (muted)."""
    colour = option_colour(option.behaviour, option.knowledge)
    if option.recommended:
        return {
            "color": colour,
            "linestyle": "-",
            "linewidth": 4.5,
            "marker": "o",
            "markersize": 9,
            "zorder": 5,
        }
    return {
        "color": colour,
        "alpha": MUTED_ALPHA,
        "linestyle": "--",
        "linewidth": 2.4,
        "marker": "s",
        "markersize": 7,
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
    for i, option in enumerate(curves.that_matter()):
        style = _style(option)
        lows = [lo for lo, _ in option.three_year_usd]
        highs = [hi for _, hi in option.three_year_usd]
        ax.fill_between(
            xs,
            lows,
            highs,
            color=style["color"],
            linewidth=0,
            alpha=0.15 if option.recommended else 0.06,
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
    shown = {o.key for o in curves.that_matter()}
    crossings = [x for x in curves.crossings if x.on_chart and (x.behaviour, x.knowledge) in shown]
    for k, c in enumerate(crossings):
        colour = option_colour(c.behaviour, c.knowledge)
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
            f"break-even\n{volume(c.requests_per_day)}/day",
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
    for option in curves.that_matter():
        style = _style(option)
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
        _plain(f"chosen, 3 years: {money_range(rec)}"),
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
    top = max(rec[1], *(sum(o.cumulative_usd[-1]) / 2 for o in curves.that_matter()))
    ax.set_ylim(0, top * 1.15)
    ax.set_xticks([0, 12, 24, 36], ["0", "1 yr", "2 yrs", "3 yrs"])
    _money_axis(ax)
    today = curves.requests_per_day
    ax.set_title(f"Cumulative cost at {volume(today)}/day", fontsize=17, loc="left")
    ax.set_xlabel("time since the decision (month by month)", fontsize=14)


def render_cost_chart(curves: CostCurves) -> bytes:
    """The chart of one costed workload as PNG bytes (1200 px wide; taller for a long name):
    three-year cost against volume with today's volume and the break-even crossings, and the
    cumulative cost month by month at today's volume; ranges as bands, the chosen option bold
    in its own colour, the alternatives that matter muted with what each fails."""
    fig = chart_figure(curves)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI, facecolor="white")
    return buf.getvalue()


def chart_figure(curves: CostCurves) -> Figure:
    """The chart as a matplotlib Figure on an Agg canvas (`render_cost_chart` saves it)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    name = curves.workload or "Workload"
    title = [*textwrap.wrap(name, TITLE_CHARS, break_long_words=True), ""]
    title[-1] = f"Recommended: {pattern_title(curves.pattern)}"
    shown = curves.that_matter()
    labels = [_plain(legend_label(curves, o)) for o in shown]
    legend_lines = sum(label.count("\n") + 1 for label in labels)
    extra = 0.34 * (len(title) - 2) + 0.26 * max(0, legend_lines - 2)
    height = HEIGHT_IN + extra
    fig = Figure(figsize=(WIDTH_IN, height), dpi=DPI, facecolor="white")
    FigureCanvasAgg(fig)
    left, right = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1.25, 1]})
    _volume_panel(left, curves)
    _month_panel(right, curves)
    for ax in (left, right):
        ax.tick_params(labelsize=13)
        ax.grid(True, which="major", color="#DDDDDD", linewidth=1)
        ax.spines[["top", "right"]].set_visible(False)
    fig.suptitle(
        _plain("\n".join(title)), fontsize=19, fontweight="bold", x=0.01, ha="left", y=0.99
    )
    handles = [left.lines[i] for i in range(len(shown))]
    fig.legend(
        handles,
        labels,
        loc="lower left",
        bbox_to_anchor=(0.01, 0.0),
        ncol=1,
        fontsize=12,
        frameon=False,
        handlelength=3.5,
    )
    top_in = 0.34 * len(title) + 0.55
    bottom_in = 0.8 + 0.26 * legend_lines
    fig.subplots_adjust(
        left=0.09, right=0.97, top=1 - top_in / height, bottom=bottom_in / height, wspace=0.22
    )
    return fig


def legend_label(curves: CostCurves, option: OptionCurve) -> str:
    """An option's legend entry, wrapped: the chosen one's name, or an alternative's name with
    what it fails: "Prompting + RAG: cheaper, but fails the 95 % quality target (K5)"."""
    if option.recommended:
        others = [o.key for o in curves.alternatives]
        text = "Chosen: " + chosen_option(curves.pattern, *option.key, others)
    else:
        cheaper = _mid(_today(option)) < _mid(_today(curves.recommended))
        lead = "cheaper, but " if cheaper else "costs more; "
        text = f"{option_words(*option.key)}: {lead}{curves.fails(option)}"
    return "\n".join(textwrap.wrap(text, LEGEND_CHARS))


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


def charted(result: AssessmentResult) -> list[CostCurves]:
    """The curves of every workload with costs, in workload order."""
    return [c for w in result.workloads if (c := workload_curves(w)) is not None]


def write_charts(result: AssessmentResult, path: str | Path) -> list[Path]:
    """Write the charts of `ragft assess --chart PATH`: one PNG per workload with costs (none
    for a workload without), named by `chart_paths`; the paths written, in workload order."""
    curves = charted(result)
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
    "write_charts",
)
