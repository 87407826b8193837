"""One interview question as one thread message, and its redraw once answered."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    CheckboxesElement,
    ContextBlock,
    MarkdownTextObject,
    Option,
    SectionBlock,
)

from bot.views import text as t
from bot.views._blocks import (
    MAX_ACTIONS,
    MAX_BUTTON_TEXT,
    MAX_CONTEXT_TEXT,
    MAX_OPTIONS,
    MAX_TEXT,
    SlackMessage,
    clip,
    sections,
    to_dicts,
)
from bot.views.action_ids import ANSWER_ACTION, CONTROL_ACTION, GAPS_ACTION, GAPS_DONE_ACTION
from conversations.parsing import escape
from conversations.questions import question, question_words
from conversations.state import Ask, Confirm
from engine.words import upper_first

CONTROLS = (("back", t.BACK), ("skip", t.SKIP), ("why", t.WHY), ("cancel", t.CANCEL))


@dataclass(frozen=True)
class QuestionView:
    """What a question message shows; built from the store's Ask effect."""

    ask_id: str
    assessment_id: str
    question_id: str
    workload: int
    prompt: str
    kind: str  # choice | set | int | float | text
    choices: Sequence[tuple[str, str]] = field(default_factory=tuple)  # (id, label)
    default: str | None = None
    workload_name: str | None = None
    can_go_back: bool = True  # False on the first question: no Back button there


def question_view(ask: Ask, assessment_id: str) -> QuestionView:
    """The view of an `Ask` effect of interview `assessment_id`."""
    return QuestionView(
        ask_id=ask.ask_id,
        assessment_id=assessment_id,
        question_id=ask.question_id,
        workload=ask.workload,
        prompt=ask.prompt,
        kind="set" if ask.multi else question(ask.question_id).kind,
        choices=ask.choices,
        default=ask.default_label,
        workload_name=ask.workload_name,
        can_go_back=ask.can_go_back,
    )


def question_metadata(q: QuestionView) -> dict[str, Any]:
    """The `ragft_question` message metadata of INTERFACES.md."""
    return {
        "event_type": "ragft_question",
        "event_payload": {
            "assessment_id": q.assessment_id,
            "question_id": q.question_id,
            "workload": q.workload,
        },
    }


def button_value(ask_id: str, value: str) -> str:
    """The value a button carries: which asking it answers, and with what."""
    return json.dumps({"ask": ask_id, "v": value}, separators=(",", ":"))


def read_button_value(raw: str) -> tuple[str, str]:
    """(ask_id, value) from a button's value; raises ValueError when it is not ours."""
    data = json.loads(raw)
    if not isinstance(data, dict) or "ask" not in data or "v" not in data:
        raise ValueError(f"not a ragft button value: {raw[:80]!r}")
    return str(data["ask"]), str(data["v"])


def _prompt_text(q: QuestionView) -> str:
    prefix = (
        f"_{escape(q.workload_name)}_ — "
        if q.workload_name and q.question_id != "workload_name"
        else ""
    )
    return f"{prefix}*{q.prompt}*"


def _hint(q: QuestionView) -> str:
    hint = {
        "set": t.SET_HINT,
        "int": t.NUMBER_HINT,
        "float": t.NUMBER_HINT,
        "text": t.TEXT_HINT,
    }.get(q.kind, t.REPLY_HINT)
    if q.default is not None:
        hint += " " + t.DEFAULT_HINT.format(default=q.default)
    return hint


def question_message(q: QuestionView) -> SlackMessage:
    """The message that asks `q`: prompt, buttons or checkboxes, small controls, metadata."""
    blocks: list[Block] = list(sections(_prompt_text(q)))
    block_id = f"ragft_q:{q.ask_id}"
    if q.kind == "set" and q.choices:
        blocks.append(
            SectionBlock(
                block_id=block_id,
                text=MarkdownTextObject(text=" "),
                accessory=CheckboxesElement(
                    action_id=GAPS_ACTION,
                    options=[
                        Option(value=cid, text=clip(label, MAX_BUTTON_TEXT))
                        for cid, label in q.choices
                    ][:MAX_OPTIONS],
                ),
            )
        )
        blocks.append(
            ActionsBlock(
                block_id=f"ragft_done:{q.ask_id}",
                elements=[
                    ButtonElement(
                        text=t.DONE,
                        action_id=GAPS_DONE_ACTION,
                        value=button_value(q.ask_id, ""),
                        style="primary",
                    )
                ],
            )
        )
    elif q.choices:
        blocks.append(
            ActionsBlock(
                block_id=block_id,
                elements=[
                    ButtonElement(
                        text=clip(label, MAX_BUTTON_TEXT),
                        action_id=f"{ANSWER_ACTION}_{n}",
                        value=button_value(q.ask_id, cid),
                    )
                    for n, (cid, label) in enumerate(q.choices[:MAX_ACTIONS])
                ],
            )
        )
    blocks.append(ContextBlock(elements=[MarkdownTextObject(text=_hint(q))]))
    blocks.append(
        ActionsBlock(
            block_id=f"ragft_ctl:{q.ask_id}",
            elements=[
                ButtonElement(
                    text=label,
                    action_id=f"{CONTROL_ACTION}_{cmd}",
                    value=button_value(q.ask_id, cmd),
                )
                for cmd, label in CONTROLS
                if (cmd != "skip" or q.default is not None)  # Skip only where a default exists
                and (cmd != "back" or q.can_go_back)  # and Back only where there is a way back
            ],
        )
    )
    return SlackMessage(
        text=clip(q.prompt, MAX_TEXT), blocks=to_dicts(blocks), metadata=question_metadata(q)
    )


def mention(user: str) -> str:
    """`<@U1>` for a user id; a mention given already is kept as it is."""
    return user if user.startswith("<") else f"<@{user}>"


def answered_message(
    q: QuestionView,
    *,
    user: str,
    answer: str,
    kept_default: bool = False,
    kept_previous: bool = False,
) -> SlackMessage:
    """The redraw of an answered question: the prompt and the answer as stored, no buttons
    ("Requests per day: *8,000*"), so a misreading shows at once.

    `user` is the answering user's id, or their mention; `kept_default` when `skip` took
    the default, `kept_previous` when it kept last time's answer in a re-assessment: then
    it is not shown as the person's own answer."""
    answer = escape(answer)
    blocks: list[Block] = list(sections(_prompt_text(q)))
    form = t.KEPT_PREVIOUS if kept_previous else t.KEPT_DEFAULT if kept_default else t.ANSWERED
    what = upper_first(question_words(q.question_id))
    said = form.format(user=mention(user), answer=answer, what=what)
    # The block id keeps the asking's id, so a post retried after a lost answer finds the
    # question even once it is answered and redrawn (`bot.interview.find_in_thread`).
    blocks.append(
        ContextBlock(
            block_id=f"ragft_asked:{q.ask_id}",
            elements=[MarkdownTextObject(text=clip(said, MAX_CONTEXT_TEXT))],
        )
    )
    return SlackMessage(
        text=clip(f"{q.prompt} — {answer}", MAX_TEXT),
        blocks=to_dicts(blocks),
        metadata=question_metadata(q),
    )


def plain_reply(text: str) -> SlackMessage:
    """A thread reply without metadata (a re-ask, an explanation, a status)."""
    return SlackMessage(text=clip(text, MAX_TEXT), blocks=to_dicts(sections(text)))


# The yes and no under a confirmation: control buttons, so they read `yes` and `no` in the
# playground; each sends the interview command it stands for.
CONFIRM_BUTTONS = (("yes", "confirm", t.CONFIRM_YES), ("no", "decline", t.CONFIRM_NO))


def confirm_metadata(confirm: Confirm, assessment_id: str) -> dict[str, Any] | None:
    """The `ragft_confirm` metadata of a "did you mean" (INTERFACES.md); None otherwise."""
    if confirm.action != "answer":
        return None
    return {
        "event_type": "ragft_confirm",
        "event_payload": {
            "assessment_id": assessment_id,
            "question_id": confirm.question_id,
            "workload": confirm.workload,
            "value": confirm.value,
        },
    }


def confirm_message(confirm: Confirm, assessment_id: str = "") -> SlackMessage:
    """A yes/no question as a thread reply with Yes and No buttons: "really cancel /
    restart?", or "did you mean …?" (with `ragft_confirm` metadata)."""
    blocks: list[Block] = list(sections(confirm.text))
    yes_label = t.CONFIRM_YES_LABELS.get(confirm.action, t.CONFIRM_YES)
    no_label = t.CONFIRM_NO_LABELS.get(confirm.action, t.CONFIRM_NO)
    blocks.append(
        ActionsBlock(
            block_id=f"ragft_confirm:{confirm.ask_id}",
            elements=[
                ButtonElement(
                    text=yes_label if word == "yes" else no_label,
                    action_id=f"{CONTROL_ACTION}_{word}",
                    value=button_value(confirm.ask_id, command),
                    style="danger" if word == "yes" else None,
                )
                for word, command, _ in CONFIRM_BUTTONS
            ],
        )
    )
    return SlackMessage(
        text=clip(confirm.text, MAX_TEXT),
        blocks=to_dicts(blocks),
        metadata=confirm_metadata(confirm, assessment_id),
    )
