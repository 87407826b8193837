"""The Markdown decision record."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

from engine import AssessmentResult, assess, to_markdown
from engine.figure_words import figure_words
from engine.record import CHEAPER_NOTE, flip_assumptions, flip_change
from engine.result import Flip
from engine.rules import RULE_BY_ID
from engine.words import answer_words, money_range

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def test_record_has_every_section_and_the_revisit_date() -> None:
    """The record shows context, options with costs, decision, consequences and revisit date."""
    profile = json.loads((EXAMPLES / "support-bot.json").read_text())
    text = to_markdown(assess(profile, decided_on=date(2026, 2, 28)))
    for heading in (
        "### Context",
        "### Options considered",
        "### Decision",
        "### Consequences",
        "## Revisit",
    ):
        assert heading in text
    assert "2027-02-28" in text and "(chosen)" in text and "rag_ft_format" in text
    assert "Route tickets to a queue" in text and "no_llm" in text


def test_revisit_defaults_to_twelve_months_and_can_be_set() -> None:
    """revisit_on is decided_on + 12 months (29 Feb → 28 Feb) unless given."""
    a = assess({"deployment": "research"}, decided_on=date(2028, 2, 29))
    assert a.revisit_on == date(2029, 2, 28)
    b = assess(
        {"deployment": "research"}, decided_on=date(2028, 2, 29), revisit_on=date(2028, 3, 1)
    )
    assert b.to_json()["assessment"]["revisit_on"] == "2028-03-01"


def test_summary_is_a_sentence_with_titles_singular_and_plural() -> None:
    """The summary names each workload with its pattern's title, in the right number."""
    one = assess(json.loads((EXAMPLES / "research.json").read_text()), decided_on=date(2026, 1, 1))
    text = one.summary.text
    assert text.startswith("Recommended for 1 workload: “Explore tool-using agents” → Out of scope")
    assert "workload(s)" not in text and text.endswith("Revisit on 2027-01-01.")
    two = assess(
        json.loads((EXAMPLES / "support-bot.json").read_text()), decided_on=date(2026, 1, 1)
    )
    assert two.summary.text.startswith("Recommended for 2 workloads: ")
    assert "rag_ft_format" not in two.summary.text


def test_engine_words_name_the_target_and_the_refresh_pace() -> None:
    """Measure-next names the quality target in %, and the refresh risk says "every day"."""
    w = assess(
        json.loads((EXAMPLES / "support-bot.json").read_text()), decided_on=date(2026, 1, 1)
    ).workloads[0]
    assert any(m.endswith("against your quality target (85 %).") for m in w.measure_next)
    assert any("up to date every day" in r for r in w.risks)
    assert not any("quality_target_pct" in m for m in w.measure_next)


def test_answer_words_and_flip_text() -> None:
    """Answers in words: percents, money, lists joined with "and", choice words."""
    assert answer_words("baseline_pct", 72) == "72 %"
    assert answer_words("engineer_quarter_usd", 60000.0) == "$60,000"
    assert answer_words("gaps", ["knowledge", "format", "tone"]) == (
        "tone, output format and missing facts"
    )
    assert answer_words("gaps", []) == "none"
    assert answer_words("freshness", "realtime") == "in real time"
    flip = {"field": "baseline_pct", "from": 72, "to": 80, "pattern": "rag_prompting"}
    assert flip_change(Flip.model_validate(flip)) == "prompt baseline: 72 % → 80 %"
    also = {"price_per_mtok": 5.0, "requests_per_day": 0}
    assert flip_assumptions(Flip.model_validate({**flip, "also": also})) == []


def _record(example: str) -> tuple[AssessmentResult, str]:
    profile = json.loads((EXAMPLES / example).read_text())
    result = assess(profile, decided_on=date(2026, 2, 28))
    return result, to_markdown(result)


def test_rule_ids_link_inside_the_record_not_to_a_relative_path() -> None:
    """The record is moved around (var/files/, docs/decisions/): every link is to its own
    "Rules cited" section, and the framework is named in plain words, not by a link."""
    for example in sorted(p.name for p in EXAMPLES.glob("*.json")):
        _, text = _record(example)
        targets = re.findall(r"\]\(([^)]*)\)", text)
        assert targets and set(targets) == {"#rules-cited"}, example
        assert "\n## Rules cited\n" in text
        assert "`docs/FRAMEWORK.md` in the ragft repository" in text


def test_rules_cited_explains_each_cited_rule_once() -> None:
    """Each rule id the record cites (fired, or against an alternative) is linked where it is
    cited and explained once under "Rules cited" with its article section and meaning."""
    result, text = _record("catalogue-at-scale.json")
    cited_section = text.split("\n## Rules cited\n", 1)[1].split("\n## ", 1)[0]
    fired = {t.rule for w in result.workloads for t in w.trace}
    against = {
        r.rule for w in result.workloads if w.costs for a in w.costs.alternatives for r in a.why_not
    }
    for rule in fired | against:
        assert f"[{rule}](#rules-cited)" in text
        line = f"- **{rule}** (*{RULE_BY_ID[rule].section}*): {RULE_BY_ID[rule].reason}"
        assert cited_section.count(f"- **{rule}** ") == 1 and line in cited_section
    listed = re.findall(r"^- \*\*(\w+)\*\*", cited_section, re.MULTILINE)
    assert sorted(listed) == sorted(fired | against)


def test_cost_table_has_steady_state_and_says_what_cheaper_compares() -> None:
    """The options table shows steady state per year between year one and three years, and the
    note under it says "cheaper" compares three-year totals at the middle of each range."""
    result, text = _record("support-bot.json")
    costs = result.workloads[0].costs
    assert costs is not None
    assert "| year one | steady per year | three years |" in text
    assert money_range(costs.recommended.steady_state_usd) in text
    assert CHEAPER_NOTE in text and "three-year totals" in CHEAPER_NOTE
    assert "at the middle of each range" in CHEAPER_NOTE


def test_a_figure_of_one_takes_a_singular_unit() -> None:
    """A figure of 1 reads "1 engineer-quarter per step", not "1 engineer-quarters per step";
    ranges and other figures keep the plural, and units with no plural word are left alone."""
    assert figure_words(1.0, "engineer-quarters per step") == "1 engineer-quarter per step"
    assert figure_words((1.0, 1.0), "engineer-quarters") == "1 engineer-quarter"
    assert figure_words(1, "quality points per step") == "1 quality point per step"
    assert figure_words((1.0, 2.0), "re-trainings a year") == "1–2 re-trainings a year"
    assert figure_words(2.0, "engineer-quarters per step") == "2 engineer-quarters per step"
    assert figure_words(1.0, "price cut on cached tokens") == "1 price cut on cached tokens"
    profile = json.loads((EXAMPLES / "knowledge-assistant.json").read_text())
    record = to_markdown(assess(profile, decided_on=date(2026, 1, 1)))
    assert "(`rag_plateau.eq_per_step`): 1 engineer-quarter per step [D;" in record
    assert ": 1 engineer-quarters" not in record


def test_money_reads_compactly_at_every_size() -> None:
    """One money style for Slack, the CLI, the record and the chart's axes and alt text."""
    from engine.words import money

    sizes = (950, 1_500, 15_000, 150_000, 304_000, 999_999, 1_234_567, 1_970_000, 2e9, 1.5e12)
    assert [money(x) for x in sizes] == [
        "$950",
        "$1.5k",
        "$15k",
        "$150k",
        "$304k",
        "$1M",
        "$1.23M",
        "$1.97M",
        "$2B",
        "$1,500B",
    ]


def test_the_chosen_row_takes_its_own_name_where_another_row_has_the_title() -> None:
    """A format-only fine-tune + lookup is titled "Fine-tune + lookup", the full fine-tune's
    row: the chosen row then says what it is."""
    from engine.words import chosen_option

    others = [("fine_tune", "lookup"), ("prompting", "lookup")]
    assert chosen_option("ft_lookup", "fine_tune_format", "lookup", others) == (
        "Format-only fine-tune + lookup"
    )
    assert chosen_option("ft_lookup", "fine_tune", "lookup", [("prompting", "lookup")]) == (
        "Fine-tune + lookup"
    )
