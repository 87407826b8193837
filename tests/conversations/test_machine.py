"""The interview machine: branching, commands, answers and completion, with no I/O."""

from __future__ import annotations

from conversations import Answered, Ask, Cancelled, Completed, Confirm, Input, Reply, step
from conversations.questions import question
from engine import load_calibration

from .helpers import FULL_RAG_WORKLOAD, NOW, answer_by_question, ask_of, new, send


def test_whole_interview_with_two_workloads_and_branching() -> None:
    """Research skips the rest, generation asks its branch, and the engine result is stored."""
    state, effects = new(name=None)
    assert ask_of(effects).question_id == "name"
    asked: list[str] = []
    script = [
        "Support bot",
        "ticket triage",
        "production",
        "general",
        "classification",
        "yes",
        "billing answers",
        "prod",
        "general",
        "generation",
        "small",
        "rarely",
        "no",
        "tone",
        "no",
        "yes",
        "500",
        "2000",
        "my own price",
        "5",
        "$80k",
        "no",
    ]
    for text in script:
        state, effects = send(state, text)
        asked += [e.question_id for e in effects if isinstance(e, Ask)]
    done = [e for e in effects if isinstance(e, Completed)]
    assert done and state.status == "completed" and state.current is None
    assert asked == [
        "workload_name",
        "deployment",
        "domain",
        "task",
        "another_workload",
        "workload_name",
        "deployment",
        "domain",
        "task",
        "knowledge",
        "freshness",
        "prompt_pass",
        "gaps",
        "frontier_ok",
        "small_model_ok",
        "requests_per_day",
        "tokens_per_request",
        "model",
        "price_per_mtok",
        "engineer_quarter_usd",
        "another_workload",
    ]
    record = done[0].record
    patterns = [w["pattern"] for w in record["result"]["workloads"]]
    assert patterns == ["no_llm", "lookup_prompting"]
    assert record["profile"]["engineer_quarter_usd"] == 80_000.0
    assert record["answers"][1]["gaps"] == ["tone"]
    assert (record["decided_on"], record["revisit_on"]) == ("2026-03-05", "2027-03-05")


def test_every_ask_has_a_new_id_and_answers_redraw_it() -> None:
    """Each Ask carries a fresh ask_id and each answer emits Answered for that id."""
    state, effects = new()
    first = ask_of(effects)
    state, effects = send(state, "billing")
    answered = [e for e in effects if isinstance(e, Answered)]
    assert answered == [Answered(first.ask_id, 0, "workload_name", "billing")]
    assert ask_of(effects).ask_id != first.ask_id


def test_reask_repeats_the_open_question_under_its_own_id() -> None:
    """After a restart the open question can be shown again; answering it still works."""
    from conversations.asking import reask

    state, effects = new()
    state, effects = send(state, "billing")
    asked = ask_of(effects)
    again = reask(state)
    assert again is not None
    assert again == Ask(**{**asked.__dict__, "intro_text": None})
    state, effects = send(state, "1", ask_id=again.ask_id)
    assert next(e for e in effects if isinstance(e, Answered)).ask_id == asked.ask_id
    state, _ = send(state, "cancel")
    state, _ = send(state, "yes")
    assert reask(state) is None


def test_unreadable_answer_does_not_move_and_says_what_is_accepted() -> None:
    """An unreadable reply leaves the state as it was and re-asks with the accepted forms."""
    state, _ = new()
    state, _ = send(state, "billing")
    after, effects = send(state, "sort of")
    assert after == state
    assert len(effects) == 1 and isinstance(effects[0], Reply) and "production" in effects[0].text


def test_back_returns_to_previous_question_keeping_later_answers() -> None:
    """`back` re-asks the previous question; answers after it that still apply are kept."""
    state, _ = new()
    for text in ["billing", "prod", "general", "generation", "none", "no"]:
        state, _ = send(state, text)
    assert state.current is not None and state.current.question_id == "gaps"
    state, effects = send(state, "back")
    assert ask_of(effects).question_id == "prompt_pass"
    state, effects = send(state, "back")
    assert ask_of(effects).question_id == "knowledge"
    state, effects = send(state, "corpus")
    # prompt_pass was answered before going back and still applies, so freshness then gaps follow.
    assert ask_of(effects).question_id == "freshness"
    state, effects = send(state, "weekly")
    assert ask_of(effects).question_id == "gaps"
    assert state.answers.workloads[0]["prompt_pass"] == "no"
    for expected in ["prompt_pass", "freshness", "knowledge"]:  # the questions in their order
        state, effects = send(state, "back")
        assert ask_of(effects).question_id == expected
    state, effects = send(state, "none")  # freshness no longer applies: its answer is not used
    assert ask_of(effects).question_id == "gaps"
    state, effects = send(state, "back")
    assert ask_of(effects).question_id == "prompt_pass"
    state, effects = send(state, "back")
    assert ask_of(effects).question_id == "knowledge"


def test_back_on_first_question_explains() -> None:
    """`back` on the first question says there is nothing to go back to."""
    state, _ = new()
    after, effects = send(state, "back")
    assert after == state and isinstance(effects[0], Reply)


def test_skip_takes_default_or_explains_there_is_none() -> None:
    """`skip` takes a field's default; with no default it says so and lists what is accepted."""
    state, _ = new()
    for text in ["billing", "prod", "general", "generation", "corpus"]:
        state, _ = send(state, text)
    state, effects = send(state, "skip")
    skipped = Answered(state.asked[-1].ask_id, 0, "freshness", "Every week", kept_default=True)
    assert skipped in effects  # marked as the default, not the person's own answer
    after, effects = send(state, "skip")
    assert after == state
    assert isinstance(effects[0], Reply) and "no default" in effects[0].text


def test_only_the_first_question_says_there_is_no_way_back() -> None:
    """The first question asked (and the first after a restart) has no way back; the rest do."""
    state, effects = new()
    assert ask_of(effects).can_go_back is False
    state, effects = send(state, "billing")
    assert ask_of(effects).can_go_back is True
    state, effects = send(state, "back")
    assert ask_of(effects).question_id == "workload_name" and ask_of(effects).can_go_back is False
    state, effects = send(state, "billing")
    state, _ = send(state, "restart")
    state, effects = send(state, "yes")
    assert ask_of(effects).can_go_back is False
    _, effects = new(name=None)
    assert ask_of(effects).question_id == "name" and ask_of(effects).can_go_back is False


def test_why_and_status_reply_without_moving() -> None:
    """`why` explains the open question and `status` lists the answers so far."""
    state, _ = new()
    state, _ = send(state, "billing")
    after, effects = send(state, "why")
    assert after == state and isinstance(effects[0], Reply) and effects[0].text.startswith("Why")
    after, effects = send(state, "Status")
    assert after == state and isinstance(effects[0], Reply)
    assert "billing" in effects[0].text and "Support bot" in effects[0].text


def test_status_names_answers_in_words_not_ids() -> None:
    """`status` shows each answer under its question's words: "Prompt baseline: 70%"."""
    state, effects = new()
    state, _ = answer_by_question(
        state, effects, {k: v for k, v in FULL_RAG_WORKLOAD.items() if k != "engineer_quarter_usd"}
    )
    _, effects = send(state, "status")
    text = effects[0].text
    assert "Deployment: Real users (production)" in text and "Prompt baseline: 70%" in text
    assert "Repeated queries: Often" in text
    assert "baseline_pct" not in text and "repeat_queries" not in text and " = " not in text


def test_cancel_and_restart() -> None:
    """`restart` asks the first question again with no answers; `cancel` closes the interview."""
    state, _ = new()
    for text in ["billing", "prod"]:
        state, _ = send(state, text)
    state, effects = send(state, "restart")
    assert [type(e) for e in effects] == [Confirm] and state.pending == "restart"
    state, effects = send(state, "yes")
    assert ask_of(effects).question_id == "workload_name" and state.asked == []
    assert state.answers.workloads == [{}] and state.pending is None
    state, effects = send(state, "cancel")
    assert isinstance(effects[0], Confirm) and effects[0].action == "cancel"
    state, effects = send(state, "y")
    assert effects == [Cancelled()] and state.status == "cancelled"
    assert send(state, "prod") == (state, [])


def test_cancel_and_restart_wait_for_a_yes() -> None:
    """A no (typed or pressed) keeps everything and asks the open question again; anything
    else sets the confirmation aside and is handled as usual; a late yes does nothing."""
    state, _ = new()
    state, _ = send(state, "billing")
    asked = state.current
    assert asked is not None
    pending, effects = send(state, "cancel")
    confirm = effects[0]
    assert isinstance(confirm, Confirm) and confirm.ask_id == asked.ask_id
    assert pending.status == "open" and pending.answers == state.answers
    kept, effects = send(pending, "no")
    assert kept.pending is None and kept.answers == state.answers
    assert isinstance(effects[0], Reply) and ask_of(effects).question_id == "deployment"
    pressed, effects = step(pending, Input(now=NOW, command="decline", ask_id=asked.ask_id))
    assert pressed.pending is None and ask_of(effects).question_id == "deployment"
    # Answering instead of confirming answers the question, and the cancel is dropped.
    moved, effects = send(pending, "prod")
    assert moved.pending is None and ask_of(effects).question_id == "domain"
    late, effects = step(moved, Input(now=NOW, command="confirm", ask_id=moved.current.ask_id))
    assert late.status == "open" and isinstance(effects[0], Reply)
    # "no" right after `restart` answers the confirmation, not the question.
    restarting, _ = send(moved, "restart")
    again, effects = send(restarting, "no")
    assert again.answers == moved.answers and ask_of(effects).question_id == "domain"


def test_late_answer_to_an_answered_question_is_ignored() -> None:
    """An input naming an ask that is no longer open changes nothing and emits nothing."""
    state, effects = new()
    old_ask = ask_of(effects).ask_id
    state, _ = send(state, "billing")
    after, effects = step(state, Input(now=NOW, text="research", ask_id=old_ask))
    assert (after, effects) == (state, [])


def test_button_value_answers_with_the_choice_id() -> None:
    """A button press carries the choice id and the ask it belongs to."""
    state, _ = new()
    state, effects = send(state, "billing")
    ask = ask_of(effects)
    state, effects = step(state, Input(now=NOW, value="research", ask_id=ask.ask_id))
    assert Answered(ask.ask_id, 0, "deployment", "An experiment or research") in effects


def test_five_workloads_at_most() -> None:
    """After the fifth workload no further workload is offered and the interview completes."""
    state, effects = new()
    for index in range(5):
        for text in [f"w{index}", "research"]:
            state, effects = send(state, text)
        if index < 4:
            assert ask_of(effects).question_id == "another_workload"
            state, effects = send(state, "yes")
    assert any(isinstance(e, Completed) for e in effects)
    assert len(state.answers.workloads) == 5


def test_engineer_cost_is_asked_once() -> None:
    """engineer_quarter_usd is asked after the first generation workload only."""
    state, effects = new()
    answers = {**FULL_RAG_WORKLOAD, "another_workload": "yes"}
    asked = []
    for _ in range(60):
        if state.current is None:
            break
        question_id = state.current.question_id
        if question_id == "another_workload" and len(state.answers.workloads) == 2:
            answers["another_workload"] = "no"
        state, effects = send(state, answers[question_id])
        asked += [e.question_id for e in effects if isinstance(e, Ask)]
    assert asked.count("engineer_quarter_usd") == 1
    assert state.status == "completed"


def test_change_reasks_a_kept_field() -> None:
    """`change <field>` forgets that answer and asks it again before going on."""
    state, effects = new()
    state, effects = answer_by_question(state, effects, {**FULL_RAG_WORKLOAD})
    assert state.current is not None  # another_workload is still open
    state, effects = send(state, "change knowledge")
    assert ask_of(effects).question_id == "knowledge"
    state, effects = send(state, "none")
    assert ask_of(effects).question_id == "another_workload"
    assert "quality_target_pct" not in [e.question_id for e in effects if isinstance(e, Ask)]


def test_change_takes_the_fields_words_or_its_id() -> None:
    """`change knowledge needed`, `change Repeated Queries` and the ids all re-ask that field;
    the reply names it in words."""
    state, effects = new()
    state, effects = answer_by_question(state, effects, {**FULL_RAG_WORKLOAD})
    for typed, field_id in [
        ("change knowledge needed", "knowledge"),
        ("change Repeated Queries", "repeat_queries"),
        ("change prompt baseline", "baseline_pct"),
        ("change baseline_pct", "baseline_pct"),
        ("change repeat queries", "repeat_queries"),
    ]:
        _, effects = send(state, typed)
        assert ask_of(effects).question_id == field_id, typed
    _, effects = send(state, "change prompt baseline")
    said = effects[0]
    assert isinstance(said, Reply) and said.text == "Fine, let's answer “prompt baseline” again."


def test_change_of_a_later_field_is_noted_in_words() -> None:
    """Changing a field not reached yet moves nothing and says so, in words."""
    state, _ = new()
    state, _ = send(state, "billing")
    _, effects = send(state, "change tokens per request")
    assert effects == [Reply("Noted: I'll ask “tokens per request” again when we get to it.")]


def test_change_unknown_field_lists_fields() -> None:
    """`change` with an unknown field name replies with the field names and moves nothing."""
    state, _ = new()
    after, effects = send(state, "change colour")
    assert after == state and isinstance(effects[0], Reply)
    text = effects[0].text
    assert "`knowledge needed`" in text and "`repeated queries`" in text
    assert "repeat_queries" not in text and "baseline_pct" not in text


def test_huge_and_odd_inputs_do_not_move_the_state() -> None:
    """Huge text, emoji and bare Slack markup on a choice question only earn a re-ask."""
    state, _ = new()
    state, _ = send(state, "billing")
    for text in ["x" * 100_000, "🚀🚀", "<@U123>", "*", "", "change"]:
        after, effects = send(state, text)
        assert after == state and isinstance(effects[0], Reply)


def test_a_name_given_at_start_is_read_like_an_answer() -> None:
    """The name typed after `/ragft assess` loses Slack markup; one too long is asked for."""
    state, effects = new(name="<@U123> *Support* bot")
    assert state.answers.top["name"] == "Support bot"
    assert ask_of(effects).question_id == "workload_name"
    state, effects = new(name="x" * 5000)
    assert "name" not in state.answers.top and ask_of(effects).question_id == "name"


def test_every_command_has_a_handler_and_the_typed_ones_are_listed() -> None:
    """The command table covers every Command; the typed ones make COMMANDS and the help."""
    from typing import get_args

    from conversations.machine import _TABLE, COMMANDS, HELP
    from conversations.state import Command

    assert set(_TABLE) == set(get_args(Command))
    assert COMMANDS == ("why", "skip", "back", "status", "restart", "cancel")
    assert all(f"`{name}`" in HELP for name in COMMANDS)
    # skip only works where a question has a default (the name question has none)
    assert "`skip` takes the default where a question has one" in HELP
    assert "`skip` and" not in HELP and "`skip`, " not in HELP


def test_money_is_shown_in_whole_dollars_as_the_reports_write_it() -> None:
    """The engineer cost's default and answer read "$60,000", no cents, as every report does;
    a price per million tokens keeps its cents, as the reports write it."""
    from engine.words import answer_words

    state, effects = new()
    answers = {k: v for k, v in FULL_RAG_WORKLOAD.items() if k != "engineer_quarter_usd"}
    state, effects = answer_by_question(state, effects, answers)
    asked = ask_of(effects)
    assert asked.question_id == "engineer_quarter_usd" and asked.default_label == "$60,000"
    assert asked.default_label == answer_words("engineer_quarter_usd", 60_000.0)
    _, effects = send(state, "75k")
    assert Answered(asked.ask_id, 0, "engineer_quarter_usd", "$75,000") in effects
    assert question("price_per_mtok").label_for(4.5) == answer_words("price_per_mtok", 4.5)
    assert question("engineer_quarter_usd").label_for(60_000.5) == "$60,000.50"


def test_a_teams_calibration_costs_the_completed_assessment() -> None:
    """With the app's RAGFT_CALIBRATION, the interview's assessment costs with the team's
    figures, shown with the source "ours"."""
    cal = load_calibration("[rag]\nbuild_eq = [2, 4]\n")
    state, effects = new()
    script = {**FULL_RAG_WORKLOAD, "name": "Support bot", "another_workload": "no"}
    for _ in range(60):
        if state.current is None:
            break
        text = script[state.current.question_id]
        state, effects = step(state, Input(now=NOW, text=text), calibration=cal)
    done = [e for e in effects if isinstance(e, Completed)]
    assert done and state.status == "completed"
    listed = done[0].record["result"]["workloads"][0]["costs"]["assumptions"]
    rag = next(a for a in listed if a["name"] == "rag.build_eq")
    assert rag["value"] == [2.0, 4.0] and rag["source"] == "ours"


def test_a_catalogue_model_asks_the_output_share_and_no_price() -> None:
    """Typing a catalogue id at `model` asks `output_share` next, never `price_per_mtok`; the
    engineer cost follows, and the assessment is priced from the catalogue (mark P)."""
    state, effects = new()
    script = {
        **FULL_RAG_WORKLOAD,
        "name": "Support bot",
        "model": "GPT-4.1 mini",
        "output_share": "25%",
        "another_workload": "no",
    }
    asked: list[str] = []
    for _ in range(60):
        if state.current is None:
            break
        asked.append(state.current.question_id)
        state, effects = send(state, script[state.current.question_id])
    assert asked[asked.index("model") :] == [
        "model",
        "output_share",
        "engineer_quarter_usd",
        "another_workload",
    ]
    done = [e for e in effects if isinstance(e, Completed)]
    assert done and state.status == "completed"
    workload = done[0].record["result"]["workloads"][0]
    assert workload["answers"]["model"] == "gpt-4.1-mini"
    assert workload["answers"]["output_share"] == 0.25
    marks = {a["name"]: a["mark"] for a in workload["costs"]["assumptions"]}
    assert marks["price.input_mtok"] == marks["price.output_mtok"] == "P"


def test_a_mistyped_model_id_is_offered_back_as_the_nearest_catalogue_id() -> None:
    """A typo at `model` stores nothing: "did you mean" the nearest catalogue id, never a
    choice whose id it happens to contain (gpt-4.1 in gpt-4.1-mni)."""
    state, effects = new()
    answers = {k: v for k, v in FULL_RAG_WORKLOAD.items() if k not in ("model",)}
    state, effects = answer_by_question(state, effects, answers)
    assert state.current is not None and state.current.question_id == "model"
    after, effects = send(state, "gpt-4.1-mni")
    assert after.current is not None and after.current.question_id == "model"
    offers = [e for e in effects if isinstance(e, Confirm)]
    assert len(offers) == 1 and offers[0].value == "gpt-4.1-mini"
    assert "model" not in after.answers.workloads[0]


def test_a_model_id_nothing_is_near_is_refused_naming_what_is_accepted() -> None:
    state, effects = new()
    answers = {k: v for k, v in FULL_RAG_WORKLOAD.items() if k not in ("model",)}
    state, effects = answer_by_question(state, effects, answers)
    after, effects = send(state, "blorp-9")
    assert after.current is not None and after.current.question_id == "model"
    said = " ".join(e.text for e in effects if isinstance(e, Reply))
    assert "I don't know the model" in said and "catalogue" in said
