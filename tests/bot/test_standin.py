"""The Web API stand-in answers like Slack, records calls, and fails on demand."""

from __future__ import annotations

import json
import urllib.request

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import (
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)

from bot.standin.server import BOT_USER_ID, SlackStandIn


@pytest.fixture
def client(standin: SlackStandIn) -> WebClient:
    return WebClient(
        token="xoxb-fake-token",
        base_url=standin.api_url,
        retry_handlers=[
            RateLimitErrorRetryHandler(max_retry_count=2),
            ServerErrorRetryHandler(max_retry_count=2),
        ],
    )


def test_post_message_keeps_thread_metadata_and_blocks(
    standin: SlackStandIn, client: WebClient
) -> None:
    """chat.postMessage returns increasing ts and stores thread_ts, metadata and blocks."""
    root = client.chat_postMessage(channel="C1", text="root")
    meta = {"event_type": "ragft_question", "event_payload": {"question_id": "task"}}
    blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": "Which task?"}}]
    reply = client.chat_postMessage(
        channel="C1", text="q", thread_ts=root["ts"], metadata=meta, blocks=blocks
    )
    assert float(reply["ts"]) > float(root["ts"])
    stored = standin.bot_messages("C1")[1]
    assert stored["thread_ts"] == root["ts"]
    assert stored["metadata"] == meta and stored["blocks"] == blocks
    call = standin.calls_to("chat.postMessage")[1]
    assert call.headers["authorization"] == "Bearer xoxb-fake-token"


def test_form_encoded_calls_are_decoded_like_json(standin: SlackStandIn, client: WebClient) -> None:
    """A form body with blocks as a JSON string is recorded with the blocks decoded."""
    client.api_call("chat.postMessage", params={"channel": "C1", "text": "t", "blocks": "[]"})
    assert standin.calls_to("chat.postMessage")[0].args["blocks"] == []


def test_update_ephemeral_permalink_dm_user_and_home(
    standin: SlackStandIn, client: WebClient
) -> None:
    """The other methods the app uses answer with the fields the app reads."""
    ts = client.chat_postMessage(channel="C1", text="v1")["ts"]
    client.chat_update(channel="C1", ts=ts, text="v2")
    assert standin.bot_messages()[0]["text"] == "v2"
    assert client.chat_postEphemeral(channel="C1", user="U1", text="psst")["message_ts"]
    assert client.chat_getPermalink(channel="C1", message_ts=ts)["permalink"].startswith("https://")
    assert client.conversations_open(users="U1")["channel"]["id"] == "D1"
    standin.set_user("U1", tz="Asia/Tokyo", tz_offset=32400)
    assert client.users_info(user="U1")["user"]["tz"] == "Asia/Tokyo"
    client.views_publish(user_id="U1", view={"type": "home", "blocks": []})
    assert standin.views["U1"]["type"] == "home"
    assert client.auth_test()["user_id"] == BOT_USER_ID


def test_files_upload_v2_steps(standin: SlackStandIn, client: WebClient) -> None:
    """files_upload_v2 works through getUploadURLExternal, the upload URL and completeUpload."""
    client.files_upload_v2(
        channel="C1", content="# record", filename="r.md", title="Record", thread_ts="1.0"
    )
    (record,) = standin.files.values()
    assert record["content"] == b"# record"
    assert record["channel"] == "C1" and record["thread_ts"] == "1.0"


def test_rate_limit_then_success(standin: SlackStandIn, client: WebClient) -> None:
    """A 429 with Retry-After is retried by slack_sdk's handler and then succeeds."""
    standin.fail_next("chat.postMessage", status=429, retry_after=1)
    assert client.chat_postMessage(channel="C1", text="hi")["ok"]
    assert [c.status for c in standin.calls_to("chat.postMessage")] == [429, 200]
    assert len(standin.bot_messages()) == 1


def test_server_error_then_success(standin: SlackStandIn, client: WebClient) -> None:
    """A 500 is retried by slack_sdk's server-error handler and then succeeds."""
    standin.fail_next("chat.update", status=500, retry_after=None)
    ts = client.chat_postMessage(channel="C1", text="v1")["ts"]
    assert client.chat_update(channel="C1", ts=ts, text="v2")["ok"]


def test_api_error_and_missing_token(standin: SlackStandIn, client: WebClient) -> None:
    """An `ok: false` answer raises SlackApiError; a call without a token is not authed."""
    standin.fail_next("chat.postMessage", error="channel_not_found")
    with pytest.raises(SlackApiError) as err:
        client.chat_postMessage(channel="C1", text="hi")
    assert err.value.response["error"] == "channel_not_found"
    with pytest.raises(SlackApiError):
        WebClient(base_url=standin.api_url).chat_postMessage(channel="C1", text="hi")


def test_wait_for_call_sees_later_calls(standin: SlackStandIn, client: WebClient) -> None:
    """wait_for_call returns the first matching call, and times out with a clear error."""
    client.chat_postMessage(channel="C1", text="one")
    call = standin.wait_for_call("chat.postMessage", lambda c: c.args["text"] == "one")
    assert call.response["ok"]
    with pytest.raises(TimeoutError):
        standin.wait_for_call("chat.update", timeout=0.3)


def test_response_url_posts_are_kept(standin: SlackStandIn) -> None:
    """Bodies POSTed to a response_url under the stand-in are recorded."""
    body = json.dumps({"text": "hi"}).encode()
    req = urllib.request.Request(
        standin.url + "response/1", data=body, headers={"Content-Type": "application/json"}
    )
    urllib.request.urlopen(req, timeout=5).close()
    assert standin.responses == [{"text": "hi"}]
