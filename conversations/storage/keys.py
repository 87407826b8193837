"""Redis key names: everything of one team shares the hash tag `{<team>}` (one Cluster slot)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ThreadKey:
    """One interview thread (team, channel, thread_ts), and the Redis keys of its data."""

    team: str
    channel: str
    thread_ts: str

    @property
    def prefix(self) -> str:
        return f"ragft:{{{self.team}}}"

    @property
    def member(self) -> str:
        """How the thread is named in a user's interviews set."""
        return f"{self.channel} {self.thread_ts}"

    @property
    def state(self) -> str:
        return f"{self.prefix}:interview:{self.channel}:{self.thread_ts}"

    @property
    def asks(self) -> str:
        return f"{self.prefix}:asks:{self.channel}:{self.thread_ts}"

    def delivery(self, delivery_id: str) -> str:
        return f"{self.prefix}:delivery:{self.channel}:{self.thread_ts}:{delivery_id}"

    @property
    def delivery_pattern(self) -> str:
        return f"{self.prefix}:delivery:{self.channel}:{self.thread_ts}:*"


def user_interviews(team: str, user: str) -> str:
    return f"ragft:{{{team}}}:user:{user}:interviews"


def user_assessments(team: str, user: str) -> str:
    return f"ragft:{{{team}}}:user:{user}:assessments"


def assessment(team: str, assessment_id: str) -> str:
    return f"ragft:{{{team}}}:assessment:{assessment_id}"


def trigger(team: str, trigger_id: str) -> str:
    """The claim of one slash command (its trigger_id), so a replayed request starts nothing."""
    return f"ragft:{{{team}}}:trigger:{trigger_id}"


def ts_score(ts: str) -> int:
    """A Slack ts ("1712345678.123456") as an exact integer score (microseconds)."""
    seconds, _, micros = ts.partition(".")
    return int(seconds) * 1_000_000 + int((micros + "000000")[:6])


def score_ts(score: float) -> str:
    """The Slack ts back from its score."""
    micros = int(score)
    return f"{micros // 1_000_000}.{micros % 1_000_000:06d}"


# The inbox of acknowledged Slack requests: one hash tag, so its keys share a Cluster slot.
INBOX_STREAM = "ragft:{inbox}:requests"
INBOX_LATER = "ragft:{inbox}:later"  # sorted set: requests to retry, by not-before time (ms)


def inbox_alive(consumer: str) -> str:
    """A worker's heartbeat: while it exists, the worker's claimed requests are its own."""
    return f"ragft:{{inbox}}:alive:{consumer}"
