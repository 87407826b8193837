"""Socket Mode end to end: the real `ragft web` with SLACK_APP_TOKEN set opens a socket to the
stand-in (`apps.connections.open`) and runs a whole interview from envelopes sent down it,
acknowledging every one within Slack's three seconds."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.standin.server import SlackStandIn
from bot.standin.socket_mode import ACK_DEADLINE
from tests.e2e.harness import SocketModeWebProcess
from tests.e2e.test_interview import OWNER, REPLIES, answer_all, questions, reply, start

pytestmark = pytest.mark.slow


@pytest.fixture
def socket_web(
    standin: SlackStandIn, redis_url: str, redis_client: object
) -> Iterator[SocketModeWebProcess]:
    web = SocketModeWebProcess(standin, redis_url).start()
    yield web
    web.stop()


def test_a_whole_interview_over_socket_mode(
    socket_web: SocketModeWebProcess, standin: SlackStandIn
) -> None:
    """Slash command, thread replies, buttons and the recommendation's own buttons all travel as
    envelopes; each is acked in time, and the app opened its socket with the app token."""
    opened = standin.calls_to("apps.connections.open")
    assert opened and opened[0].headers["authorization"].startswith("Bearer xapp-")
    sender = socket_web.sender
    thread = start(sender, standin, name="Socket bot")
    rec = answer_all(sender, standin, thread, buttons=True)
    assert rec["metadata"]["event_payload"]["workloads"][0]["pattern"] == "lookup_prompting"
    assert "Socket bot" in str(rec["blocks"])
    kinds = {e.type for e in standin.sockets.envelopes}
    assert kinds == {"slash_commands", "events_api", "interactive"}
    assert standin.sockets.unacked() == []
    assert max(e.ack_seconds or 0 for e in standin.sockets.envelopes) < ACK_DEADLINE
    helped = sender.command("help", user_id=OWNER)  # the command list comes back in the ack
    assert helped.status == 200 and "assess" in helped.json()["text"]
    assert len(questions(standin, thread)) > 5
    assert standin.sockets.refused_handshakes == 0


def test_a_reconnect_keeps_the_interview_going(
    socket_web: SocketModeWebProcess, standin: SlackStandIn
) -> None:
    """Slack closes sockets now and then; the app opens a new one and the next reply lands."""
    sender = socket_web.sender
    thread = start(sender, standin, name="Reconnect bot")
    standin.sockets.disconnect_all()
    standin.wait_for(lambda: len(standin.calls_to("apps.connections.open")) >= 2, timeout=30)
    standin.sockets.wait_connected()
    seen = len(questions(standin, thread))
    qid = questions(standin, thread)[-1]["metadata"]["event_payload"]["question_id"]
    reply(sender, standin, thread, REPLIES[qid])
    standin.wait_for(lambda: len(questions(standin, thread)) > seen, timeout=15)
    # An envelope sent while the new socket was still being set up is sent again, as Slack
    # does; the answer counts once.
    standin.wait_quiet(quiet=1.0, timeout=15)
    assert len(questions(standin, thread)) == seen + 1
    acked = [e for e in standin.sockets.envelopes if e.ack is not None]
    assert {e.type for e in acked} >= {"events_api"}
