"""bot/charts: the cost chart is a readable PNG of the engine's figures, said in words, and
`--chart PATH` names its files as INTERFACES.md says."""

from __future__ import annotations

import json
import struct
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from bot.charts import (
    chart_alt_text,
    chart_paths,
    charted,
    render_cost_chart,
    write_charts,
)
from engine import AssessmentResult, assess
from engine.words import money, pattern_title

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples").glob("*.json"))
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _assess(profile: dict[str, Any]) -> AssessmentResult:
    return assess(profile, decided_on=date(2026, 1, 1))


def _example(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((ROOT / "examples" / name).read_text(encoding="utf-8"))
    return data


def _png_size(data: bytes) -> tuple[int, int]:
    """Width and height from the IHDR chunk, which a valid PNG has first."""
    assert data[:8] == PNG_SIGNATURE
    length, kind = struct.unpack(">I4s", data[8:16])
    assert kind == b"IHDR" and length == 13
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def _workload(generation: dict[str, Any], name: str) -> dict[str, Any]:
    return {**generation, "name": name}


SUPPORT = _example("support-bot.json")
BILLING = SUPPORT["workloads"][0]


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_every_costed_example_renders_a_png_of_at_least_800_by_500(path: Path) -> None:
    """Each costed workload of each example gives a valid PNG, 800 × 500 px or more."""
    for curves in charted(_assess(json.loads(path.read_text(encoding="utf-8")))):
        data = render_cost_chart(curves)
        width, height = _png_size(data)
        assert width >= 800 and height >= 500
        assert data.endswith(b"IEND\xaeB`\x82")


def test_a_volume_of_zero_still_renders() -> None:
    """Today's volume 0 has no place on a log axis: the chart says it in words instead."""
    a = _assess({"name": "z", "workloads": [{**BILLING, "requests_per_day": 0}]})
    (curves,) = charted(a)
    assert curves.volumes[0] == 10 and curves.volumes[-1] == 1_000_000
    assert _png_size(render_cost_chart(curves)) >= (800, 500)


def test_charts_render_from_several_threads_at_once() -> None:
    """No pyplot state: drawing in parallel gives the same bytes as drawing alone."""
    (curves,) = charted(_assess(SUPPORT))
    alone = render_cost_chart(curves)
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda _: render_cost_chart(curves), range(4)))
    assert all(r == alone for r in results)


def test_alt_text_says_the_result_in_words() -> None:
    """The recommended pattern's title, its three-year range, the cheapest alternative with
    why it is not chosen, and where the lines cross."""
    a = _assess(SUPPORT)
    w = a.workloads[0]
    (curves,) = charted(a)
    text = chart_alt_text(curves)
    assert pattern_title(w.pattern) in text
    assert w.name in text
    assert w.costs is not None
    low, high = w.costs.recommended.three_year_usd
    assert f"{money(low)}–{money(high)}" in text
    # the cheapest alternative (distillation) is cheaper: its why_not is quoted
    cheapest = min(w.costs.alternatives, key=lambda alt: sum(alt.three_year_usd))
    assert all(reason.reason in text for reason in cheapest.why_not)
    assert "above 2,273 requests a day" in text
    assert "$" in text and "\\$" not in text


def test_alt_text_when_the_recommendation_is_the_cheapest() -> None:
    """No alternative is cheaper today: said, with the next cheapest option."""
    workload = {**BILLING, "baseline_pct": 90, "gaps": [], "requests_per_day": 100}
    (curves,) = charted(_assess({"name": "p", "workloads": [workload]}))
    text = chart_alt_text(curves)
    assert pattern_title(curves.pattern) in text
    assert "The recommendation is the cheapest option today" in text
    assert "Why it is not chosen" not in text
    assert "above 12,812 requests a day" in text


def test_alt_text_without_crossings() -> None:
    """Where no line crosses (always or never cheaper), the text says so."""
    (curves,) = charted(_assess(SUPPORT))
    assert "No alternative's cost line crosses" in chart_alt_text(replace(curves, crossings=()))


def test_one_costed_workload_is_written_at_path(tmp_path: Path) -> None:
    """support-bot has one costed workload and one without costs: one file, at PATH."""
    target = tmp_path / "cost.png"
    written = write_charts(_assess(SUPPORT), target)
    assert written == [target]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cost.png"]
    assert _png_size(target.read_bytes()) >= (800, 500)


def test_several_costed_workloads_are_numbered_beside_path(tmp_path: Path) -> None:
    """Three workloads with costs around one without: <stem>-1.png … -3.png in workload
    order, nothing at PATH itself, none for the workload without costs."""
    classify = SUPPORT["workloads"][1]
    profile = {
        "name": "several",
        "workloads": [
            _workload(BILLING, "first"),
            classify,
            _workload({**BILLING, "requests_per_day": 50}, "second"),
            _workload({**BILLING, "knowledge": "small_fixed"}, "third"),
        ],
    }
    a = _assess(profile)
    target = tmp_path / "out" / "cost.chart.png"
    target.parent.mkdir()
    written = write_charts(a, target)
    assert written == [target.parent / f"cost.chart-{n}.png" for n in (1, 2, 3)]
    assert sorted(p.name for p in target.parent.iterdir()) == [p.name for p in written]
    assert [c.workload for c in charted(a)] == ["first", "second", "third"]
    for path in written:
        assert _png_size(path.read_bytes()) >= (800, 500)


def test_no_costed_workload_writes_nothing(tmp_path: Path) -> None:
    a = _assess(_example("classification-job.json"))
    assert write_charts(a, tmp_path / "c.png") == []
    assert list(tmp_path.iterdir()) == []


def test_chart_paths() -> None:
    assert chart_paths("a/b.png", 1) == [Path("a/b.png")]
    assert chart_paths("a/b.png", 2) == [Path("a/b-1.png"), Path("a/b-2.png")]
    assert chart_paths("chart", 0) == []


def test_importing_the_module_does_not_import_matplotlib() -> None:
    """matplotlib loads only when a chart is drawn: `ragft assess` without --chart stays fast."""
    code = "import sys, bot.charts; print('matplotlib' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert out.stdout.strip() == "False"


def _drawn(profile: dict[str, Any]) -> list[tuple[str, str, float]]:
    """Each legend entry of each costed workload's chart: (label, colour, alpha)."""
    from matplotlib.colors import to_hex

    from bot.charts import chart_figure

    out = []
    for curves in charted(_assess(profile)):
        figure = chart_figure(curves)
        legend = figure.legends[0]
        for text, handle in zip(legend.get_texts(), legend.legend_handles, strict=True):
            colour = to_hex(handle.get_color())  # type: ignore[union-attr]
            out.append((text.get_text(), colour, handle.get_alpha() or 1.0))
    return out


def test_an_option_has_one_colour_in_every_chart() -> None:
    """Across the examples' charts, each option's name always comes with the same colour, and
    no two options of one chart share a colour."""
    from bot.charts import option_colour

    seen: dict[str, set[str]] = {}
    for path in EXAMPLES:
        entries = _drawn(json.loads(path.read_text(encoding="utf-8")))
        colours = [c for _, c, _ in entries]
        for label, colour, _ in entries:
            name = label.removeprefix("Chosen: ").split(":")[0].replace("\n", " ")
            seen.setdefault(name, set()).add(colour)
        assert len(set(colours)) == len(colours) or len(entries) == 0
    assert all(len(colours) == 1 for colours in seen.values()), seen
    assert seen["Prompting + RAG"] == {option_colour("prompting", "rag").lower()}


def test_muted_alternatives_carry_their_failing_reason_and_rule() -> None:
    """The knowledge assistant's chart: the chosen line at full strength, the cheaper
    Prompting + RAG muted, its legend naming the 95 % target it fails and K5; at most three
    options drawn."""
    entries = _drawn(_example("knowledge-assistant.json"))
    assert 2 <= len(entries) <= 3
    chosen, *others = entries
    assert chosen[0].startswith("Chosen: ") and chosen[2] == 1.0
    prompting = next(e for e in others if e[0].startswith("Prompting + RAG"))
    assert "fails the 95 % quality target (K5)" in prompting[0].replace("\n", " ")
    assert all(alpha < 1.0 for _, _, alpha in others)


def test_a_long_name_is_wrapped_whole_into_the_title() -> None:
    """A workload name far wider than the chart is wrapped over several title lines, every
    word kept, and the picture grows taller instead of cutting it."""
    from bot.charts import chart_figure

    name = " ".join(f"word{i}" for i in range(120))
    (curves,) = charted(_assess({"name": "a", "workloads": [{**BILLING, "name": name}]}))
    figure = chart_figure(curves)
    title = figure._suptitle.get_text()  # type: ignore[union-attr]
    assert title.replace("\n", " ").startswith(name)
    assert figure.get_figheight() > 7.0
