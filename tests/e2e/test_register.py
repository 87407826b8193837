"""The team's decision register: App Home for everyone, `list all`, transfer, take-over, purge."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from bot.standin.server import SlackStandIn
from bot.standin.signing import SignedSender
from bot.views import text as t
from bot.views.action_ids import TAKE_OVER_ACTION
from tests.e2e.harness import WebProcess, press
from tests.e2e.test_oauth import Interview

pytestmark = pytest.mark.slow

CHANNEL = "C0PLAYGND"
PEOPLE = ("U0ANA", "U0BEN", "U0CAT")


def _answer(standin: SlackStandIn, sender: SignedSender, text: str, user: str) -> str:
    seen = len(standin.responses)
    assert sender.command(text, user_id=user, channel_id=CHANNEL).status == 200
    standin.wait_for(lambda: len(standin.responses) > seen, timeout=10)
    return str(standin.responses[-1])


def _three(sender: SignedSender, standin: SlackStandIn) -> dict[str, str]:
    ids = {}
    for person in PEOPLE:
        interview = Interview(sender, standin, CHANNEL, person)
        interview.finish()
        ids[person] = interview.assessment_id
    return ids


def test_everyones_assessments_appear_in_each_persons_home_and_list_all(
    sender: SignedSender, standin: SlackStandIn
) -> None:
    ids = _three(sender, standin)
    for person in PEOPLE:
        standin.views.pop(person, None)
        sender.app_home_opened(user=person)
        standin.wait_for(lambda p=person: p in standin.views)
        home = str(standin.views[person])
        assert all(i in home for i in ids.values())
        assert t.NEW_ASSESSMENT in home
    # the "mine" filter keeps only the person's own
    home = standin.views[PEOPLE[0]]
    del standin.views[PEOPLE[0]]
    press(sender, {"blocks": home["blocks"], "channel": "D0ANA", "ts": "1.0"}, 2, user_id="U0ANA")
    standin.wait_for(lambda: PEOPLE[0] in standin.views)
    mine = str(standin.views[PEOPLE[0]])
    assert ids["U0ANA"] in mine and ids["U0BEN"] not in mine

    everyone = _answer(standin, sender, "list all", "U0BEN")
    assert all(i in everyone for i in ids.values())
    own = _answer(standin, sender, "list", "U0BEN")
    assert ids["U0BEN"] in own and ids["U0ANA"] not in own


def test_transfer_by_the_owner_and_refused_to_a_stranger(
    sender: SignedSender, standin: SlackStandIn
) -> None:
    interview = Interview(sender, standin, CHANNEL, "U0ANA")
    interview.finish()
    aid = interview.assessment_id
    refused = _answer(standin, sender, f"transfer {aid} <@U0EVE|eve>", "U0EVE")
    assert t.TRANSFER_REFUSED in refused
    done = _answer(standin, sender, f"transfer {aid} <@U0BEN|ben>", "U0ANA")
    assert "U0BEN" in done
    assert aid in _answer(standin, sender, "list", "U0BEN")
    assert aid not in _answer(standin, sender, "list", "U0ANA")
    # an admin may transfer what is not theirs
    standin.set_user("U0ADMIN", is_admin=True)
    assert "U0CAT" in _answer(standin, sender, f"transfer {aid} <@U0CAT>", "U0ADMIN")


def test_a_deactivated_owners_revisit_asks_the_thread_to_take_it_over(
    start_web: Callable[..., WebProcess], standin: SlackStandIn
) -> None:
    web = start_web(env={"REVISIT_AFTER": "PT3S", "REVISIT_TICK_SECONDS": "0.5"}, with_ticker=True)
    interview = Interview(web.sender, standin, CHANNEL, "U0GONE")
    interview.finish()
    standin.set_user("U0GONE", deleted=True)

    def nudge() -> dict[str, Any] | None:
        return next(
            (
                m
                for m in standin.bot_messages(CHANNEL)
                if (m.get("metadata") or {}).get("event_type") == "ragft_revisit"
            ),
            None,
        )

    message = standin.wait_for(nudge, timeout=15)
    assert t.TAKE_OVER in str(message["blocks"])
    buttons = [e for b in message["blocks"] if b["type"] == "actions" for e in b["elements"]]
    index = next(i for i, e in enumerate(buttons) if e.get("action_id") == TAKE_OVER_ACTION)
    press(web.sender, message, index, user_id="U0NEW")
    standin.wait_for(lambda: [m for m in standin.bot_messages(CHANNEL) if "took over" in m["text"]])
    assert interview.assessment_id in _answer(standin, web.sender, "list", "U0NEW")


def test_purge_workspace_needs_an_admin_and_deletes_everything(
    sender: SignedSender, standin: SlackStandIn, redis_client: Any
) -> None:
    Interview(sender, standin, CHANNEL, "U0ANA").finish()
    assert t.PURGE_REFUSED in _answer(standin, sender, "purge-workspace", "U0ANA")
    standin.set_user("U0ADMIN", is_admin=True)
    seen = len(standin.responses)
    sender.command("purge-workspace", user_id="U0ADMIN", channel_id=CHANNEL)
    standin.wait_for(lambda: len(standin.responses) > seen)
    confirm = standin.responses[-1]
    press(
        sender, {"blocks": confirm["blocks"], "channel": CHANNEL, "ts": "1.0"}, 0, user_id="U0ADMIN"
    )
    standin.wait_for(lambda: "deleted" in str(standin.responses[-1]))
    assert not redis_client.keys("ragft:{T0PLAYGND}:assessment:*")
    assert not redis_client.zcard("ragft:{revisits}:due")
