"""The interview as a pure function: `step(state, input) -> (state, effects)`; no I/O.

One table of commands (`back`, `skip`, `why`, ...) and a handler each; asking the next
question is `asking.py`, what the interview says about the answers `recap.py`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeAlias

from conversations import _plan as plan
from conversations.asking import ask, ask_next, back_to, default_answer, previous_answer
from conversations.changing import field_and_target, workloads_named
from conversations.errors import ParseError
from conversations.parsing import accepted, escape, normalise, read_answer, read_name
from conversations.questions import QUESTIONS, question, question_words
from conversations.recap import answers_from, reassess_intro, status_text
from conversations.revisit_timing import DEFAULT_REVISIT_AFTER, Period
from conversations.state import (
    Answered,
    Answers,
    AskRef,
    Cancelled,
    Command,
    Confirm,
    Effect,
    Input,
    InterviewState,
    Pending,
    Reply,
)
from engine import Calibration


def start(
    *,
    assessment_id: str,
    team: str,
    channel: str,
    thread_ts: str,
    owner: str,
    now: datetime,
    name: str | None = None,
    previous: dict[str, Any] | None = None,
) -> tuple[InterviewState, list[Effect]]:
    """A new interview and its first question; `previous` (a completed record) re-assesses it."""
    answers = Answers()
    intro = "Let's work out what this workload needs. Reply in the thread or use the buttons; "
    intro += HELP
    if previous is not None:
        answers = answers_from(previous)
        intro = reassess_intro(previous, answers)
    elif (cleaned := read_name(name)) is not None:
        # Read like a typed answer (markup stripped, length bounded); if unusable, it is asked.
        answers.top["name"] = cleaned
    state = InterviewState(
        assessment_id=assessment_id,
        team=team,
        channel=channel,
        thread_ts=thread_ts,
        owner=owner,
        answers=answers,
        origin=answers,
        previous=previous,
        started_at=now.isoformat(),
    )
    return ask_next(state, [], intro)


Result: TypeAlias = tuple[InterviewState, list[Effect]]


@dataclass(frozen=True)
class _Turn:
    """One input as a command handler sees it: the open question is known to exist."""

    inp: Input
    current: AskRef
    argument: str
    revisit_after: Period
    calibration: Calibration | None = None  # the team's cost figures; None: the defaults


Handler: TypeAlias = Callable[[InterviewState, _Turn], Result]


def step(
    state: InterviewState,
    inp: Input,
    *,
    revisit_after: Period = DEFAULT_REVISIT_AFTER,
    calibration: Calibration | None = None,
) -> Result:
    """Apply one input; an input for a question that is no longer open changes nothing."""
    current = state.current
    if state.status != "open" or current is None:
        return state, []
    command, argument = _command_of(inp)
    if state.pending is not None and command == "answer" and inp.value is None:
        command = _CONFIRMATION_WORDS.get(normalise(inp.text or ""), command)
    entry = _TABLE[command]
    if entry.bound and inp.ask_id is not None and inp.ask_id != current.ask_id:
        return state, []  # a late or duplicate answer to a question already dealt with
    if state.pending is not None and command not in ("confirm", "decline"):
        # anything else sets it aside
        state = state.model_copy(update={"pending": None, "proposed": None})
    return entry.handle(state, _Turn(inp, current, argument, revisit_after, calibration))


def _command_of(inp: Input) -> tuple[Command, str]:
    if inp.command is not None:
        return inp.command, (inp.text or "")
    if inp.value is not None or inp.text is None or len(inp.text) > 200:
        return "answer", ""
    words = normalise(inp.text)
    typed = _TYPED.get(words)
    if typed is not None:
        return typed, ""
    if words.startswith("change "):
        return "change", words.removeprefix("change ").strip()
    return "answer", ""


def _take(
    state: InterviewState,
    value: Any,
    turn: _Turn,
    *,
    kept_default: bool = False,
    kept_previous: bool = False,
) -> tuple[InterviewState, list[Effect]]:
    from conversations.completion import complete  # the engine is loaded only when needed

    ref = state.current
    assert ref is not None  # step() checked it
    answers = plan.set_answer(state.answers, ref.workload, ref.question_id, value)
    label = question(ref.question_id).label_for(value)
    effects: list[Effect] = [
        Answered(
            ref.ask_id,
            ref.workload,
            ref.question_id,
            label,
            kept_default=kept_default,
            kept_previous=kept_previous,
        )
    ]
    same = (ref.workload, ref.question_id)
    asked = [r for r in state.asked if (r.workload, r.question_id) != same]  # bounded by `back`
    moved = state.model_copy(update={"answers": answers, "asked": [*asked, ref]})
    if plan.walk(answers).next is None:
        return complete(
            moved,
            effects,
            revisit_after=turn.revisit_after,
            now=turn.inp.now,
            calibration=turn.calibration,
        )
    return ask_next(moved, effects)


def _back(state: InterviewState, turn: _Turn) -> Result:
    """Re-ask the question asked before the open one; every answer is kept until replaced,
    so answers after it that still apply are not asked again."""
    earlier = back_to(state, turn.current)
    if earlier is None:
        return state, [Reply("This is the first question, so there is nothing to go back to.")]
    workload, question_id = earlier
    return ask(state, [], workload, question_id, None)


def _change(state: InterviewState, turn: _Turn) -> Result:
    """`change <field>`: forget that answer, so it is asked again; in the open question's
    workload, or the one named (`change tokens per request for billing answers`, `… in
    workload 2`, `… for all`). The field is named in words or by its id."""
    typed = " ".join(turn.argument.strip("`").split()).lower()
    field_id, target = field_and_target(typed)
    if field_id is None:
        names = ", ".join(f"`{question_words(q)}`" for q in QUESTIONS if q != "another_workload")
        return state, [
            Reply(f"I don't know a question called “{escape(typed)}”. Try one of: {names}.")
        ]
    workloads = state.answers.workloads
    chosen = workloads_named(target, workloads, turn.current.workload)
    if chosen is None:
        names = ", ".join(
            f"“{escape(w.get('workload_name', i + 1))}”" for i, w in enumerate(workloads)
        )
        return state, [Reply(f"I don't know a workload called “{escape(target)}”. Try {names}.")]
    what = question_words(field_id)
    answers = state.answers
    for index in chosen:
        answers = plan.set_answer(answers, index, field_id, None)
    which = ""
    if len(workloads) > 1 and field_id not in ("name", plan.EQ):
        which = " for " + " and ".join(
            f"“{escape(workloads[i].get('workload_name', f'workload {i + 1}'))}”" for i in chosen
        )
    upcoming = plan.walk(answers).next
    if upcoming == (turn.current.workload, turn.current.question_id):
        note = f"Noted: I'll ask “{what}” again{which} when we get to it."
        return state.model_copy(update={"answers": answers}), [Reply(note)]
    moved = state.model_copy(update={"answers": answers})
    return ask_next(moved, [Reply(f"Fine, let's answer “{what}” again{which}.")])


def _why(state: InterviewState, turn: _Turn) -> Result:
    return state, [Reply(f"Why this matters: {question(turn.current.question_id).why}")]


def _status(state: InterviewState, turn: _Turn) -> Result:
    return state, [Reply(status_text(state))]


# While a `cancel`, a `restart` or a "did you mean" waits for an answer, these settle it.
_YES_WORDS: tuple[str, ...] = ("yes", "y", "yep", "yeah", "yup", "sure", "ok", "okay", "do it")
_YES_WORDS += ("confirm", "correct", "right", "that's right", "exactly", "yes please")
_NO_WORDS = ("no", "n", "nope", "nah", "keep going", "carry on", "continue", "wrong", "no, wrong")
_CONFIRMATION_WORDS: dict[str, Command] = {
    **dict.fromkeys(_YES_WORDS, "confirm"),
    **dict.fromkeys(_NO_WORDS, "decline"),
}
_CONFIRM_TEXT: dict[Pending, str] = {
    "cancel": "Cancel this assessment? The answers so far are dropped and nothing will be "
    "recommended. Reply `yes` to cancel, or `no` to carry on.",
    "restart": "Start again from the first question? Every answer so far is cleared. "
    "Reply `yes` to start again, or `no` to carry on.",
}
NOTHING_TO_CONFIRM = "Nothing is waiting for a yes or a no just now, so I carried on."
DECLINED = "Fine, nothing changed. Carrying on where we were."
MISREAD = "My mistake: nothing was stored. Here is the question again."


def _cancel(state: InterviewState, turn: _Turn) -> Result:
    return _ask_to_confirm(state, turn, "cancel")


def _restart(state: InterviewState, turn: _Turn) -> Result:
    return _ask_to_confirm(state, turn, "restart")


def _ask_to_confirm(state: InterviewState, turn: _Turn, action: Pending) -> Result:
    """Nothing happens yet: the person is asked to confirm with a yes or a no."""
    confirm = Confirm(turn.current.ask_id, action, _CONFIRM_TEXT[action])
    return state.model_copy(update={"pending": action}), [confirm]


def _confirm(state: InterviewState, turn: _Turn) -> Result:
    """A yes to the pending `cancel`, `restart` or "did you mean": now it happens."""
    pending = state.pending
    if pending is None:
        return state, [Reply(NOTHING_TO_CONFIRM)]
    if pending == "answer":
        value = state.proposed
        settled = state.model_copy(update={"pending": None, "proposed": None})
        return _take(settled, value, turn)
    if pending == "cancel":
        closed = {"status": "cancelled", "current": None, "pending": None}
        return state.model_copy(update=closed), [Cancelled()]
    fresh = state.model_copy(
        update={"answers": state.origin, "asked": [], "current": None, "pending": None}
    )
    return ask_next(fresh, [Reply("Starting again from the first question.")])


def _decline(state: InterviewState, turn: _Turn) -> Result:
    """A no to the pending `cancel` or `restart`: the open question is asked again."""
    if state.pending is None:
        return state, [Reply(NOTHING_TO_CONFIRM)]
    said = MISREAD if state.pending == "answer" else DECLINED
    kept = state.model_copy(update={"pending": None, "proposed": None})
    return ask(kept, [Reply(said)], turn.current.workload, turn.current.question_id, None)


def _skip(state: InterviewState, turn: _Turn) -> Result:
    default = default_answer(state, turn.current)
    if default is None:
        q = question(turn.current.question_id)
        return state, [Reply("This one has no default, so I need an answer. " + accepted(q))]
    previous = previous_answer(state, turn.current) is not None
    return _take(state, default, turn, kept_default=not previous, kept_previous=previous)


def _answer(state: InterviewState, turn: _Turn) -> Result:
    inp = turn.inp
    raw: str | list[str] = inp.value if inp.value is not None else (inp.text or "")
    ref = turn.current
    q = question(ref.question_id)
    try:
        reading = read_answer(q, raw)
    except ParseError as error:
        return state, [Reply(str(error))]
    if reading.sure:
        return _take(state, reading.value, turn)
    # Not sure of the reading: nothing is stored until the person says yes.
    shown = escape(q.label_for(reading.value))
    text = DID_YOU_MEAN.format(answer=shown, what=question_words(ref.question_id))
    if reading.because:
        text += f" (I'm asking because of {reading.because}.)"
    confirm = Confirm(
        ref.ask_id, "answer", text, ref.question_id, ref.workload, value=reading.value
    )
    asking = state.model_copy(update={"pending": "answer", "proposed": reading.value})
    return asking, [confirm]


DID_YOU_MEAN = (
    "Did you mean *{answer}* for {what}? Reply `yes` to keep it or `no` to answer again "
    "(or just type the answer again)."
)


@dataclass(frozen=True)
class _Entry:
    """How one command is handled."""

    handle: Handler
    typed: bool = True  # a word a person can type in the thread; listed in the intro
    bound: bool = False  # applies only to the question it was sent for (its ask_id)


# Every command the interview takes; `COMMANDS` and the intro's help line come from here.
_TABLE: dict[Command, _Entry] = {
    "why": _Entry(_why),
    "skip": _Entry(_skip, bound=True),
    "back": _Entry(_back, bound=True),
    "status": _Entry(_status),
    "restart": _Entry(_restart),
    "cancel": _Entry(_cancel),
    "confirm": _Entry(_confirm, typed=False, bound=True),  # yes to a pending cancel/restart
    "decline": _Entry(_decline, typed=False, bound=True),  # no to it
    "change": _Entry(_change, typed=False),  # typed as `change <field>`, with its argument
    "answer": _Entry(_answer, typed=False, bound=True),  # anything else that is typed or pressed
}
COMMANDS: tuple[Command, ...] = tuple(name for name, entry in _TABLE.items() if entry.typed)
_TYPED: dict[str, Command] = {name: name for name in COMMANDS}
_ANY_TIME = [name for name in COMMANDS if name != "skip"]
HELP = (
    ", ".join(f"`{name}`" for name in _ANY_TIME[:-1])
    + f" and `{_ANY_TIME[-1]}` work at any time; `skip` takes the default "
    "where a question has one."
)
