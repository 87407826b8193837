"""The Slack recommendation persuades (issue 10): a native cost table, why not each alternative
with its rule, the assumptions with how to override them, the cost table in the fallback."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from bot.views import recommendation_messages, shared_messages
from bot.views._blocks import MAX_BLOCKS, MAX_SECTION_TEXT, MAX_TEXT
from bot.views.assumptions import all_assumptions_messages
from bot.views.recommendation import cost_table
from engine import MAX_WORKLOADS, AssessmentResult, Calibration, assess
from engine.calibration import calibration_table
from engine.words import pattern_title

ROOT = Path(__file__).resolve().parents[2]


def _result(example: str, copies: int = 1) -> AssessmentResult:
    profile = json.loads((ROOT / "examples" / example).read_text())
    if copies > 1:  # the costed workload, as many times as an assessment holds at most
        profile["workloads"] = [profile["workloads"][0]] * copies
    return assess(profile, decided_on=date(2026, 3, 1))


def test_messages_are_tested_on_the_tests_own_calibration(test_calibration: Calibration) -> None:
    """Results here cost on tests/bot/calibration.toml, not the shipped table: a shipped
    figure can change without a message test changing, and a figure of this table shows."""
    plain = _result("support-bot.json")
    table = (Path(__file__).with_name("calibration.toml")).read_text(encoding="utf-8")
    bumped = calibration_table(table.replace("range = [1.0, 3.0]", "range = [2.0, 3.0]"))
    profile = json.loads((ROOT / "examples" / "support-bot.json").read_text())
    day = date(2026, 3, 1)
    assert plain == assess(profile, decided_on=day, calibration=test_calibration)
    assert plain != assess(profile, decided_on=day, calibration=bumped)


def test_first_costed_workload_gets_a_native_table() -> None:
    messages = recommendation_messages(_result("support-bot.json"), assessment_id="a1")
    tables = [b for m in messages for b in m.blocks if b["type"] == "table"]
    assert len(tables) == 1
    rows = tables[0]["rows"]
    assert [c["text"] for c in rows[0]][:2] == ["pattern", "year one"]
    assert rows[1][0] == {"type": "raw_text", "text": "▶ Format-only fine-tune + RAG"}
    assert rows[2][-1]["text"] == "always, but see B4"
    assert messages[0].metadata is not None


def test_why_not_and_assumptions_are_shown_with_the_override() -> None:
    text = str(recommendation_messages(_result("support-bot.json"), assessment_id="a1")[0].blocks)
    assert "*Prompting + RAG* (cheaper at any volume): Cheaper, but your 72 %" in text
    assert "RAG upkeep (`rag.ongoing_fte`): 0.2–0.3 share of one engineer (FTE) · F · " in text
    assert "From your answers: requests per day" in text
    assert "ragft assess --calibration team.toml" in text
    assert "F = from the article" in text


def test_fallback_text_holds_the_cost_comparison() -> None:
    first = recommendation_messages(_result("support-bot.json"), assessment_id="a1")[0]
    assert first.text.startswith("Recommendation for Customer support bot")
    assert "Costs of Answer billing questions (USD):" in first.text
    assert "Prompting + RAG" in first.text and "$304k–$826k" in first.text
    assert len(first.text) <= MAX_TEXT


def test_many_costed_workloads_keep_one_table_per_message_and_the_limits() -> None:
    messages = recommendation_messages(
        _result("support-bot.json", MAX_WORKLOADS), assessment_id="a1"
    )
    assert len(messages) > 1
    for m in messages:
        assert sum(b["type"] == "table" for b in m.blocks) <= 1
        assert len(m.blocks) <= MAX_BLOCKS
        for b in m.blocks:
            if b["type"] == "section":
                assert len(b["text"]["text"]) <= MAX_SECTION_TEXT
    assert messages[0].metadata is not None
    assert all(m.metadata is None for m in messages[1:])


@pytest.mark.parametrize("example", sorted(p.name for p in (ROOT / "examples").glob("*.json")))
def test_the_headline_and_the_chosen_cost_row_name_the_pattern_alike(example: str) -> None:
    """One title per pattern: the chosen row of the cost table carries the headline's title."""
    for w in _result(example).workloads:
        if w.costs is not None:
            rows = [row.strip() for row in cost_table(w).splitlines()[1:]]
            others = {row.split("  ")[0] for row in rows[1:]}
            title = pattern_title(w.pattern)
            if title not in others:  # else the chosen row takes its own name
                assert rows[0].startswith(f"▶ {title}  "), rows[0]
            assert rows[0].removeprefix("▶ ").split("  ")[0] not in others


def test_the_channel_sees_the_assumptions_behind_the_shared_costs() -> None:
    shared = shared_messages(
        _result("support-bot.json"),
        user="U1",
        decided_on="2026-03-01",
        revisit_on="2027-03-01",
        assessment_id="a1",
    )
    text = str([b for m in shared for b in m.blocks])
    assert "What the costs rest on most" in text
    assert "decision record of assessment `a1`" in text
    assert "RAG upkeep (`rag.ongoing_fte`): 0.2–0.3" in text
    assert "all 19 are in the decision record" in text


def test_slack_shows_the_decision_first_and_the_record_keeps_every_figure() -> None:
    """Slack lists the answers the costs rest on and the three figures that weigh most in the
    chosen option's cost, saying where the rest are; the record lists all of them."""
    from engine import to_markdown

    result = _result("support-bot.json")
    blocks = [b for m in recommendation_messages(result, assessment_id="a1") for b in m.blocks]
    text = str(blocks)
    costs = result.workloads[0].costs
    assert costs is not None
    listed = [a.name for a in costs.assumptions if f"(`{a.name}`)" in text]
    assert len(listed) == 3 and "rag.inference_multiplier" in listed
    assert "From your answers: requests per day 20,000" in text
    assert f"all {len(costs.assumptions)} are one click away (*Show all assumptions*" in text
    ids = [e.get("action_id") for b in blocks if b["type"] == "actions" for e in b["elements"]]
    assert "ragft_assumptions" in ids
    (shown,) = all_assumptions_messages(result)
    everything = str(shown.blocks)
    assert all(f"(`{a.name}`)" in everything for a in costs.assumptions)
    record = to_markdown(result)
    assert all(f"(`{a.name}`)" in record for a in costs.assumptions)


def test_what_would_change_says_what_it_assumes_for_newly_asked_questions() -> None:
    """A research workload moved to production is asked domain, task, knowledge and gaps:
    Slack says the answers the flip takes for them, as the CLI and the record do."""
    messages = recommendation_messages(_result("research.json"), assessment_id="a1")
    text = str([b for m in messages for b in m.blocks])
    assert "would make it Prompting only, assuming domain: everyday business" in text


def test_the_channel_can_read_the_rules_the_shared_costs_name() -> None:
    """The shared post says "but see B4": its Why section says what B4 is."""
    shared = shared_messages(
        _result("support-bot.json"), user="U1", decided_on="2026-03-01", revisit_on="2027-03-01"
    )
    text = str([b for m in shared for b in m.blocks])
    assert "see B4" in text and "rule B4)" in text


def test_each_reported_gap_is_answered_in_slack_and_the_shared_post() -> None:
    """The support bot reported format and knowledge gaps: the recommendation and the shared
    post both say what closes each and cite the rule."""
    result = _result("support-bot.json")
    gaps = [g for w in result.workloads for g in w.gaps_answered]
    assert [g.gap for g in gaps] == ["format", "knowledge"]
    for messages in (
        recommendation_messages(result, assessment_id="a1"),
        shared_messages(result, user="<@U1>", decided_on="2026-03-01", revisit_on="2027-03-01"),
    ):
        text = str([b for m in messages for b in m.blocks])
        assert "The gaps you reported" in text
        for gap in gaps:
            assert gap.answer in text and f"(rule {gap.rule})" in text
