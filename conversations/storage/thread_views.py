"""What one read of a thread gives (`ThreadView`), what one input did (`StepOutcome`), the
process's memory of the threads it moved last (`RecentViews`), and the effects as stored
with a delivery mark until they are delivered."""

from __future__ import annotations

import dataclasses
import json
import threading
import time
import typing
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from conversations.state import Ask, Effect, InterviewState
from conversations.storage import keys
from conversations.storage.keys import ThreadKey

__all__ = [
    "RecentViews",
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
    # From this process's memory, not read: `seen` and `owed` are unknown, and the state
    # may be behind (the commit's version check finds out: `StepOutcome.reason` "changed").
    cached: bool = False

    def ask_for_reply(self, reply_ts: str) -> str | None:
        """The ask a thread reply answers: the latest question message posted before it."""
        before = keys.ts_score(reply_ts)
        posted = [(keys.ts_score(ts), ask) for ask, ts in self.asks.items()]
        earlier = [p for p in posted if p[0] < before]
        return max(earlier)[1] if earlier else None


class RecentViews:
    """Each thread's view as this process left it after its own commit and the questions
    it posted, so that the next step of the thread here needs no read. Bounded (least
    recently used out); never trusted past the commit's compare-and-set on the version."""

    def __init__(self, size: int = 2048, max_age: float = 300.0) -> None:
        self.size = size
        self.max_age = max_age  # seconds; after a pause that long, the step reads again
        self._views: OrderedDict[ThreadKey, tuple[ThreadView, float]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, where: ThreadKey) -> ThreadView | None:
        with self._lock:
            found = self._views.get(where)
            if found is None:
                return None
            view, kept_at = found
            if time.monotonic() - kept_at > self.max_age:
                del self._views[where]
                return None
            self._views.move_to_end(where)
            return view

    def put(self, where: ThreadKey, view: ThreadView) -> None:
        with self._lock:
            self._views[where] = (view, time.monotonic())
            self._views.move_to_end(where)
            while len(self._views) > self.size:
                self._views.popitem(last=False)

    def asked(self, where: ThreadKey, questions: dict[str, str]) -> None:
        with self._lock:
            found = self._views.get(where)
            if found is not None:
                view, kept_at = found
                asks = {**view.asks, **questions}
                self._views[where] = (dataclasses.replace(view, asks=asks), kept_at)

    def drop(self, where: ThreadKey) -> None:
        with self._lock:
            self._views.pop(where, None)

    def clear(self) -> None:
        with self._lock:
            self._views.clear()


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
