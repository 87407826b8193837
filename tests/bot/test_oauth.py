"""The Redis installation and OAuth state stores, and refreshing tokens one process at a time."""

from __future__ import annotations

import threading
import time
from typing import Any

import redis
from slack_sdk import WebClient
from slack_sdk.oauth.installation_store import Installation
from slack_sdk.oauth.token_rotation import TokenRotator

from bot.oauth import (
    RedisInstallationStore,
    RedisOAuthStateStore,
    Refresher,
    Workspaces,
)
from bot.standin.server import SlackStandIn
from conversations.storage import keys


def _installation(team: str | None, *, enterprise: str | None = None, **kw: Any) -> Installation:
    return Installation(
        app_id="A0RAGFT",
        enterprise_id=enterprise,
        team_id=team,
        user_id="U0INSTALL",
        bot_token=kw.pop("bot_token", f"xoxb-{team or enterprise}"),
        bot_id="B0RAGFTBOT",
        bot_user_id="U0RAGFTBOT",
        bot_scopes="commands,chat:write",
        is_enterprise_install=kw.pop("org", False),
        **kw,
    )


def test_installations_are_kept_per_workspace_under_its_hash_tag(
    redis_client: redis.Redis,
) -> None:
    store = RedisInstallationStore(redis_client)
    store.save(_installation("T1"))
    store.save(_installation("T2"))
    assert {k.decode().split("}")[0] for k in redis_client.keys("ragft:*:installation*")} == {
        "ragft:{T1",
        "ragft:{T2",
    }
    found = store.find_installation(enterprise_id=None, team_id="T1")
    assert found is not None and found.bot_token == "xoxb-T1"
    bot = store.find_bot(enterprise_id=None, team_id="T2")
    assert bot is not None and bot.bot_token == "xoxb-T2"
    assert store.find_installation(enterprise_id=None, team_id="T3") is None

    store.delete_all(enterprise_id=None, team_id="T1")
    assert store.find_installation(enterprise_id=None, team_id="T1") is None
    assert store.find_bot(enterprise_id=None, team_id="T2") is not None


def test_an_org_wide_install_serves_every_workspace_of_its_enterprise(
    redis_client: redis.Redis,
) -> None:
    store = RedisInstallationStore(redis_client)
    store.save(_installation(None, enterprise="E1", org=True))
    assert redis_client.exists(keys.installation("EE1"))
    for team in ("T1", "T2"):
        found = store.find_installation(enterprise_id="E1", team_id=team)
        assert found is not None and found.bot_token == "xoxb-E1"
    assert store.find_installation(enterprise_id="E2", team_id="T1") is None


def test_an_oauth_state_is_used_once_and_expires(redis_client: redis.Redis) -> None:
    states = RedisOAuthStateStore(redis_client, expiration_seconds=1)
    state = states.issue()
    assert states.consume(state) is True
    assert states.consume(state) is False  # replayed
    assert states.consume("forged") is False
    late = states.issue()
    time.sleep(1.2)
    assert states.consume(late) is False


def test_concurrent_refreshes_of_one_expiring_token_make_one_exchange(
    redis_client: redis.Redis, standin: SlackStandIn
) -> None:
    """Eight threads (as eight processes would) find the token expiring: one refreshes it."""
    standin.add_team("T1")
    standin.token_expires_in = 30  # within the 2-hour margin: due for a refresh
    client = WebClient(base_url=standin.api_url)
    standin.redirect_url = "http://app.example/slack/oauth_redirect"
    code = standin.authorize("s", team="T1").split("code=")[1].split("&")[0]
    grant = client.oauth_v2_access(
        client_id=standin.client_id, client_secret=standin.client_secret, code=code
    )
    store = RedisInstallationStore(redis_client)
    store.save(
        _installation(
            "T1",
            bot_token=grant["access_token"],
            bot_refresh_token=grant["refresh_token"],
            bot_token_expires_in=grant["expires_in"],
        )
    )
    standin.token_expires_in = 43200
    rotator = TokenRotator(
        client_id=standin.client_id, client_secret=standin.client_secret, client=client
    )
    refresher = Refresher(redis_client, store, rotator, minutes_before_expiration=120)
    workspaces = Workspaces(redis_client, store, refresher, lambda t: WebClient(token=t))

    tokens: list[str | None] = []
    threads = [
        threading.Thread(target=lambda: tokens.append(workspaces.bot_token("T1"))) for _ in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    refreshes = [
        c
        for c in standin.calls_to("oauth.v2.access")
        if c.args.get("grant_type") == "refresh_token"
    ]
    assert len(refreshes) == 1
    assert set(tokens) == set(standin.live_tokens("T1"))  # every caller got the fresh token


def test_a_call_with_another_workspaces_token_is_refused(standin: SlackStandIn) -> None:
    standin.add_team("T1", channels=("C1",))
    standin.add_team("T2", channels=("C2",))
    standin.redirect_url = "http://app.example/slack/oauth_redirect"
    client = WebClient(base_url=standin.api_url)
    tokens = {}
    for team in ("T1", "T2"):
        code = standin.authorize("s", team=team).split("code=")[1].split("&")[0]
        tokens[team] = client.oauth_v2_access(
            client_id=standin.client_id, client_secret=standin.client_secret, code=code
        )["access_token"]
    own = WebClient(token=tokens["T1"], base_url=standin.api_url)
    assert own.chat_postMessage(channel="C1", text="hi")["ok"]
    assert own.auth_test()["team_id"] == "T1"
    other = standin.handle(
        "chat.postMessage",
        {"channel": "C2", "text": "hi"},
        {"authorization": f"Bearer {tokens['T1']}"},
    )
    assert other.response["error"] == "invalid_auth"
    standin.expire_tokens("T1")
    expired = standin.handle(
        "chat.postMessage",
        {"channel": "C1", "text": "hi"},
        {"authorization": f"Bearer {tokens['T1']}"},
    )
    assert expired.response["error"] == "invalid_auth"


def test_a_departed_workspace_is_purged_after_the_retention_unless_it_returns(
    redis_client: redis.Redis, standin: SlackStandIn
) -> None:
    from datetime import UTC, datetime, timedelta

    from bot import bootstrap
    from bot.settings import Settings

    now = [datetime(2027, 1, 1, tzinfo=UTC)]
    settings = Settings(
        slack_client_id=standin.client_id,
        slack_client_secret=standin.client_secret,
        slack_signing_secret="s",
        slack_api_url=standin.api_url,
        retention_days=30,
    )
    services = bootstrap.build(settings, redis_client, clock=lambda: now[0])
    assert services.workspaces is not None and services.installations is not None
    for team in ("T1", "T2"):
        redis_client.set(keys.assessment(team, "a1"), "{}")
        services.revisits.schedule(team, "a1", now[0].timestamp() + 10**6)
        services.installations.save(_installation(team))
        services.installations.delete_all(enterprise_id=None, team_id=team)
        services.workspaces.departed(team, now[0].timestamp())
    services.installations.save(_installation("T2"))  # T2 comes back within the period

    now[0] += timedelta(days=29)
    services.ticker.tick()
    assert redis_client.exists(keys.assessment("T1", "a1"))
    now[0] += timedelta(days=2)
    services.ticker.tick()
    assert not redis_client.exists(keys.assessment("T1", "a1"))
    assert services.revisits.status("T1", "a1") is None
    assert redis_client.exists(keys.assessment("T2", "a1"))
    assert services.revisits.status("T2", "a1") is not None


def test_a_process_keeps_an_installation_a_moment_and_forgets_it_on_change(
    redis_client: redis.Redis,
) -> None:
    """Repeated lookups within the cache time read Redis once; a save or an uninstall in
    this process is seen at once; a token near its refresh is always read afresh."""
    store = RedisInstallationStore(redis_client, cache_seconds=60)
    store.save(_installation("T1"))
    assert store.find_installation(enterprise_id=None, team_id="T1") is not None
    redis_client.delete(keys.installation("T1"), keys.installation_bot("T1"))  # behind its back
    cached = store.find_installation(enterprise_id=None, team_id="T1")
    assert cached is not None and cached.bot_token == "xoxb-T1"  # from the process's memory
    store.delete_all(enterprise_id=None, team_id="T1")  # an uninstall handled here
    assert store.find_installation(enterprise_id=None, team_id="T1") is None

    near = RedisInstallationStore(redis_client, cache_seconds=60, fresh_for_seconds=3600)
    near.save(_installation("T2", bot_token_expires_at=int(time.time()) + 600))
    assert near.find_installation(enterprise_id=None, team_id="T2") is not None
    redis_client.delete(keys.installation("T2"), keys.installation_bot("T2"))
    assert near.find_installation(enterprise_id=None, team_id="T2") is None  # not cached
