"""The gate in-process: a size limit, the signature and one parse before Bolt; Bolt acks (an
interview step or a start is saved before that) and its lazy listeners do the work."""

from __future__ import annotations

import io
import json
import time
from typing import Any
from urllib.parse import urlencode

import redis
from slack_bolt import BoltRequest
from slack_sdk.signature import SignatureVerifier

from bot import bootstrap
from bot.app import create_app
from bot.command_text import COMMAND_HELP
from bot.request_gate import SlackGate
from bot.settings import Settings
from bot.standin.server import SlackStandIn
from bot.views import text as t
from conversations.storage import keys

SECRET = "fake-signing-secret"
FORM = "application/x-www-form-urlencoded"


def _single(standin: SlackStandIn) -> Settings:
    return Settings(
        slack_bot_token="xoxb-fake-token",
        slack_signing_secret=SECRET,
        slack_api_url=standin.api_url,
    )


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


def _post(
    gate: SlackGate, request: tuple[bytes, str], *, forged: bytes | None = None
) -> tuple[str, dict[str, str], bytes]:
    """POST one signed request through the gate (with `forged`, another body under the
    signature of the first): status line, headers, body."""
    body, content_type = request
    ts = str(int(time.time()))
    signature = SignatureVerifier(SECRET).generate_signature(timestamp=ts, body=body)
    body = forged if forged is not None else body
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


def _gate(standin: SlackStandIn, redis_client: redis.Redis) -> SlackGate:
    settings = _single(standin)
    return SlackGate(create_app(settings, bootstrap.build(settings, redis_client)), SECRET)


def test_each_request_is_acked_by_bolt_and_worked_after_the_ack(
    standin: SlackStandIn, redis_client: redis.Redis
) -> None:
    """`/ragft help` is answered in the ack; `list` after it, by its lazy listener; the bot's
    own post is acked by the gate and reaches no listener."""
    gate = _gate(standin, redis_client)
    status, _, body = _post(gate, _command("help", standin.url + "response/1"))
    assert status == "200 OK" and body == COMMAND_HELP.encode()
    status, _, body = _post(gate, _command("list", standin.url + "response/2"))
    assert status == "200 OK" and body == b""
    standin.wait_for(lambda: standin.responses)
    assert standin.responses[0]["text"] == t.LIST_EMPTY
    person = {"type": "message", "channel": "C1", "user": "U1", "text": "hi", "ts": "1.2"}
    own_post = _event({**person, "user": "U0RAGFTBOT", "bot_id": "B0RAGFTBOT"})
    assert _post(gate, own_post)[0::2] == ("200 OK", b"")
    standin.wait_quiet()
    assert len(standin.responses) == 1


def test_a_forged_request_is_refused_and_reaches_no_listener(
    standin: SlackStandIn, redis_client: redis.Redis
) -> None:
    """A body changed after signing gets 401 from the gate: nothing starts."""
    gate = _gate(standin, redis_client)
    request = _command("assess", standin.url + "response/1")
    forged = request[0].replace(b"assess", b"list__")
    assert _post(gate, request, forged=forged)[0].startswith("401")
    standin.wait_quiet()
    assert not standin.calls_to("chat.postMessage") and not standin.responses


def test_a_start_is_claimed_and_listed_before_the_ack(
    standin: SlackStandIn, redis_client: redis.Redis
) -> None:
    """`/ragft assess`: when Slack gets its 200, the start is claimed by its trigger and listed
    for the sweeper; the lazy listener runs it and clears the entry."""
    gate = _gate(standin, redis_client)
    assert _post(gate, _command("assess Search", standin.url + "response/1"))[0] == "200 OK"
    standin.wait_for(lambda: standin.calls_to("chat.postMessage"))
    standin.wait_quiet()
    assert redis_client.get(keys.trigger("T0PLAYGND", "1.2")) == b"done"
    team = "T0PLAYGND"
    assert (
        redis_client.zcard(keys.owed(team)) == 0 and redis_client.hlen(keys.owed_starts(team)) == 0
    )


def test_with_redis_away_the_ack_goes_out_and_the_person_is_told(
    standin: SlackStandIn, tmp_path: Any
) -> None:
    """The start cannot be claimed (Redis away): Slack still gets its 200, and the person is
    told that nothing was changed."""
    dead = redis.Redis(unix_socket_path=str(tmp_path / "nothing.sock"))
    gate = _gate(standin, dead)
    status, _, body = _post(gate, _command("assess", standin.url + "response/1"))
    assert status == "200 OK" and body == b""
    standin.wait_for(lambda: standin.responses)
    assert standin.responses[0]["text"] == t.ERROR_STORE
    assert not standin.calls_to("chat.postMessage")


def test_over_socket_mode_bolt_takes_the_envelope_as_it_is(
    standin: SlackStandIn, redis_client: redis.Redis
) -> None:
    """No gate stands before Bolt over Socket Mode: the same acks, the same work after."""
    settings = Settings(
        slack_bot_token="xoxb-fake-token",
        slack_app_token="xapp-1-fake",
        slack_api_url=standin.api_url,
    )
    app = create_app(settings, bootstrap.build(settings, redis_client))
    body = {
        "team_id": "T0PLAYGND",
        "user_id": "U1",
        "channel_id": "C1",
        "command": "/ragft",
        "response_url": standin.url + "response/1",
    }
    response = app.dispatch(BoltRequest(mode="socket_mode", body={**body, "text": "help"}))
    assert response.status == 200 and response.body == COMMAND_HELP
    response = app.dispatch(BoltRequest(mode="socket_mode", body={**body, "text": "list"}))
    assert response.status == 200 and response.body == ""
    standin.wait_for(lambda: standin.responses)
    assert json.dumps(standin.responses[0]["text"]) == json.dumps(t.LIST_EMPTY)
