"""The effects a delivery mark keeps until they are delivered."""

from __future__ import annotations

from conversations.state import Cancelled, Confirm, Reply
from conversations.storage.thread_views import effects_from_json, effects_to_json


def test_every_kind_of_effect_is_kept_until_delivered() -> None:
    """The effects owed with a delivery mark come back as they were, whatever their kind
    (a yes/no confirmation was missing and could not be delivered again)."""
    owed = [Confirm(ask_id="a1", action="cancel", text="Cancel?"), Reply("hi"), Cancelled()]
    assert effects_from_json(effects_to_json(owed)) == owed
