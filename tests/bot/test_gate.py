"""The gate's ack path in-process: a kept request goes to the inbox and is acked without
Bolt; the inbox workers drop a request from a workspace that uninstalled the app."""

from __future__ import annotations

import io
import json
import time
from typing import Any
from urllib.parse import urlencode

import pytest
import redis
from slack_bolt.authorization.authorize import InstallationStoreAuthorize
from slack_sdk.oauth.installation_store import Installation
from slack_sdk.signature import SignatureVerifier

from bot import bootstrap
from bot.app import create_app, create_worker_app
from bot.command_text import COMMAND_HELP
from bot.inbox import InboxWorkers
from bot.request_gate import SlackGate, kept
from bot.settings import Settings
from bot.standin.server import SlackStandIn
from bot.views import text as t
from conversations.storage import keys
from conversations.storage.inbox import Inbox

SECRET = "fake-signing-secret"
FORM = "application/x-www-form-urlencoded"


def _single(standin: SlackStandIn) -> Settings:
    return Settings(
        slack_bot_token="xoxb-fake-token",
        slack_signing_secret=SECRET,
        slack_api_url=standin.api_url,
    )


def _oauth(standin: SlackStandIn) -> Settings:
    return Settings(
        slack_bot_token="",
        slack_client_id=standin.client_id,
        slack_client_secret=standin.client_secret,
        slack_signing_secret=SECRET,
        slack_api_url=standin.api_url,
    )


def _inbox(redis_client: redis.Redis) -> Inbox:
    inbox = Inbox(redis_client, "test-consumer")
    inbox.ensure_group()
    return inbox


def _command(text: str, response_url: str, team: str = "T0PLAYGND") -> tuple[bytes, str]:
    form = {
        "team_id": team,
        "channel_id": "C1",
        "user_id": "U1",
        "command": "/ragft",
        "text": text,
        "response_url": response_url,
        "trigger_id": "1.2",
    }
    return urlencode(form).encode(), FORM


def _block_action(response_url: str) -> tuple[bytes, str]:
    payload = {
        "type": "block_actions",
        "team": {"id": "T0PLAYGND"},
        "user": {"id": "U1"},
        "channel": {"id": "C1"},
        "container": {"channel_id": "C1", "message_ts": "1.000001"},
        "message": {"ts": "1.000001", "thread_ts": "1.000000"},
        "response_url": response_url,
        "actions": [
            {
                "action_id": "ragft_control_back",
                "value": '{"ask":"a-1","v":"back"}',
                "type": "button",
                "block_id": "b",
                "action_ts": "1.4",
            }
        ],
    }
    return urlencode({"payload": json.dumps(payload)}).encode(), FORM


def _event(event: dict[str, Any]) -> tuple[bytes, str]:
    body = {"type": "event_callback", "team_id": "T0PLAYGND", "event_id": "Ev1", "event": event}
    return json.dumps(body).encode(), "application/json"


def _post(gate: SlackGate, request: tuple[bytes, str]) -> tuple[str, dict[str, str], bytes]:
    """POST one signed request through the gate: status line, headers, body."""
    body, content_type = request
    ts = str(int(time.time()))
    signature = SignatureVerifier(SECRET).generate_signature(timestamp=ts, body=body)
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": "/slack/events",
        "CONTENT_TYPE": content_type,
        "CONTENT_LENGTH": str(len(body)),
        "HTTP_X_SLACK_REQUEST_TIMESTAMP": ts,
        "HTTP_X_SLACK_SIGNATURE": signature,
        "wsgi.input": io.BytesIO(body),
    }
    answer: dict[str, Any] = {}

    def start_response(status: str, headers: list[tuple[str, str]]) -> None:
        answer.update(status=status, headers=dict(headers))

    data = b"".join(gate(environ, start_response))  # type: ignore[arg-type]
    return answer["status"], answer["headers"], data


def test_kept_leaves_out_bots_and_what_no_listener_acts_on() -> None:
    """A person's message, a Home tab, a command and a button are kept; a bot's post is not."""
    person = {"type": "message", "user": "U1", "text": "hi", "ts": "1.1"}
    assert kept({"type": "event_callback", "event": person})
    assert kept({"type": "event_callback", "event": {"type": "app_home_opened", "user": "U1"}})
    assert kept({"command": "/ragft", "text": "list"})
    assert kept({"type": "block_actions", "actions": [{"action_id": "x"}]})
    own = {**person, "bot_id": "B0RAGFT", "user": "U0RAGFTBOT"}
    assert not kept({"type": "event_callback", "event": own})
    assert not kept({"type": "event_callback", "event": {"type": "app_uninstalled"}})
    assert not kept({"type": "block_actions", "actions": []})
    assert not kept({"type": "url_verification", "challenge": "c"})


def test_the_oauth_web_app_keeps_and_acks_without_looking_up_the_installation(
    standin: SlackStandIn, redis_client: redis.Redis, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each kept request is in the inbox and acked as Bolt's `ack()` would, with Bolt (and
    its installation lookup) never run on the ack's path; the bot's own post is acked only."""
    settings = _oauth(standin)
    services = bootstrap.build(settings, redis_client)
    assert services.workspaces is not None

    def no_lookup(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("the installation was looked up on the ack's path")

    monkeypatch.setattr(services.workspaces.store, "find_installation", no_lookup)
    monkeypatch.setattr(services.workspaces.store, "find_bot", no_lookup)
    inbox = _inbox(redis_client)
    gate = SlackGate(create_app(settings, services), SECRET, inbox)
    reply = standin.url + "response/1"
    person = {"type": "message", "channel": "C1", "user": "U1", "text": "hi", "ts": "1.2"}
    requests = [
        _command("help", reply),
        _command("list", reply),
        _block_action(reply),
        _event(person),
        _event({"type": "app_home_opened", "user": "U1", "tab": "home"}),
    ]
    answers = [_post(gate, request) for request in requests]
    for request, (status, _, body) in zip(requests, answers, strict=True):
        assert status == "200 OK"
        assert body == (COMMAND_HELP.encode() if b"text=help" in request[0] else b"")
    own_post = _event({**person, "user": "U0RAGFTBOT", "bot_id": "B0RAGFTBOT"})
    assert _post(gate, own_post)[0::2] == ("200 OK", b"")  # acked, and not kept
    assert [item.body for item in inbox.read(count=10, block_ms=100)] == [
        body.decode() for body, _ in requests
    ]
    standin.wait_quiet()
    assert not standin.calls and not standin.responses  # the work waits for the workers

    # The same answers, headers and all, as Bolt's own acks (single token: no lookup).
    single = _single(standin)
    bolt = SlackGate(create_app(single, bootstrap.build(single, redis_client)), SECRET)
    assert [_post(bolt, request) for request in requests] == answers
    standin.wait_quiet()  # Bolt's listeners are done before the stand-in stops


def test_without_redis_the_gate_hands_the_request_to_bolt(
    standin: SlackStandIn, redis_client: redis.Redis
) -> None:
    """The inbox refuses (Redis away): Bolt acks and the work runs in this process."""

    class Away(Inbox):
        def add(self, body: str, content_type: str) -> str:
            raise redis.ConnectionError("Connection refused")

    settings = _single(standin)
    gate = SlackGate(
        create_app(settings, bootstrap.build(settings, redis_client)),
        SECRET,
        Away(redis_client, "test-consumer"),
    )
    status, _, body = _post(gate, _command("help", standin.url + "response/1"))
    assert status == "200 OK" and body == COMMAND_HELP.encode()
    status, _, body = _post(gate, _command("list", standin.url + "response/2"))
    assert status == "200 OK" and body == b""
    standin.wait_for(lambda: standin.responses)
    assert standin.responses[0]["text"] == t.LIST_EMPTY
    assert redis_client.xlen(keys.INBOX_STREAM) == 0


def test_the_workers_drop_a_request_from_an_uninstalled_workspace_at_once(
    standin: SlackStandIn, redis_client: redis.Redis
) -> None:
    """No installation: the request is done on its first attempt, with no reply at all."""
    settings = _oauth(standin)
    services = bootstrap.build(settings, redis_client)
    inbox = _inbox(redis_client)
    workers = InboxWorkers(inbox, create_worker_app(settings, services), threads=1)
    for request in (
        _command("list", standin.url + "response/1", team="T0GONE"),
        _block_action(standin.url + "response/2"),
    ):
        inbox.add(request[0].decode(), request[1])
    items = inbox.read(count=10, block_ms=100)
    assert [workers.handle(item) for item in items] == [True, True]  # done at once
    assert redis_client.zcard(keys.INBOX_LATER) == 0  # not handed back for a retry
    standin.wait_quiet()
    assert not standin.responses  # no "please reinstall" to the person
    assert not standin.calls


def test_over_socket_mode_bolt_keeps_the_request_itself(
    standin: SlackStandIn, redis_client: redis.Redis
) -> None:
    """No gate stands before Bolt over Socket Mode: the app's middleware keeps and acks."""
    from slack_bolt import BoltRequest

    settings = Settings(
        slack_bot_token="xoxb-fake-token",
        slack_app_token="xapp-1-fake",
        slack_api_url=standin.api_url,
    )
    inbox = _inbox(redis_client)
    app = create_app(settings, bootstrap.build(settings, redis_client), inbox=inbox)
    body = {"team_id": "T0PLAYGND", "user_id": "U1", "channel_id": "C1", "command": "/ragft"}
    response = app.dispatch(BoltRequest(mode="socket_mode", body={**body, "text": "help"}))
    assert response.status == 200 and response.body == COMMAND_HELP
    [item] = inbox.read(count=10, block_ms=100)
    assert json.loads(item.body)["text"] == "help" and item.content_type == "application/json"
    standin.wait_quiet()
    assert not standin.responses  # the work waits for the workers


def test_the_workers_retry_an_installed_workspace_whose_token_was_not_checked(
    standin: SlackStandIn, redis_client: redis.Redis, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Installed, but Bolt's authorize came back empty (auth.test failed): the request goes
    back to the inbox for later, and nobody is told to reinstall."""
    settings = _oauth(standin)
    services = bootstrap.build(settings, redis_client)
    assert services.installations is not None
    services.installations.save(
        Installation(
            app_id="A1",
            team_id="T0PLAYGND",
            user_id="U1",
            bot_token="xoxb-fake-installed",
            bot_id="B1",
            bot_user_id="U0BOT",
        )
    )
    monkeypatch.setattr(InstallationStoreAuthorize, "__call__", lambda *a, **k: None)
    inbox = _inbox(redis_client)
    workers = InboxWorkers(inbox, create_worker_app(settings, services), threads=1)
    inbox.add(
        *(
            part.decode() if isinstance(part, bytes) else part
            for part in _command("list", standin.url + "response/1")
        )
    )
    items = inbox.read(count=10, block_ms=100)
    assert [workers.handle(item) for item in items] == [False]  # back in the inbox
    assert redis_client.zcard(keys.INBOX_LATER) == 1
    standin.wait_quiet()
    assert not standin.responses
