"""The interview's data: the stored state, the inputs it takes and the effects it emits."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from engine import AssessmentResult

Status = Literal["open", "completed", "cancelled"]
Command = Literal[
    "answer", "back", "skip", "why", "cancel", "restart", "status", "change", "confirm", "decline"
]
Pending = Literal["cancel", "restart", "answer"]


def _one_empty_workload() -> list[dict[str, Any]]:
    return [{}]


class AskRef(BaseModel):
    """One asked question: the id its message and buttons carry, and what it asks."""

    model_config = ConfigDict(frozen=True)

    ask_id: str
    workload: int
    question_id: str


class Answers(BaseModel):
    """Everything answered so far: assessment-level answers and one dict per workload."""

    top: dict[str, Any] = Field(default_factory=dict)  # name, engineer_quarter_usd
    workloads: list[dict[str, Any]] = Field(default_factory=_one_empty_workload)


class InterviewState(BaseModel):
    """One interview as stored in Redis (one key per thread)."""

    assessment_id: str
    team: str
    channel: str
    thread_ts: str
    owner: str
    status: Status = "open"
    answers: Answers = Field(default_factory=Answers)
    origin: Answers = Field(default_factory=Answers)  # what `restart` goes back to
    previous: dict[str, Any] | None = None  # the completed record being re-assessed
    current: AskRef | None = None
    pending: Pending | None = None  # `cancel`, `restart` or a "did you mean" awaiting yes/no
    proposed: Any = None  # with pending "answer": the reading offered, in its stored form
    asked: list[AskRef] = Field(default_factory=list)  # answered asks, oldest first: for `back`
    seq: int = 0
    started_at: str
    version: int = 0


# The shape of a stored AssessmentRecord. 1: the result kept as the engine's JSON and read
# back by hand; 2: the same JSON, written and read by the typed result (`engine.result`).
RECORD_FORMAT = 2


class PastDecision(BaseModel):
    """An earlier completion of a re-assessed decision, kept in its record's history."""

    model_config = ConfigDict(extra="ignore")

    decided_on: str
    revisit_on: str
    profile: dict[str, Any]
    result: AssessmentResult


class AssessmentRecord(BaseModel):
    """A completed assessment: the contract the bot and the revisit code read.

    `result` is the engine's typed result; stored, it is the CLI JSON (INTERFACES.md), so a
    record of any format reads back alike. Unknown keys are ignored on read, so records
    stored before `revisit_at` and `revisit` were dropped still load.
    """

    model_config = ConfigDict(extra="ignore")

    record_format: int = 1  # a record stored without it is of format 1
    assessment_id: str
    team: str
    channel: str
    thread_ts: str
    owner: str
    name: str
    answers: list[dict[str, Any]]
    profile: dict[str, Any]
    result: AssessmentResult
    decided_on: str
    revisit_on: str
    history: list[PastDecision] = Field(default_factory=list)
    created_at: str

    @field_validator("record_format")
    @classmethod
    def _known(cls, value: int) -> int:
        if not 1 <= value <= RECORD_FORMAT:
            raise ValueError(f"record format {value} is newer than this ragft reads")
        return value


@dataclass(frozen=True)
class Input:
    """One thing a person did: typed text, pressed a button, or sent a command."""

    now: datetime
    text: str | None = None
    value: str | list[str] | None = None  # a button's or select's value (choice ids)
    ask_id: str | None = None  # the question this input answers, when known
    command: Command | None = None  # explicit command (a button); else read from text


@dataclass(frozen=True)
class Ask:
    """Post a new question message (with ragft_question metadata)."""

    ask_id: str
    workload: int
    question_id: str
    prompt: str
    choices: tuple[tuple[str, str], ...]
    multi: bool
    default_label: str | None
    intro_text: str | None = None
    workload_name: str | None = None
    can_go_back: bool = True  # False on the first question asked: `back` has nowhere to go


@dataclass(frozen=True)
class Answered:
    """Redraw an answered question's message with the answer taken."""

    ask_id: str
    workload: int
    question_id: str
    answer_label: str
    kept_default: bool = False  # taken by `skip`: the default, not the person's own answer
    kept_previous: bool = False  # taken by `skip` in a re-assessment: last time's answer


@dataclass(frozen=True)
class Reply:
    """Post a plain reply in the thread (why, status, a re-ask, a refusal)."""

    text: str


@dataclass(frozen=True)
class Confirm:
    """Ask the person to confirm `action` with a yes or a no: `cancel`, `restart`, or
    `answer` ("did you mean …?": `value` is the reading offered for `question_id` of
    `workload`, in its stored form; it is posted with `ragft_confirm` metadata).

    The yes and no buttons carry `ask_id`, the open question's, so a late press after the
    interview moved on is ignored."""

    ask_id: str
    action: Pending
    text: str
    question_id: str = ""
    workload: int = 0
    value: Any = None


@dataclass(frozen=True)
class Completed:
    """The interview finished; `record` is the stored AssessmentRecord as a dict."""

    assessment_id: str
    record: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Cancelled:
    """The interview was cancelled; nothing will be recommended."""


Effect = Ask | Answered | Reply | Confirm | Completed | Cancelled
