"""What one read of a thread gives (`ThreadView`), what one input did (`StepOutcome`), and
the effects as stored with a delivery mark until they are delivered."""

from __future__ import annotations

import dataclasses
import json
import typing
from dataclasses import dataclass, field
from typing import Any

from conversations.state import Ask, Effect, InterviewState
from conversations.storage import keys

__all__ = [
    "StepOutcome",
    "ThreadView",
    "effects_from_json",
    "effects_to_json",
    "stored_state",
]


@dataclass(frozen=True)
class StepOutcome:
    """What one input did: the state after it, the effects to render, and whether it applied."""

    state: InterviewState | None
    effects: list[Effect] = field(default_factory=list)
    applied: bool = True
    # "duplicate", "stale", "no_interview", "closed" or "in_progress" when not applied
    reason: str | None = None
    # True when the input was applied before but its effects were never delivered (the
    # worker died, or Slack failed): `effects` are the ones still owed, to deliver again.
    redelivery: bool = False
    # "in_progress": another attempt is delivering the effects; ask again after this long
    retry_after: float = 0.0


@dataclass(frozen=True)
class ThreadView:
    """One read of a thread (one round trip): its interview, whether an input was already
    applied and the effects it still owes, and every question message recorded so far."""

    state: InterviewState | None
    seen: bool = False
    owed: list[Effect] = field(default_factory=list)
    asks: dict[str, str] = field(default_factory=dict)  # ask id -> its message's ts

    def ask_for_reply(self, reply_ts: str) -> str | None:
        """The ask a thread reply answers: the latest question message posted before it."""
        before = keys.ts_score(reply_ts)
        posted = [(keys.ts_score(ts), ask) for ask, ts in self.asks.items()]
        earlier = [p for p in posted if p[0] < before]
        return max(earlier)[1] if earlier else None


# Every kind of effect the machine can owe, by name: a new kind is stored as it is added
# to `Effect`, with nothing to list here.
_EFFECT_TYPES: dict[str, type[Any]] = {t.__name__: t for t in typing.get_args(Effect)}


def stored_state(version: Any, data: Any) -> InterviewState:
    """The state hash's `data` with its `version` (the hash's field is the one that counts)."""
    return InterviewState.model_validate_json(data).model_copy(update={"version": int(version)})


def effects_to_json(effects: list[Effect]) -> str:
    """The effects as stored with a delivery mark until they are delivered."""
    return json.dumps(
        [{"type": type(e).__name__, **dataclasses.asdict(e)} for e in effects],
        separators=(",", ":"),
    )


def effects_from_json(raw: str) -> list[Effect]:
    """The inverse of `effects_to_json`."""
    effects: list[Effect] = []
    for item in json.loads(raw):
        kind = _EFFECT_TYPES[item.pop("type")]
        if kind is Ask:
            item["choices"] = tuple(tuple(c) for c in item["choices"])
        effects.append(kind(**item))
    return effects
