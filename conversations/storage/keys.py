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


def greeted(team: str, user: str) -> str:
    """Set (for a day) once the Messages tab greeted the person."""
    return f"ragft:{{{team}}}:greeted:{user}"


def decision(team: str, assessment_id: str) -> str:
    """One decision's lifecycle (hash: deciders, accepted:<version>, retired, canvas)."""
    return f"ragft:{{{team}}}:decision:{assessment_id}"


def revisit_outbox(team: str) -> str:
    """Completed assessments whose revisit is not yet in the schedule (hash: id -> entry JSON).

    Written by the completion's own Lua step, so a completed assessment always has either a
    scheduled revisit or an entry here; the clocks move entries into the schedule.
    """
    return f"ragft:{{{team}}}:revisit-outbox"


REVISIT_OUTBOX_PATTERN = "ragft:{*}:revisit-outbox"  # `{` is literal in a SCAN pattern


def team_of_outbox(key: str) -> str:
    """The team of a `revisit_outbox` key."""
    return key[len("ragft:{") : -len("}:revisit-outbox")]


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


# --- workspaces (OAuth distribution) -------------------------------------------------------
# An installation is owned by its workspace (`T…`), or for an org-wide install by its
# enterprise, written `E<enterprise id>` so that it never collides with a team id.


def install_owner(enterprise_id: str | None, team_id: str | None, org_wide: bool) -> str:
    """Whose installation this is: the enterprise (`E…`) for an org-wide one, else the team."""
    if (org_wide or not team_id) and enterprise_id:
        return f"E{enterprise_id}"
    return str(team_id or "")


def installation(owner: str) -> str:
    """The latest installation of a workspace or org (JSON)."""
    return f"ragft:{{{owner}}}:installation:latest"


def installation_bot(owner: str) -> str:
    return f"ragft:{{{owner}}}:installation:bot"


def installation_user(owner: str, user: str) -> str:
    return f"ragft:{{{owner}}}:installation:user:{user}"


def installation_pattern(owner: str) -> str:
    return f"ragft:{{{owner}}}:installation:*"


def installation_lock(owner: str) -> str:
    """Held while one process refreshes the installation's expiring tokens."""
    return f"ragft:{{{owner}}}:installation-lock"


def oauth_state(state: str) -> str:
    """One issued OAuth state (its own hash tag: states spread over a Cluster)."""
    return f"ragft:{{oauth-state:{state}}}"


def workspace(team: str) -> str:
    """A hash about the workspace: `enterprise` (its org, when it has one), `departed_at`."""
    return f"ragft:{{{team}}}:workspace"


def org_teams(enterprise: str) -> str:
    """The workspaces of an org seen so far (a set), for an org-wide uninstall."""
    return f"ragft:{{E{enterprise}}}:teams"


def team_pattern(team: str) -> str:
    """Every key of one team's data."""
    return f"ragft:{{{team}}}:*"


def team_assessments(team: str) -> str:
    """The team's register: assessment id -> owner (a hash)."""
    return f"ragft:{{{team}}}:assessments"


DEPARTED = "ragft:{workspaces}:departed"  # sorted set: team -> when the app was uninstalled


# Deliveries given up after the last attempt, until delivered or expired (`storage/owed.py`).
GIVEN_UP = "ragft:{owed}:given-up"
# The teams whose slot may hold deliveries owed, for the sweeper (`storage/owed.py`).
OWED_TEAMS = "ragft:{owed}:teams"


def owed(team: str) -> str:
    """Every committed step of the team whose Slack effects may still be owed, and every
    claimed start not yet run: a sorted set by when the sweeper may deliver it (ms)."""
    return f"ragft:{{{team}}}:owed"


def owed_starts(team: str) -> str:
    """What each claimed start of `owed(team)` needs to run (a hash, by entry)."""
    return f"ragft:{{{team}}}:owed-starts"


def owed_tries(team: str) -> str:
    """How many times each entry of `owed(team)` was tried and refused (a hash)."""
    return f"ragft:{{{team}}}:owed-tries"
