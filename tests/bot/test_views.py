"""The pure Block Kit views: metadata shapes, Slack limits, readable text."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.command_text import parse_command
from bot.views import (
    MAX_BLOCKS,
    MAX_SECTION_TEXT,
    AssessmentSummary,
    QuestionView,
    answered_message,
    home_view,
    list_message,
    question_message,
    recommendation_messages,
)
from bot.views._blocks import chunk_text, pack
from bot.views.questions import read_button_value
from bot.views.recommendation import cost_table
from engine.result import AssessmentResult, WorkloadRecommendation
from engine.words import break_even_words, money_range


def _pair(low: float, high: float) -> list[float]:
    return [low, high]


def _costs() -> dict[str, Any]:
    figures = {
        "build_eq": _pair(1, 3),
        "ongoing_fte": _pair(0.2, 0.3),
        "inference_multiplier": _pair(2, 10),
        "year_one_usd": _pair(120_000, 250_000),
        "steady_state_usd": _pair(60_000, 70_000),
        "three_year_usd": _pair(240_000, 390_000),
    }
    alt = {**figures, "behaviour": "fine_tune", "knowledge": "rag", "pattern": "rag_ft"}
    return {
        "recommended": figures,
        "alternatives": [
            {**alt, "break_even_requests_per_day": {"above": 12_000}},
            {**alt, "behaviour": "distillation", "break_even_requests_per_day": "never"},
        ],
    }


def _workload(name: str) -> dict[str, Any]:
    return {
        "name": name,
        "pattern": "rag_prompting",
        "modifiers": ["prompt_caching"],
        "behaviour": "prompting",
        "knowledge": "rag",
        "rules_fired": ["B2", "K3", "K6"],
        "trace": [
            {"rule": "B2", "section": "maintenance debt", "reason": "The prompt is close enough."},
            {"rule": "K3", "section": "what each solves", "reason": "A large corpus needs RAG."},
        ],
        "risks": ["Retrieval quality levels off."],
        "measure_next": ["Answer accuracy on 200 real questions."],
        "flips": [{"field": "baseline_pct", "from": 85, "to": 79, "pattern": "rag_ft_format"}],
        "costs": _costs(),
    }


def _assessment(workloads: int = 1) -> dict[str, Any]:
    """The INTERFACES.md JSON of an assessment, as the store keeps it."""
    return {
        "assessment": {
            "name": "Support assistant",
            "decided_on": "2025-03-01",
            "revisit_on": "2026-03-01",
        },
        "summary": {"text": "Mostly retrieval."},
        "workloads": [_workload(f"job {i}") for i in range(workloads)],
    }


def _messages(assessment: dict[str, Any], assessment_id: str = "a1b2") -> list[Any]:
    return recommendation_messages(
        AssessmentResult.model_validate(assessment), assessment_id=assessment_id
    )


def _question(kind: str = "choice", **extra: Any) -> QuestionView:
    choices = [("production", "Real users"), ("research", "Research")]
    return QuestionView(
        ask_id="ask-7",
        assessment_id="a1b2",
        question_id=extra.pop("question_id", "deployment"),
        workload=extra.pop("workload", 0),
        prompt="Where does it run?",
        kind=kind,
        choices=choices if kind in ("choice", "set") else (),
        **extra,
    )


def test_question_metadata_has_exactly_the_interface_fields() -> None:
    """A question carries ragft_question: assessment_id, bare question_id, workload, ask_id."""
    message = question_message(_question(question_id="baseline_pct", workload=2, kind="int"))
    assert message.metadata == {
        "event_type": "ragft_question",
        "event_payload": {
            "assessment_id": "a1b2",
            "question_id": "baseline_pct",
            "workload": 2,
        },
    }


def test_choice_buttons_carry_the_ask_id_and_the_choice() -> None:
    """Each choice button's value names the asking it answers and the choice id."""
    message = question_message(_question())
    buttons = [e for b in message.blocks if b["type"] == "actions" for e in b["elements"]]
    values = [
        read_button_value(b["value"]) for b in buttons if b["action_id"].startswith("ragft_answer")
    ]
    assert values == [("ask-7", "production"), ("ask-7", "research")]
    assert len({b["action_id"] for b in buttons}) == len(buttons)


def test_set_question_offers_checkboxes_and_a_done_button() -> None:
    """The multi-select question shows checkboxes plus a Done button."""
    blocks = question_message(_question(kind="set", question_id="gaps")).blocks
    assert any(b.get("accessory", {}).get("type") == "checkboxes" for b in blocks)
    done = [e for b in blocks if b["type"] == "actions" for e in b["elements"]]
    assert "ragft_gaps_done" in {e["action_id"] for e in done}


def test_answered_redraw_drops_the_buttons_and_shows_the_answer() -> None:
    """Once answered, the question shows who answered what and offers no more buttons."""
    message = answered_message(_question(), user="<@U1>", answer="Real users")
    assert all(b["type"] != "actions" for b in message.blocks)
    assert "Real users" in str(message.blocks)


@pytest.mark.parametrize("user", ["U1", "<@U1>"])
def test_answered_redraw_mentions_the_user_once(user: str) -> None:
    """A user id or a ready mention both show as one mention (not `<@<@U1>>`)."""
    message = answered_message(_question(), user=user, answer="Real users")
    context = next(b for b in message.blocks if b["type"] == "context")
    assert context["elements"][0]["text"] == "Deployment: *Real users*, answered by <@U1>"


def test_a_skipped_question_shows_the_default_was_kept() -> None:
    """A default taken by `skip` is not shown as the person's answer."""
    message = answered_message(_question(), user="U1", answer="Every week", kept_default=True)
    context = next(b for b in message.blocks if b["type"] == "context")
    assert context["elements"][0]["text"] == "Deployment: *Every week*, the default, kept by <@U1>"


def test_a_name_question_does_not_offer_buttons_to_answer_with() -> None:
    """A free-text question's hint asks for a reply, not for a button."""
    blocks = question_message(_question(kind="text", question_id="workload_name")).blocks
    context = next(b for b in blocks if b["type"] == "context")
    assert context["elements"][0]["text"] == "Reply in this thread."


def test_recommendation_metadata_shape_on_first_message_only() -> None:
    """The first recommendation message carries ragft_recommendation with the patterns."""
    messages = _messages(_assessment(2))
    messages_answers: list[dict[str, Any]] = [{}, {}]  # these workloads carry no answers
    assert messages[0].metadata == {
        "event_type": "ragft_recommendation",
        "event_payload": {
            "assessment_id": "a1b2",
            "revisit_on": "2026-03-01",
            "workloads": [
                {
                    "name": f"job {i}",
                    "pattern": "rag_prompting",
                    "modifiers": ["prompt_caching"],
                    "answers": messages_answers[i],
                }
                for i in range(2)
            ],
        },
    }
    assert all(m.metadata is None for m in messages[1:])


def test_recommendation_metadata_carries_each_workloads_answers() -> None:
    """`workloads[i].answers` is every field as the engine read it, in stored form."""
    data = _assessment(1)
    answers = {"deployment": "production", "gaps": ["format"], "requests_per_day": 8000}
    data["workloads"][0]["answers"] = answers
    payload = _messages(data)[0].metadata["event_payload"]  # type: ignore[index]
    assert payload["workloads"][0]["answers"] == answers


def test_many_workloads_split_across_messages_within_limits() -> None:
    """Ten workloads spill over several messages, none above 50 blocks or 3000 chars a section."""
    messages = _messages(_assessment(10))
    assert len(messages) > 1
    for message in messages:
        assert len(message.blocks) <= MAX_BLOCKS
        for block in message.blocks:
            if block["type"] == "section":
                assert len(block["text"]["text"]) <= MAX_SECTION_TEXT
    last = messages[-1].blocks[-1]
    assert {e["action_id"] for e in last["elements"]} == {
        "ragft_export",
        "ragft_assumptions",
        "ragft_reassess",
        "ragft_accept",
        "ragft_canvas",
        "ragft_retire",
    }


def test_recommendation_shows_costs_rules_flips_and_revisit() -> None:
    """The recommendation names the rules, the cost table with break-even, flips and the date."""
    text = str(_messages(_assessment())[0].blocks)
    for expected in ("B2", "above 12,000/day", "never", "2026-03-01", "Prompt baseline", "$120k"):
        assert expected in text


def test_out_of_scope_workload_has_no_cost_table() -> None:
    """A workload without costs (no_llm) renders without a cost section."""
    assessment = _assessment()
    assessment["workloads"][0] = {
        "name": "tickets",
        "pattern": "no_llm",
        "modifiers": [],
        "costs": None,
    }
    text = str(_messages(assessment, "x")[0].blocks)
    assert "No LLM" in text and "```" not in text


def test_cost_table_lines_up_recommended_and_alternatives() -> None:
    """The cost table has one header row, the recommendation and one row per alternative."""
    named = cost_table(WorkloadRecommendation.model_validate(_workload("w"))).splitlines()
    assert len(named) == 4
    assert [line[:2] + line[2:].split("  ")[0] for line in named[1:]] == [
        "▶ Prompting + RAG",
        "  Fine-tune + RAG",
        "  Distillation + RAG",
    ]


def test_recommendation_speaks_in_labels_not_ids() -> None:
    """Summary, cost rows and flips use the interview's words; rule ids close each reason."""
    assessment = _assessment(2)
    assessment["summary"] = {
        "text": "2 workload(s): job 0: rag_prompting",
        "patterns": [],
        "recommended_totals": {"year_one_usd": [1000, 2000], "three_year_usd": [3000, 6000]},
    }
    assessment["workloads"][0]["flips"] = [
        {"field": "deployment", "from": "production", "to": "research", "pattern": "no_llm"},
        {"field": "gaps", "from": ["format", "refusal"], "to": ["format"], "pattern": "rag_ft"},
    ]
    text = "\n".join(str(m.blocks) for m in _messages(assessment, "x"))
    assert "• job 0: Prompting + RAG" in text
    assert "All together: $1.0k–$2.0k in year one, $3.0k–$6.0k over three years." in text
    assert "▶ Prompting + RAG" in text
    assert "• Deployment: Real users (production) → An experiment or research would make it" in text
    assert (
        "Gaps: Output format / structured output and Refusing the right things → "
        "Output format / structured output"
    ) in text
    assert "A large corpus needs RAG. _(what each solves; rule K3)_" in text
    for raw in ("rag_prompting", "workload(s)", "production →", "`K3`", "{format"):
        assert raw not in text


def test_break_even_words() -> None:
    """Break-even values read as words."""
    assert break_even_words({"below": 5}) == "below 5/day"
    assert break_even_words("always") == "always"
    assert money_range([1500, 1500]) == "$1.5k"


@settings(max_examples=150, deadline=None)
@given(st.text(min_size=0, max_size=9000))
def test_chunk_text_never_exceeds_the_limit_and_keeps_all_text(text: str) -> None:
    """Chunked text stays within the section limit and loses no character except line breaks."""
    pieces = chunk_text(text, 300)
    assert all(len(p) <= 300 for p in pieces)
    assert "".join(pieces).replace("\n", "") == text.replace("\n", "")


@settings(max_examples=100, deadline=None)
@given(st.integers(min_value=0, max_value=400), st.integers(min_value=0, max_value=5))
def test_pack_respects_the_block_limit(count: int, tail: int) -> None:
    """Packing keeps every block, in order, with no message over 50 blocks and the tail last."""
    blocks = [{"type": "divider", "n": i} for i in range(count)]
    tails = [{"type": "divider", "tail": i} for i in range(tail)]
    messages = pack(blocks, tail=tails)
    assert all(len(m) <= MAX_BLOCKS for m in messages)
    assert [b for m in messages for b in m] == blocks + tails


def test_list_and_home_show_patterns_and_revisit_dates() -> None:
    """The list and the App Home show each assessment's pattern and its revisit or snooze date."""
    items = [
        AssessmentSummary("a1", "Bot", "completed", "2025-01-02", "2026-01-02", None, ["rag_ft"]),
        AssessmentSummary("a2", "Other", "completed", "2025-01-02", "2026-01-02", "2026-02-01"),
        AssessmentSummary("a3", "Draft", "in_progress"),
    ]
    text = str(list_message(items).blocks)
    assert "2026-01-02" in text and "snoozed until 2026-02-01" in text and "in progress" in text
    view = home_view(items)
    assert view["type"] == "home" and len(view["blocks"]) <= 100
    assert "Fine-tune + RAG" in str(view)


def test_empty_list_invites_a_first_assessment() -> None:
    """With no assessments the list says how to start one."""
    assert "/ragft assess" in list_message([]).text


def test_commands_are_read_forgivingly() -> None:
    """Extra spaces, capitals and unknown words are understood (unknown -> help)."""
    assert parse_command("  ASSESS   Support  bot ") == parse_command("assess Support bot")
    assert parse_command("assess Support bot").argument == "Support bot"
    assert parse_command("frobnicate").verb == "help"
    assert parse_command("").verb == "help"
    assert parse_command("forget me").verb == "forget-me"
    assert parse_command("Show  `a1b2` please").argument == "a1b2"


def test_skip_and_back_are_offered_only_where_they_do_something() -> None:
    """A question with a default offers Skip; one without (the baseline, say) does not;
    the first question offers no Back."""

    def controls(view: QuestionView) -> list[str]:
        message = question_message(view)
        return [
            e["action_id"].removeprefix("ragft_control_")
            for b in message.blocks
            if b["type"] == "actions"
            for e in b["elements"]
            if e["action_id"].startswith("ragft_control_")
        ]

    assert controls(_question(kind="int", question_id="baseline_pct")) == ["back", "why", "cancel"]
    with_default = _question(kind="choice", question_id="freshness", default="Weekly")
    assert controls(with_default) == ["back", "skip", "why", "cancel"]
    first = _question(kind="text", question_id="workload_name", can_go_back=False)
    assert controls(first) == ["why", "cancel"]  # no Back where there is nothing to go back to


def test_share_button_only_when_asked_and_the_shared_summary_has_no_buttons() -> None:
    """`share=True` (the owner's `/ragft show`) adds *Share in channel*; the shared version
    names who shared it, the pattern and the costs, and carries no buttons."""
    from bot.views import shared_messages

    result = AssessmentResult.model_validate(_assessment())
    shown = recommendation_messages(result, assessment_id="a1b2", share=True)
    last = shown[-1].blocks[-1]
    assert "ragft_share" in {e["action_id"] for e in last["elements"]}
    shared = shared_messages(result, user="U1", decided_on="2025-03-01", revisit_on="2026-03-01")
    text = str([m.blocks for m in shared])
    assert "<@U1>" in text and "$120k" in text and "2026-03-01" in text
    assert all(b["type"] != "actions" for m in shared for b in m.blocks)


def test_command_text_escaped_by_slack_reads_as_typed() -> None:
    """With `should_escape`, Slack sends `&`, `<`, `>` as entities; the name reads as typed,
    so it is escaped once where it is shown, never twice."""
    assert parse_command("assess R&amp;D &lt;bot&gt;").argument == "R&D <bot>"
    assert parse_command("show &lt;abc123&gt;").argument == "abc123"
