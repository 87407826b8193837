"""The Bolt app's edges in-process: acks, the Web API client's retries, Socket Mode, manifest."""

from __future__ import annotations

import json
import os
import re
import threading
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
import redis
from slack_bolt import App, BoltRequest
from slack_sdk.errors import SlackApiError
from slack_sdk.signature import SignatureVerifier

from bot import bootstrap
from bot.app import create_app
from bot.command_text import COMMAND_HELP
from bot.errors import user_message
from bot.settings import Settings
from bot.slack_client import build_client
from bot.standin.server import SlackStandIn
from bot.views import text as t
from conversations.errors import StoreUnavailable

SECRET = "fake-signing-secret"
REPO = Path(__file__).resolve().parents[2]


def _settings(standin: SlackStandIn, **extra: Any) -> Settings:
    return Settings(
        slack_bot_token="xoxb-fake-token",
        slack_signing_secret=SECRET,
        slack_api_url=standin.api_url,
        **extra,
    )


def _app(settings: Settings, redis_client: redis.Redis) -> App:
    """The Bolt app on parts built as every process builds them."""
    return create_app(settings, bootstrap.build(settings, redis_client))


def _signed(body: str, content_type: str = "application/x-www-form-urlencoded") -> BoltRequest:
    ts = str(int(time.time()))
    signature = SignatureVerifier(SECRET).generate_signature(timestamp=ts, body=body)
    headers = {
        "content-type": [content_type],
        "x-slack-request-timestamp": [ts],
        "x-slack-signature": [signature or ""],
    }
    return BoltRequest(body=body, headers=headers)


def _command(text: str, response_url: str) -> BoltRequest:
    return _signed(
        urlencode(
            {
                "team_id": "T0PLAYGND",
                "channel_id": "C1",
                "user_id": "U1",
                "command": "/ragft",
                "text": text,
                "response_url": response_url,
                "trigger_id": "1.2",
            }
        )
    )


def test_help_is_the_ack_and_the_listener_s_own_ack_changes_nothing(
    standin: SlackStandIn, redis_client: Any
) -> None:
    """`ack_first` answers `/ragft help` in the ack; the listener's later `ack()` is harmless."""
    app = _app(_settings(standin), redis_client)
    for text in ("help", "  HELP  ", "what is this"):
        response = app.dispatch(_command(text, standin.url + "response/1"))
        assert response.status == 200
        assert response.body.endswith(COMMAND_HELP)  # Slack shows a plain-text ack to the person
    assert response.body.startswith("I don't know `/ragft what`.")
    response = app.dispatch(_command("list", standin.url + "response/2"))
    assert response.status == 200 and response.body == ""
    standin.wait_for(lambda: standin.responses)  # the list came by response_url, once
    standin.wait_quiet()
    assert len(standin.responses) == 1 and standin.responses[0]["text"] == t.LIST_EMPTY


def test_a_button_press_is_acked_once_whatever_the_listener_does(
    standin: SlackStandIn, redis_client: Any
) -> None:
    """A block action on a message that is no interview is acked with 200 and changes nothing."""
    app = _app(_settings(standin), redis_client)
    payload = {
        "type": "block_actions",
        "team": {"id": "T0PLAYGND"},
        "user": {"id": "U1"},
        "channel": {"id": "C1"},
        "container": {"channel_id": "C1", "message_ts": "1.000001"},
        "message": {"ts": "1.000001", "thread_ts": "1.000000"},
        "response_url": standin.url + "response/3",
        "trigger_id": "1.3",
        "actions": [
            {
                "action_id": "ragft_control_back",
                "value": '{"ask":"a-1","v":"back"}',
                "action_ts": "1.4",
                "type": "button",
                "block_id": "b",
            }
        ],
    }
    response = app.dispatch(_signed(urlencode({"payload": json.dumps(payload)})))
    assert response.status == 200
    standin.wait_quiet()
    assert not standin.calls_to("chat.postMessage") and not standin.responses


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_the_client_retries_any_server_error_where_safe(standin: SlackStandIn, status: int) -> None:
    """A 5xx is retried with a backoff for a method that can run twice (chat.update); never
    for chat.postMessage, which Slack may have done before the 5xx: no duplicate message."""
    client = build_client(_settings(standin))
    posted = client.chat_postMessage(channel="C1", text="hello")
    standin.fail_next("chat.update", status=status, retry_after=None)
    assert client.chat_update(channel="C1", ts=posted["ts"], text="hi")["ok"]
    assert [c.status for c in standin.calls_to("chat.update")] == [status, 200]
    standin.fail_after_post("chat.postMessage", status=status)
    with pytest.raises(SlackApiError):
        client.chat_postMessage(channel="C1", text="again")
    assert [c.status for c in standin.calls_to("chat.postMessage")] == [200, status]
    assert len(standin.bot_messages("C1")) == 2


def test_a_method_not_known_safe_is_never_repeated(standin: SlackStandIn) -> None:
    """Retries go by an allow-list: a method missing from it (a canvas, say) is not sent
    again after a 5xx, however harmless it looks; a listed one is."""
    client = build_client(_settings(standin))
    standin.fail_next("canvases.create", status=500, retry_after=None)
    with pytest.raises(SlackApiError):
        client.api_call("canvases.create", json={"title": "decision"})
    assert len(standin.calls_to("canvases.create")) == 1
    standin.fail_next("users.info", status=500, retry_after=None)
    assert client.users_info(user="U1")["ok"]
    assert len(standin.calls_to("users.info")) == 2


def test_the_client_keeps_its_connections_warm(standin: SlackStandIn) -> None:
    """Calls in a row go over one kept-alive connection, not a new one each."""
    client = build_client(_settings(standin))
    for _ in range(5):
        client.users_info(user="U1")
    ports = {c.headers.get("x-peer-port") for c in standin.calls_to("users.info")}
    assert len(ports) == 1


def test_socket_mode_handler_builds_without_connecting(
    standin: SlackStandIn, redis_client: Any
) -> None:
    """With SLACK_APP_TOKEN (and no signing secret) the app and its Socket Mode handler build."""
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    settings = Settings(
        slack_bot_token="xoxb-fake-token",
        slack_app_token="xapp-1-fake",
        slack_api_url=standin.api_url,
    )
    assert settings.socket_mode
    app = _app(settings, redis_client)
    handler = SocketModeHandler(app, settings.slack_app_token)  # type: ignore[no-untyped-call]
    assert handler.client.app_token == "xapp-1-fake"
    assert not standin.calls  # nothing was called: no connection yet


def _manifest_list(section: str) -> set[str]:
    """The `- item` lines under `section:` in manifest.yml (no YAML parser needed)."""
    lines = (REPO / "manifest.yml").read_text().splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip() == f"{section}:")
    indent = len(lines[start + 1]) - len(lines[start + 1].lstrip())
    items: set[str] = set()
    for line in lines[start + 1 :]:
        if not line.strip() or (len(line) - len(line.lstrip())) < indent:
            break
        items.add(line.strip().removeprefix("- ").strip())
    return items


def test_the_manifest_has_what_the_code_calls() -> None:
    """Scopes, events, interactivity and the Home tab that the listeners and the nudge use."""
    scopes = _manifest_list("bot")
    assert {
        "commands",
        "chat:write",
        "im:write",
        "users:read",
        "files:write",
        "canvases:write",  # Publish as canvas (bot/canvases.py)
        "channels:history",
        "groups:history",
    } <= scopes
    # Posting where the bot is no member would start interviews whose replies never arrive
    # (message events only come from channels the bot is in): better the not-in-channel note.
    assert "chat:write.public" not in scopes
    assert {"message.channels", "message.groups", "app_home_opened"} <= _manifest_list("bot_events")
    text = (REPO / "manifest.yml").read_text()
    assert re.search(r"interactivity:\s*\n\s*is_enabled: true", text)
    assert re.search(r"home_tab_enabled: true", text)
    assert "command: /ragft" in text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("show", "`/ragft show` needs an assessment id, for example `/ragft show a1b2c3`."),
        (
            "revisit  ",
            "`/ragft revisit` needs an assessment id, for example `/ragft revisit a1b2c3`.",
        ),
        ("cancel", "You have no interview in progress. `/ragft list` shows your assessments."),
    ],
)
def test_a_command_missing_its_id_says_what_it_needs(
    standin: SlackStandIn, redis_client: Any, text: str, expected: str
) -> None:
    """`show`/`revisit` without an id ask for one; `cancel` with nothing open says so."""
    app = _app(_settings(standin), redis_client)
    assert app.dispatch(_command(text, standin.url + "response/1")).status == 200
    standin.wait_for(lambda: standin.responses)
    assert standin.responses[0]["text"] == expected
    assert standin.responses[0]["response_type"] == "ephemeral"


@pytest.mark.parametrize(
    "error",
    [
        StoreUnavailable("down"),
        redis.ConnectionError("Connection refused"),
        redis.TimeoutError("Timeout reading from socket"),
    ],
)
def test_redis_going_away_reads_as_storage_trouble(error: Exception) -> None:
    """Whichever layer meets a lost Redis, the person gets the same plain storage message."""
    assert user_message(error) == t.ERROR_STORE


def test_listener_work_runs_on_web_listener_threads(
    standin: SlackStandIn, redis_client: Any
) -> None:
    """Work after the ack runs on WEB_LISTENER_THREADS threads, at the request threads'
    priority: a thread lowered below them would hold the interpreter lock while descheduled
    and stall every ack behind it."""
    app = _app(_settings(standin, web_listener_threads=3), redis_client)
    executor = app.listener_runner.listener_executor
    assert executor._max_workers == 3  # type: ignore[attr-defined]

    def niceness() -> int:
        return os.getpriority(os.PRIO_PROCESS, threading.get_native_id())

    assert executor.submit(niceness).result(timeout=5) == niceness()
