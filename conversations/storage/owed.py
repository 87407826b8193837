"""What is owed to Slack after an ack: the sweeper's index, and the deliveries given up.

`OwedIndex` (`ragft:{<team>}:owed`, a sorted set by due time in the team's own slot) names
every committed step whose effects may not have reached Slack yet, and every claimed start
not yet run. The commit of a step writes its entry in the same Lua step (`commit.lua`), the
claim of a start in the same step as the claim, and the record of a delivery removes it:
no round trip of its own. A sweeper (`bot.owed`) takes the entries whose time has come: a
process that died after the ack, or a delivery Slack refused and that waits out its
Retry-After or backoff. The step itself is in the thread's delivery mark
(`InterviewStore`), so the entry only says where to look. The sweeper finds the teams in
`ragft:{owed}:teams` (each start adds its team), and now and then by a SCAN of every
primary for `ragft:{*}:owed`.

`GivenUp` (`ragft:{owed}:given-up`) lists the steps whose effects Slack refused until the
last attempt, so that the clock delivers them once Slack takes them again, an operator can
list them (`ragft owed`) and `/healthz` can count them. An entry goes when its effects are
delivered, or when its mark has expired.
"""

from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass

import redis

from conversations.storage import keys
from conversations.storage._redis import as_str, redis_errors
from conversations.storage.keys import ThreadKey

__all__ = ["GivenUp", "Owed", "OwedIndex", "OwedMark"]


@dataclass(frozen=True)
class OwedMark:
    """Where a given-up delivery's effects wait, who was told, and why it was given up."""

    team: str
    channel: str
    thread_ts: str
    delivery_id: str
    user: str
    error: str
    given_up_at: float
    attempts: int = 0  # the clock's tries since
    tried_at: float = 0.0

    @property
    def where(self) -> ThreadKey:
        return ThreadKey(self.team, self.channel, self.thread_ts)

    @property
    def field(self) -> str:
        return f"{self.team} {self.channel} {self.thread_ts} {self.delivery_id}"


class GivenUp:
    """The list of given-up deliveries (one hash, any Redis topology)."""

    def __init__(self, client: redis.Redis) -> None:
        self.client = client

    def add(self, where: ThreadKey, delivery_id: str, *, user: str, error: str) -> OwedMark:
        mark = OwedMark(
            where.team, where.channel, where.thread_ts, delivery_id, user, error, time.time()
        )
        self.put(mark)
        return mark

    def put(self, mark: OwedMark) -> None:
        with redis_errors():
            self.client.hset(keys.GIVEN_UP, mark.field, json.dumps(asdict(mark)))

    def marks(self) -> list[OwedMark]:
        """Every given-up delivery, oldest first."""
        with redis_errors():
            raw = self.client.hvals(keys.GIVEN_UP)
        found = [OwedMark(**json.loads(as_str(value))) for value in raw]
        return sorted(found, key=lambda m: m.given_up_at)

    def count(self) -> int:
        with redis_errors():
            return int(self.client.hlen(keys.GIVEN_UP))

    def remove(self, mark: OwedMark) -> None:
        with redis_errors():
            self.client.hdel(keys.GIVEN_UP, mark.field)


# Takes an entry whose time has come for `ARGV[2]` ms, so that one sweeper alone works it.
TAKE_LUA = """
local due = redis.call('ZSCORE', KEYS[1], ARGV[3])
if not due or tonumber(due) > tonumber(ARGV[1]) then return 0 end
redis.call('ZADD', KEYS[1], tonumber(ARGV[1]) + tonumber(ARGV[2]), ARGV[3])
return 1
"""
# Claims a start's trigger once and lists the start, in one step. The same call sent again
# (redis-py re-sends after a timeout, and the first send may have landed) finds its own
# token and is still the claim's owner.
CLAIM_START_LUA = """
local held = redis.call('GET', KEYS[1])
if held and held ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
redis.call('ZADD', KEYS[2], ARGV[4], ARGV[3])
redis.call('HSET', KEYS[3], ARGV[3], ARGV[5])
return 1
"""


@dataclass(frozen=True)
class Owed:
    """One entry of the index: a step's delivery (`delivery_id`) or a start (`trigger`)."""

    kind: str  # "step" or "start"
    team: str
    channel: str = ""
    thread_ts: str = ""
    delivery_id: str = ""
    trigger: str = ""

    @property
    def where(self) -> ThreadKey:
        return ThreadKey(self.team, self.channel, self.thread_ts)

    @property
    def member(self) -> str:
        if self.kind == "start":
            return f"start {self.team} {self.trigger}"
        return f"step {self.team} {self.channel} {self.thread_ts} {self.delivery_id}"

    @classmethod
    def step(cls, where: ThreadKey, delivery_id: str) -> Owed:
        return cls("step", where.team, where.channel, where.thread_ts, delivery_id)

    @classmethod
    def start(cls, team: str, trigger: str) -> Owed:
        return cls("start", team, trigger=trigger)

    @classmethod
    def parse(cls, member: str) -> Owed | None:
        parts = member.split(" ")
        if parts[0] == "start" and len(parts) == 3:
            return cls.start(parts[1], parts[2])
        if parts[0] == "step" and len(parts) == 5:
            return cls.step(ThreadKey(parts[1], parts[2], parts[3]), parts[4])
        return None


class OwedIndex:
    """The sweeper's index of what may still be owed, in each team's slot."""

    def __init__(self, client: redis.Redis) -> None:
        self.client = client
        self._take = client.register_script(TAKE_LUA)
        self._claim_start = client.register_script(CLAIM_START_LUA)

    @redis_errors()
    def claim_start(
        self, entry: Owed, token: str, ttl_ms: int, after: float, details: dict[str, str]
    ) -> bool:
        """Claim the start's trigger (`keys.trigger`) and list the start, `after` seconds
        from now, with what running it needs; False when the trigger was claimed before."""
        due = int((time.time() + after) * 1000)
        claimed = self._claim_start(
            keys=[
                keys.trigger(entry.team, entry.trigger),
                keys.owed(entry.team),
                keys.owed_starts(entry.team),
            ],
            args=[token, ttl_ms, entry.member, due, json.dumps(details, sort_keys=True)],
        )
        return bool(claimed)

    @redis_errors()
    def note_team(self, team: str) -> None:
        """Put the team in the index the sweepers read."""
        self.client.sadd(keys.OWED_TEAMS, team)

    @redis_errors()
    def later(self, entry: Owed, after: float) -> int:
        """Try `entry` again `after` seconds from now; how many tries it has had so far."""
        due = int((time.time() + after) * 1000)
        pipe = self.client.pipeline(transaction=True)
        pipe.zadd(keys.owed(entry.team), {entry.member: due}, xx=True)
        pipe.hincrby(keys.owed_tries(entry.team), entry.member, 1)
        return int(pipe.execute()[1])

    @redis_errors()
    def postpone(self, entry: Owed, after: float) -> None:
        """Look at `entry` again `after` seconds from now, with no try counted (another
        attempt holds its delivery)."""
        due = int((time.time() + after) * 1000)
        self.client.zadd(keys.owed(entry.team), {entry.member: due}, xx=True)

    @redis_errors()
    def done(self, entry: Owed) -> None:
        """Nothing more is owed for `entry`."""
        pipe = self.client.pipeline(transaction=True)
        pipe.zrem(keys.owed(entry.team), entry.member)
        pipe.hdel(keys.owed_tries(entry.team), entry.member)
        pipe.hdel(keys.owed_starts(entry.team), entry.member)
        pipe.execute()

    @redis_errors()
    def teams(self, *, scan: bool = False) -> list[str]:
        """The teams in the index; with `scan`, also every team with entries on any primary
        (which are added to the index)."""
        found = {as_str(t) for t in self.client.smembers(keys.OWED_TEAMS)}
        if scan:
            scanned = set()
            for key in self.client.scan_iter(match="ragft:{*}:owed", count=1000):
                name = as_str(key)
                scanned.add(name[len("ragft:{") : -len("}:owed")])
            if scanned - found:
                self.client.sadd(keys.OWED_TEAMS, *(scanned - found))
            found |= scanned
        return sorted(found)

    @redis_errors()
    def due(self, teams: list[str], now: float, limit: int = 100) -> list[Owed]:
        """The entries of `teams` whose time has come, up to `limit` of each team, oldest first
        within a team (one pipeline): a team whose entries wait cannot crowd out the rest."""
        if not teams:
            return []
        pipe = self.client.pipeline(transaction=False)
        for team in teams:
            pipe.zrangebyscore(keys.owed(team), "-inf", int(now * 1000), 0, limit)
        entries = [Owed.parse(as_str(m)) for found in pipe.execute() for m in found]
        return [entry for entry in entries if entry is not None]

    @redis_errors()
    def take(self, entry: Owed, now: float, lease: float) -> bool:
        """Whether this sweeper has the entry for `lease` seconds (no other one takes it)."""
        args: list[int | str] = [int(now * 1000), int(lease * 1000), entry.member]
        return bool(self._take(keys=[keys.owed(entry.team)], args=args))

    @redis_errors()
    def start_details(self, entry: Owed) -> dict[str, str] | None:
        raw = self.client.hget(keys.owed_starts(entry.team), entry.member)
        return None if raw is None else dict(json.loads(as_str(raw)))

    @redis_errors()
    def tries(self, entry: Owed) -> int:
        return int(self.client.hget(keys.owed_tries(entry.team), entry.member) or 0)
