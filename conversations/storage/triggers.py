"""A start claimed once by what triggered it (a command's trigger_id, a DM's ts, a pressed
button), so that Slack's retries, an event sent under two ids, or a double press start one
interview; and listed for the sweeper until it has run."""

from __future__ import annotations

import secrets
from datetime import timedelta

import redis
from redis.commands.core import Script

from conversations.storage import keys
from conversations.storage._redis import as_str, redis_errors
from conversations.storage.owed import Owed, OwedIndex

__all__ = ["CLAIM_ONCE_LUA", "DONE", "TRIGGER_TTL", "StartClaims"]

# Slack accepts a signed request for 5 minutes; a start not yet run is kept for the sweeper
# (a claim that expired with its start never run is dropped: a day of Slack refusing it).
TRIGGER_TTL = timedelta(days=1)
DONE = "done"  # a trigger's claim once its start has run
DONE_TTL_MS = 10 * 60 * 1000

# Claims a key once; the same call sent again (redis-py re-sends after a timeout, and the
# first send may have landed) finds its own token and is still the claim's owner.
CLAIM_ONCE_LUA = """
local held = redis.call('GET', KEYS[1])
if not held then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 1
end
if held == ARGV[1] then return 1 end
return 0
"""


class StartClaims:
    """Claims by trigger (`ragft:{T}:trigger:<id>`): once, then "done" once the start ran."""

    client: redis.Redis
    owed: OwedIndex
    _claim_once: Script  # CLAIM_ONCE_LUA, registered by the store

    def claim_trigger(self, team: str, trigger_id: str) -> bool:
        """True the first time a start's trigger is seen (for TRIGGER_TTL), else False: a
        command's `trigger_id`, a direct message's ts, a pressed button's message.

        The claim carries a token of this call: when redis-py sends it again after a
        timeout and the first send had landed, the call still owns its claim.
        """
        ttl_ms = int(TRIGGER_TTL.total_seconds() * 1000)
        token = secrets.token_hex(8)
        with redis_errors():
            claimed = self.client.register_script(CLAIM_ONCE_LUA)(
                keys=[keys.trigger(team, trigger_id)], args=[token, ttl_ms]
            )
        return bool(claimed)

    def claim_start(
        self, team: str, trigger_id: str, after: float, details: dict[str, str]
    ) -> bool:
        """`claim_trigger`, and the start listed for the sweeper `after` seconds from now with
        what running it needs (`details`), in the same step."""
        ttl_ms = int(TRIGGER_TTL.total_seconds() * 1000)
        token = secrets.token_hex(8)
        entry = Owed.start(team, trigger_id)
        return self.owed.claim_start(entry, token, ttl_ms, after, details)

    def start_ran(self, team: str, trigger_id: str) -> None:
        """The start claimed by `trigger_id` has its interview: the sweeper must not run it
        again, and the claim is kept ten minutes more (two presses that close together start
        one interview; a press an hour later starts another)."""
        entry = Owed.start(team, trigger_id).member
        with redis_errors():
            pipe = self.client.pipeline(transaction=True)
            pipe.set(keys.trigger(team, trigger_id), DONE, xx=True, px=DONE_TTL_MS)
            pipe.zrem(keys.owed(team), entry)
            pipe.hdel(keys.owed_starts(team), entry)
            pipe.hdel(keys.owed_tries(team), entry)
            pipe.execute()

    def start_state(self, team: str, trigger_id: str) -> str | None:
        """None: the trigger was never claimed (or long ago); "done": its start ran; else
        it is claimed and not yet run."""
        with redis_errors():
            held = self.client.get(keys.trigger(team, trigger_id))
        return None if held is None else as_str(held)
