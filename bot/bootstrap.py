"""Process start-up: `connect_redis(settings)` reaches the Redis the settings name (and warns
when it may evict), and `build(settings, redis)`, the composition root, assembles every part
the app runs on.

Every entry point (`ragft web`, `ragft clock`, the playground, the tests, the benchmarks)
builds its `Services` here, and nowhere else; a test overrides a part by passing it.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from slack_sdk.oauth.token_rotation import TokenRotator

from bot.chart_process import drawing_process
from bot.log import get_logger
from bot.oauth import (
    RedisInstallationStore,
    RedisOAuthStateStore,
    Refresher,
    Workspaces,
)
from bot.revisits.scheduler import RevisitConfig, RevisitScheduler
from bot.revisits.sender import NudgeSender
from bot.revisits.ticker import RevisitTicker
from bot.services import CompletedAssessment, Services
from bot.slack_client import build_client
from bot.sweeper import redeliver, sweep
from bot.workflow_steps import fail_expired
from conversations.catalogue import bundled_catalogue
from conversations.revisit_timing import utc_now
from conversations.storage.connection import RedisHandle, connect, eviction_policies
from conversations.storage.decisions import DecisionStore
from conversations.storage.interviews import InterviewStore

if TYPE_CHECKING:
    import redis
    from slack_sdk import WebClient

    from bot.settings import Settings

__all__ = ["build", "connect_redis", "warn_unless_noeviction"]
SCAN_EVERY = 30  # sweeps: now and then a sweep also looks for teams missing from its index

log = get_logger(__name__)


def connect_redis(settings: Settings) -> RedisHandle:
    """The settings' Redis (standalone, cluster, sentinel, or embedded); warns when it may evict.

    Raises StoreUnavailable when it cannot be reached.
    """
    handle = connect(
        settings.redis_url,
        settings.data_dir,
        mode=settings.redis_mode,
        sentinel_master=settings.redis_sentinel_master,
        socket_timeout=settings.redis_socket_timeout,
    )
    warn_unless_noeviction(handle)
    return handle


def warn_unless_noeviction(handle: RedisHandle) -> None:
    """Log loudly when a primary's `maxmemory-policy` is not `noeviction`: under memory pressure
    Redis would then delete interviews, decisions and revisits without a word."""
    policies = eviction_policies(handle.client)
    if policies is None:
        log.info("redis_eviction_policy_unknown", hint="CONFIG GET is not allowed; set noeviction")
        return
    evicting = {node: policy for node, policy in policies.items() if policy != "noeviction"}
    if evicting:
        log.warning(
            "REDIS_MAY_EVICT_DATA",
            policies=evicting,
            hint="set maxmemory-policy noeviction, or Redis may delete decisions and revisits",
        )


def build(
    settings: Settings,
    redis_client: redis.Redis,
    *,
    client: WebClient | None = None,
    clock: Callable[[], datetime] = utc_now,
    revisit_config: RevisitConfig | None = None,
    on_completed: Sequence[Callable[[CompletedAssessment], None]] = (),
) -> Services:
    """Everything on one Redis connection and one Web API client (default: `build_client`).

    The revisit scheduler is the first `on_completed` hook; `on_completed` adds more.
    """
    config = revisit_config or RevisitConfig.from_settings(settings)
    # The price catalogue takes about a second to load: load it now, off the request path,
    # so that the first typed model id is read at once.
    threading.Thread(
        target=bundled_catalogue, args=(clock().date(),), name="ragft-prices", daemon=True
    ).start()
    client = client or build_client(settings)
    workspaces = oauth_parts(settings, redis_client, client) if settings.oauth_mode else None
    clients = workspaces.client_for if workspaces is not None else None
    ttl = settings.interview_ttl
    if not isinstance(ttl, timedelta):  # P1M and the like: measured from now
        ttl = ttl.totimedelta(start=clock())
    store = InterviewStore(
        redis_client,
        interview_ttl=ttl,
        revisit_after=settings.revisit_after,
        calibration=settings.calibration(),
        delivery_lease=timedelta(seconds=settings.delivery_lease_seconds),
    )
    queue = config.queue(redis_client)
    scheduler = RevisitScheduler(queue, client, config, clock, clients=clients)
    sender = NudgeSender(
        client,
        queue,
        store,
        clock=clock,
        clients=clients,
        # a paused workspace's revisits look for a reinstall every 10 ticks (at most 5 min)
        paused_retry_seconds=min(300.0, 10 * config.tick_seconds),
    )
    built: list[Services] = []  # the services the clock's chores work with, once built
    purge: Callable[[], None] | None = None
    if workspaces is not None:
        retention = timedelta(days=settings.retention_days)
        purge_queue = queue

        def purge() -> None:
            cutoff = (clock() - retention).timestamp()
            for team in workspaces.due_for_purge(cutoff):
                workspaces.purge(team, purge_queue.cancel)

    def housekeeping() -> None:
        """Each tick's chores: deliveries given up, once Slack takes them again; Workflow
        Builder steps whose interview expired unanswered fail with that reason; in OAuth
        mode, departed workspaces' data past retention."""
        try:
            redeliver(built[0], sender.client_for)
        finally:
            try:
                fail_expired(redis_client, client, ttl)
            finally:
                if purge is not None:
                    purge()

    sweeps = itertools.count()  # every SCAN_EVERY-th sweep also scans for unlisted teams
    ticker = RevisitTicker(
        queue,
        sender,
        tick_seconds=config.tick_seconds,
        batch=config.batch,
        clock=clock,
        drain=scheduler.drain_outboxes,
        housekeeping=housekeeping,
        # what an acknowledged request still owes Slack (bot/owed.py), every few seconds
        sweep=lambda: sweep(built[0], sender.client_for, scan=next(sweeps) % SCAN_EVERY == 0),
        sweep_seconds=settings.owed_sweep_seconds,
    )

    decisions = DecisionStore(redis_client)

    def index(done: CompletedAssessment) -> None:
        decisions.index(done.team_id, done.assessment_id, done.user_id)

    hooks = (scheduler.on_completed, index, *on_completed)
    services = Services(
        store=store,
        revisits=queue,
        rescheduler=scheduler,
        ticker=ticker,
        client=client,
        charts=ThreadPoolExecutor(max_workers=1, thread_name_prefix="ragft-charts"),
        clock=clock,
        on_completed=hooks,
        installations=workspaces.store if workspaces is not None else None,
        oauth_states=RedisOAuthStateStore(redis_client) if workspaces is not None else None,
        workspaces=workspaces,
        drawing=drawing_process(),
    )
    built.append(services)
    return services


def oauth_parts(settings: Settings, redis_client: redis.Redis, client: WebClient) -> Workspaces:
    """The installation store, the token refresher (on the app's client, so on SLACK_API_URL)
    and the per-workspace clients, for OAuth mode."""
    assert settings.slack_client_id and settings.slack_client_secret
    # never cached while its token is within the refresh window (or a minute of it)
    store = RedisInstallationStore(
        redis_client, fresh_for_seconds=settings.token_refresh_minutes * 60 + 60
    )
    rotator = TokenRotator(
        client_id=settings.slack_client_id,
        client_secret=settings.slack_client_secret,
        client=client,
    )
    refresher = Refresher(redis_client, store, rotator, settings.token_refresh_minutes)

    def make_client(token: str) -> WebClient:
        return build_client(settings.model_copy(update={"slack_bot_token": token}))

    return Workspaces(redis_client, store, refresher, make_client)
