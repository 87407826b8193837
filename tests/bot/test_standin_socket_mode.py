"""The stand-in's Socket Mode side, driven by slack_sdk's own client: a WebSocket only for an
app-level token, envelopes delivered, and an envelope left without an ack reported."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.socket_mode.builtin import SocketModeClient
from slack_sdk.socket_mode.request import SocketModeRequest
from slack_sdk.socket_mode.response import SocketModeResponse

from bot.standin.server import SlackStandIn
from bot.standin.socket_sender import NO_ACK, SocketSender


@pytest.fixture
def standin() -> Iterator[SlackStandIn]:
    with SlackStandIn() as server:
        yield server


def test_only_an_app_token_opens_a_socket(standin: SlackStandIn) -> None:
    bot = WebClient(base_url=standin.api_url)
    with pytest.raises(SlackApiError, match="not_allowed_token_type"):
        bot.apps_connections_open(app_token="xoxb-fake-token")
    app = WebClient(token="xapp-1-fake", base_url=standin.api_url)
    url = app.apps_connections_open(app_token="xapp-1-fake")["url"]
    assert url.startswith("ws://127.0.0.1:")


def test_envelopes_arrive_and_a_missing_ack_is_reported(standin: SlackStandIn) -> None:
    received: list[str] = []

    def listener(client: SocketModeClient, request: SocketModeRequest) -> None:
        received.append(request.type)
        if request.type != "events_api":  # this app forgets to ack events
            client.send_socket_mode_response(
                SocketModeResponse(envelope_id=request.envelope_id, payload={"text": "ok"})
            )

    client = SocketModeClient(
        app_token="xapp-1-fake",
        web_client=WebClient(base_url=standin.api_url),
    )
    client.socket_mode_request_listeners.append(listener)  # type: ignore[arg-type]
    client.connect()
    try:
        sender = SocketSender(standin.sockets)
        sender.ack_timeout = 0.5
        sender.retries = 0  # the forgotten ack itself is what is looked at
        assert sender.command("help").json() == {"text": "ok"}
        assert sender.message("hello").status == NO_ACK
        assert received == ["slash_commands", "events_api"]
        assert [e.type for e in standin.sockets.unacked()] == ["events_api"]
    finally:
        client.close()
