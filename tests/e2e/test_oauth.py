"""Several workspaces over OAuth, end to end: installs through /slack/install and
/slack/oauth_redirect, each workspace's calls with its own token, rotation, uninstalls."""

from __future__ import annotations

import re
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from typing import Any

import pytest

from bot.standin.server import SlackStandIn
from bot.standin.signing import SignedSender
from tests.e2e.harness import SIGNING_SECRET, WebProcess
from tests.e2e.test_interview import REPLIES

pytestmark = pytest.mark.slow

A, B = "T0AAAAAAA", "T0BBBBBBB"
CHANNEL = {A: "C0AAAAAAA", B: "C0BBBBBBB"}
OWNER = {A: "U0AOWNER", B: "U0BOWNER"}


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_opener = urllib.request.build_opener(_NoRedirect)


def get(url: str, cookie: str | None = None) -> tuple[int, Any, str]:
    """GET without following redirects: status, headers, body."""
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    try:
        with _opener.open(request, timeout=10) as response:
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as err:
        return err.code, err.headers, err.read().decode()


def begin_install(web: WebProcess) -> tuple[str, str]:
    """GET /slack/install: the authorize URL on the page and the state cookie."""
    status, headers, body = get(f"{web.url}/slack/install")
    assert status == 200, body
    cookie = str(headers["Set-Cookie"]).split(";")[0]
    found = re.search(r'href="([^"]*oauth/v2/authorize[^"]*)"', body)
    assert found is not None, body
    return found.group(1).replace("&amp;", "&"), cookie


def install(web: WebProcess, standin: SlackStandIn, team: str, *, org: bool = False) -> str:
    """Install the app in `team` (org-wide in its enterprise with `org`), as a browser would:
    the install page, Slack's approval, back to the redirect with the state cookie."""
    standin.redirect_url = f"{web.url}/slack/oauth_redirect"
    authorize_url, cookie = begin_install(web)
    status, headers, _ = get(authorize_url + f"&team={team}" + ("&org=1" if org else ""))
    assert status == 302
    location = str(headers["Location"])
    status, _, body = get(location, cookie)
    assert status == 200, body
    return location


def oauth_web(
    start_web: Callable[..., WebProcess], standin: SlackStandIn, **env: str
) -> WebProcess:
    return start_web(
        env={
            "SLACK_BOT_TOKEN": "",
            "SLACK_CLIENT_ID": standin.client_id,
            "SLACK_CLIENT_SECRET": standin.client_secret,
            **env,
        },
        with_ticker=bool(env.get("REVISIT_AFTER")),
    )


def sender_for(
    web: WebProcess,
    standin: SlackStandIn,
    team: str,
    *,
    enterprise: str | None = None,
    org: bool = False,
) -> SignedSender:
    return SignedSender(
        web.sender.url,
        SIGNING_SECRET,
        team_id=team,
        enterprise_id=enterprise,
        org_wide=org,
        response_url_base=standin.url,
    )


def _in(standin: SlackStandIn, channel: str, thread: str) -> list[dict[str, Any]]:
    return [m for m in standin.bot_messages(channel) if m.get("thread_ts") == thread]


def _questions(standin: SlackStandIn, channel: str, thread: str) -> list[dict[str, Any]]:
    return [
        m
        for m in _in(standin, channel, thread)
        if (m.get("metadata") or {}).get("event_type") == "ragft_question"
    ]


def _recommendation(standin: SlackStandIn, channel: str, thread: str) -> dict[str, Any] | None:
    return next(
        (
            m
            for m in _in(standin, channel, thread)
            if (m.get("metadata") or {}).get("event_type") == "ragft_recommendation"
        ),
        None,
    )


class Interview:
    """One interview in one workspace's channel, answered a question at a time."""

    def __init__(self, sender: SignedSender, standin: SlackStandIn, channel: str, owner: str):
        self.sender, self.standin, self.channel, self.owner = sender, standin, channel, owner
        before = {m["ts"] for m in standin.bot_messages(channel)}
        response = sender.command("assess Support bot", user_id=owner, channel_id=channel)
        assert response.status == 200
        root = standin.wait_for(
            lambda: next(
                (
                    m
                    for m in standin.bot_messages(channel)
                    if m["ts"] not in before and not m.get("thread_ts")
                ),
                None,
            )
        )
        self.thread = str(root["ts"])
        standin.wait_for(lambda: _questions(standin, channel, self.thread))
        self.result: dict[str, Any] | None = None

    @property
    def assessment_id(self) -> str:
        return str(
            _questions(self.standin, self.channel, self.thread)[0]["metadata"]["event_payload"][
                "assessment_id"
            ]
        )

    def step(self) -> bool:
        """Answer the open question; True once the recommendation is posted."""
        if self.result is not None:
            return True
        asked = _questions(self.standin, self.channel, self.thread)
        qid = asked[-1]["metadata"]["event_payload"]["question_id"]
        reply = self.sender.message(
            REPLIES[qid],
            channel=self.channel,
            user=self.owner,
            thread_ts=self.thread,
            ts=self.standin.next_ts(),
        )
        assert reply.status == 200
        self.standin.wait_for(
            lambda: (
                len(_questions(self.standin, self.channel, self.thread)) > len(asked)
                or _recommendation(self.standin, self.channel, self.thread)
            )
        )
        self.result = _recommendation(self.standin, self.channel, self.thread)
        return self.result is not None

    def finish(self) -> dict[str, Any]:
        for _ in range(40):
            if self.step():
                assert self.result is not None
                return self.result
        raise AssertionError("the interview did not end")


def refused(standin: SlackStandIn) -> list[Any]:
    return [c for c in standin.calls if c.response.get("error") == "invalid_auth"]


@pytest.fixture
def two_teams(standin: SlackStandIn) -> SlackStandIn:
    for team in (A, B):
        standin.add_team(team, channels=(CHANNEL[team],), users=(OWNER[team],))
    return standin


def test_two_workspaces_install_and_interview_at_once_each_with_its_own_token(
    start_web: Callable[..., WebProcess], two_teams: SlackStandIn
) -> None:
    standin = two_teams
    web = oauth_web(start_web, standin)
    install(web, standin, A)
    install(web, standin, B)
    assert len(standin.live_tokens(A)) == 1 and len(standin.live_tokens(B)) == 1

    a = Interview(sender_for(web, standin, A), standin, CHANNEL[A], OWNER[A])
    b = Interview(sender_for(web, standin, B), standin, CHANNEL[B], OWNER[B])
    while not (a.step() & b.step()):  # both, turn about
        pass
    assert a.result is not None and b.result is not None

    posts = standin.calls_to("chat.postMessage")
    for team in (A, B):
        mine = [c for c in posts if c.args.get("channel") == CHANNEL[team]]
        assert mine and all(c.team == team and c.response["ok"] for c in mine)
    assert not refused(standin)


def test_a_token_expiring_mid_interview_is_refreshed_once_and_the_interview_goes_on(
    start_web: Callable[..., WebProcess], two_teams: SlackStandIn
) -> None:
    standin = two_teams
    # Refreshed when it expires within a minute: this token is due 3 s after the install.
    standin.token_expires_in = 63
    web = oauth_web(start_web, standin, SLACK_TOKEN_REFRESH_MINUTES="1")
    install(web, standin, A)
    first = standin.live_tokens(A)
    standin.token_expires_in = 7200  # the refreshed one lasts
    interview = Interview(sender_for(web, standin, A), standin, CHANNEL[A], OWNER[A])
    interview.step()
    time.sleep(3.5)
    interview.finish()

    grants = [
        c
        for c in standin.calls_to("oauth.v2.access")
        if c.args.get("grant_type") == "refresh_token"
    ]
    assert len(grants) == 1 and grants[0].response["ok"]
    assert standin.live_tokens(A) != first  # the old token stopped working, the new one did
    assert not refused(standin)


def test_a_forged_or_replayed_oauth_state_is_refused(
    start_web: Callable[..., WebProcess], two_teams: SlackStandIn
) -> None:
    standin = two_teams
    web = oauth_web(start_web, standin)
    # forged: a state the app never issued, with a matching cookie
    forged = "forged-state"
    status, _, _ = get(
        f"{web.url}/slack/oauth_redirect?code=abc&state={forged}",
        f"slack-app-oauth-state={forged}",
    )
    assert status >= 400
    # replayed: the same redirect, with its cookie, once more after a good install
    standin.redirect_url = f"{web.url}/slack/oauth_redirect"
    authorize_url, cookie = begin_install(web)
    _, headers, _ = get(authorize_url + f"&team={A}")
    location = str(headers["Location"])
    assert get(location, cookie)[0] == 200
    exchanges = len(standin.calls_to("oauth.v2.access"))
    assert get(location, cookie)[0] >= 400
    assert len(standin.calls_to("oauth.v2.access")) == exchanges  # refused before any exchange


def test_uninstall_stops_a_workspace_and_a_reinstall_brings_it_back(
    start_web: Callable[..., WebProcess], two_teams: SlackStandIn, redis_client: Any
) -> None:
    standin = two_teams
    web = oauth_web(start_web, standin, REVISIT_AFTER="PT4S", REVISIT_TICK_SECONDS="0.5")
    install(web, standin, A)
    install(web, standin, B)
    senders = {t: sender_for(web, standin, t) for t in (A, B)}
    done = {t: Interview(senders[t], standin, CHANNEL[t], OWNER[t]) for t in (A, B)}
    for interview in done.values():
        interview.finish()

    assert senders[A].event({"type": "app_uninstalled"}).status == 200
    standin.wait_for(lambda: not redis_client.keys(f"ragft:{{{A}}}:installation:*"))
    assert redis_client.keys(f"ragft:{{{B}}}:installation:*")

    # B's revisit goes out; A's does not, and A's events get no reply
    standin.wait_for(
        lambda: [
            m
            for m in standin.bot_messages(CHANNEL[B])
            if (m.get("metadata") or {}).get("event_type") == "ragft_revisit"
        ],
        timeout=15,
    )
    # A's command is acked, and dropped at once with no reply at all
    with standin.watching() as since:
        shown = len(standin.responses)
        assert senders[A].command("list", user_id=OWNER[A], channel_id=CHANNEL[A]).status == 200
        standin.wait_for(lambda: "request_not_installed" in web.logs(), timeout=10)
        time.sleep(2)
        assert not [c for c in since() if c.team == A]
        assert len(standin.responses) == shown  # not even Bolt's "please reinstall"
    assert web.logs().count("request_not_installed") == 1
    assert "work_deferred" not in web.logs()
    assert not [
        m
        for m in standin.bot_messages(CHANNEL[A])
        if (m.get("metadata") or {}).get("event_type") == "ragft_revisit"
    ]

    # back within the retention period: the assessment is there, the revisit resumes
    install(web, standin, A)
    standin.wait_for(
        lambda: [
            m
            for m in standin.bot_messages(CHANNEL[A])
            if (m.get("metadata") or {}).get("event_type") == "ragft_revisit"
        ],
        timeout=20,
    )
    shown = len(standin.responses)
    senders[A].command("list", user_id=OWNER[A], channel_id=CHANNEL[A])
    standin.wait_for(lambda: len(standin.responses) > shown, timeout=10)
    assert done[A].assessment_id in str(standin.responses[-1])


def test_an_org_wide_install_serves_two_workspaces_and_keeps_them_apart(
    start_web: Callable[..., WebProcess], standin: SlackStandIn, redis_client: Any
) -> None:
    org, one, two = "E0ORG", "T0ORGONE", "T0ORGTWO"
    for team in (one, two):
        standin.add_team(team, enterprise=org, channels=(f"C{team}",), users=(f"U{team}",))
    web = oauth_web(start_web, standin)
    install(web, standin, one, org=True)

    interviews = {
        t: Interview(
            sender_for(web, standin, t, enterprise=org, org=True), standin, f"C{t}", f"U{t}"
        )
        for t in (one, two)
    }
    for interview in interviews.values():
        interview.step()
    assert not refused(standin)
    for team, interview in interviews.items():
        other = two if team == one else one
        shown = len(standin.responses)
        interview.sender.command("list", user_id=f"U{team}", channel_id=f"C{team}")
        standin.wait_for(lambda n=shown: len(standin.responses) > n, timeout=10)
        listing = str(standin.responses[-1])
        assert interview.assessment_id in listing
        assert interviews[other].assessment_id not in listing

    # the org uninstalls: the org's tokens go, and both workspaces wait for their purge
    uninstall = sender_for(web, standin, one, enterprise=org, org=True)
    assert uninstall.event({"type": "app_uninstalled"}).status == 200
    standin.wait_for(
        lambda: (
            not redis_client.keys(f"ragft:{{E{org}}}:installation:*")
            and all(
                redis_client.hexists(f"ragft:{{{t}}}:workspace", "departed_at") for t in (one, two)
            )
        )
    )


def test_a_revoked_bot_token_is_deleted_and_the_workspace_waits(
    start_web: Callable[..., WebProcess], two_teams: SlackStandIn, redis_client: Any
) -> None:
    standin = two_teams
    web = oauth_web(start_web, standin)
    install(web, standin, A)
    install(web, standin, B)
    event = {"type": "tokens_revoked", "tokens": {"oauth": [], "bot": ["U0RAGFTBOT"]}}
    assert sender_for(web, standin, A).event(event).status == 200
    standin.wait_for(lambda: not redis_client.keys(f"ragft:{{{A}}}:installation:*"))
    assert redis_client.hexists(f"ragft:{{{A}}}:workspace", "departed_at")
    assert redis_client.keys(f"ragft:{{{B}}}:installation:*")
    # B goes on as before
    Interview(sender_for(web, standin, B), standin, CHANNEL[B], OWNER[B]).step()
    assert not refused(standin)
