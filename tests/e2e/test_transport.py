"""Transport end to end: the real `ragft web` on the stand-in; retries, rate limits, crashes."""

from __future__ import annotations

from typing import Any

import pytest

from bot.standin.server import SlackStandIn
from tests.e2e.harness import WebProcess

pytestmark = pytest.mark.slow


def _question(standin: SlackStandIn, question_id: str, after: int = 0) -> dict[str, Any]:
    call = standin.wait_for_call(
        "chat.postMessage",
        lambda c: (
            (c.args.get("metadata") or {}).get("event_payload", {}).get("question_id")
            == question_id
        ),
        after=after,
    )
    message: dict[str, Any] = call.response["message"]
    return message


def _reply(
    web: WebProcess, standin: SlackStandIn, question: dict[str, Any], text: str, **kwargs: Any
) -> dict[str, Any]:
    typed = standin.add_user_message(question["channel"], text, "U0PLAYER", question["thread_ts"])
    response = web.sender.message(
        text, channel=question["channel"], thread_ts=question["thread_ts"], ts=typed["ts"], **kwargs
    )
    assert response.status == 200
    return typed


def test_retried_event_is_handled_once(web: WebProcess, standin: SlackStandIn) -> None:
    """A message event Slack redelivers (same event_id, X-Slack-Retry-Num) counts once."""
    assert web.sender.command("assess Support bot").status == 200
    name_q = _question(standin, "workload_name")
    typed = standin.add_user_message(
        name_q["channel"], "Answer billing questions", "U0PLAYER", name_q["thread_ts"]
    )
    for retry in (None, 1, 2):
        response = web.sender.message(
            "Answer billing questions",
            channel=name_q["channel"],
            thread_ts=name_q["thread_ts"],
            ts=typed["ts"],
            event_id="EvRETRY00001",
            retry_num=retry,
        )
        assert response.status == 200
    _question(standin, "deployment")
    standin.wait_quiet(quiet=1.0)
    asked = [
        c
        for c in standin.calls_to("chat.postMessage")
        if (c.args.get("metadata") or {}).get("event_payload", {}).get("question_id")
        == "deployment"
    ]
    assert len(asked) == 1


def test_rate_limited_post_is_retried_after_retry_after(
    web: WebProcess, standin: SlackStandIn
) -> None:
    """A 429 with Retry-After on chat.postMessage is retried by the app; one message lands."""
    standin.fail_next("chat.postMessage", status=429, retry_after=1)
    assert web.sender.command("assess Support bot").status == 200
    _question(standin, "workload_name")
    first, second = standin.calls_to("chat.postMessage")[:2]
    assert (first.status, second.status) == (429, 200)
    assert first.args == second.args
    roots = [m for m in standin.bot_messages() if "thread_ts" not in m]
    assert len(roots) == 1


def test_interview_survives_kill_9_of_the_web_process(
    web: WebProcess, standin: SlackStandIn
) -> None:
    """After kill -9 and a restart the interview continues where it was: nothing is lost."""
    assert web.sender.command("assess Support bot").status == 200
    name_q = _question(standin, "workload_name")
    _reply(web, standin, name_q, "Answer billing questions")
    deployment_q = _question(standin, "deployment")
    web.restart()
    mark = len(standin.calls)
    _reply(web, standin, deployment_q, "production")
    _question(standin, "domain", after=mark)


def test_answer_text_and_tokens_stay_out_of_the_logs(
    web: WebProcess, standin: SlackStandIn
) -> None:
    """The web process's info logs carry the context keys but neither tokens nor answers."""
    assert web.sender.command("assess Support bot").status == 200
    name_q = _question(standin, "workload_name")
    _reply(web, standin, name_q, "Zanzibar pricing oracle")
    _question(standin, "deployment")
    logs = web.logs()
    assert "xoxb-fake-token" not in logs and "fake-signing-secret" not in logs
    assert "Zanzibar" not in logs
    assert '"assessment_id": "' in logs
