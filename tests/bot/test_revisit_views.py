"""The nudge and the re-assessment diff as Block Kit."""

from __future__ import annotations

from datetime import date

from bot.views import action_ids as ids
from bot.views import revisit as v
from bot.views import text as t
from engine import assess
from engine.compare import compare
from tests.bot.test_revisit_sender import PROFILE, make_record


def test_the_nudge_names_the_decision_the_drifting_answers_and_three_actions() -> None:
    """The nudge shows last year's pattern, its reasons, volatile answers and the three actions."""
    message = v.nudge_message(make_record("a1"))
    text = str(message.blocks)
    assert "Prompting + RAG" in text and "2025-01-15" in text
    assert "prompt baseline: 85 %" in text and "requests per day: 10,000" in text
    actions = next(b for b in message.blocks if b["type"] == "actions")["elements"]
    assert [e["action_id"] for e in actions] == [
        ids.REVISIT_REASSESS_ACTION,
        ids.REVISIT_SNOOZE_ACTION,
        ids.REVISIT_DISMISS_ACTION,
    ]
    assert [o["value"] for o in actions[1]["options"]] == ["a1|P1W", "a1|P1M", "a1|P3M"]
    assert message.metadata == {
        "event_type": "ragft_revisit",
        "event_payload": {"assessment_id": "a1"},
    }


def test_changes_blocks_show_pattern_answers_rules_and_cost() -> None:
    """A moved baseline reads as before → after, with the rules and the cost change."""
    after_profile = {
        **PROFILE,
        "workloads": [{**PROFILE["workloads"][0], "baseline_pct": 40, "gaps": ["format"]}],
    }
    before = assess(PROFILE, decided_on=date(2025, 1, 15))
    after = assess(after_profile, decided_on=date(2026, 1, 15))
    text = str(v.changes_blocks(compare(before, after)))
    assert "Prompting + RAG → Format-only fine-tune + RAG" in text
    assert "prompt baseline 85 % → 40 %" in text and "Now applies: B3" in text
    assert "Cost change: year one +" in text


def test_changes_blocks_show_answers_in_words() -> None:
    """Moved answers read as a person would: yes/no, choice labels, lists joined with "and"."""
    workload = {
        **PROFILE["workloads"][0],
        "baseline_pct": 40,
        "gaps": ["tone", "format"],
        "frontier_ok": "no",
        "small_model_ok": "yes",
        "repeat_queries": "often",
    }
    after_profile = {**PROFILE, "workloads": [workload]}
    before = assess(PROFILE, decided_on=date(2025, 1, 15))
    after = assess(after_profile, decided_on=date(2026, 1, 15))
    text = str(v.changes_blocks(compare(before, after)))
    assert "→ Tone or voice and Output format / structured output" in text
    assert "frontier model acceptable yes → no" in text
    assert "repeated queries" in text and "→ Often" in text
    for raw in ("['tone'", "tone, format", "repeat_queries", "→ often"):
        assert raw not in text, raw


def test_no_change_says_the_choice_holds() -> None:
    """Identical answers give the one-line "still holds" note."""
    result = assess(PROFILE, decided_on=date(2025, 1, 15))
    blocks = v.changes_blocks(compare(result, result))
    assert len(blocks) == 1 and t.CHANGES_NONE in str(blocks)


def test_a_settled_nudge_loses_its_buttons_and_says_what_happened() -> None:
    """After Snooze or Dismiss, the message keeps its text, drops the buttons and adds a note."""
    settled = v.settled_message(v.nudge_message(make_record("a1")), "Snoozed.", "a1")
    assert all(b["type"] != "actions" for b in settled.blocks)
    assert settled.blocks[-1]["type"] == "context" and "Snoozed." in str(settled.blocks[-1])
