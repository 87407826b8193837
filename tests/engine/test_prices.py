"""A workload that names a catalogue model is costed with that model's own prices."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from conversations.catalogue import bundled_catalogue
from engine import ProfileError, assess
from engine.prices import ModelPrice, PriceCatalogue

DAY = date(2026, 12, 6)
ROOT = Path(__file__).resolve().parents[2]
RAG: dict[str, Any] = {
    "deployment": "production",
    "domain": "general",
    "task": "generation",
    "knowledge": "corpus",
    "prompt_pass": "yes",
    "baseline_pct": 85,
    "gaps": [],
    "frontier_ok": "yes",
    "repeat_queries": "often",
    "requests_per_day": 1000,
    "tokens_per_request": 2000,
}
# A catalogue of our own: prices pinned, whatever the installed package says.
PINNED = PriceCatalogue.of(
    "test catalogue (prices as of 2026-01-01)",
    date(2026, 1, 1),
    [
        ModelPrice("acme:big", 2.0, 8.0, 0.5),
        ModelPrice("acme:tuned", 0.2, 0.8, 0.1, 0.4, 1.6),
    ],
)


def _workload(prices: PriceCatalogue | None = PINNED, **answers: Any) -> dict[str, Any]:
    data = assess(
        {"name": "p", "workloads": [{**RAG, **answers}]}, decided_on=DAY, prices=prices
    ).to_json()
    workload: dict[str, Any] = data["workloads"][0]
    return workload


def test_a_row_computed_by_hand_from_the_bundled_catalogue() -> None:
    """gpt-4.1-mini at a 25 % output share, RAG with prompt caching: the blended price, the
    cached context and the chosen row's inference match the catalogue's prices by hand."""
    catalogue = bundled_catalogue(DAY)
    price = catalogue.find("gpt-4.1-mini")
    assert price is not None and price.cached_input_mtok is not None
    w = _workload(catalogue, model="gpt-4.1-mini", output_share=0.25)
    assert w["pattern"] == "rag_prompting"
    blended = 0.75 * price.input_mtok + 0.25 * price.output_mtok
    assert w["answers"]["price_per_mtok"] == pytest.approx(blended)
    base = 1000 * 365 * 2000 / 1e6 * blended  # a year of plain prompts
    context = 0.5 * price.input_mtok + 0.5 * price.cached_input_mtok  # half the context cached
    low = base / blended * (blended + (2 - 1) * context)  # RAG ×2 at the low end
    high = base / blended * (blended + (10 - 1) * context)  # ×10 at the high end
    rec = w["costs"]["recommended"]
    build, upkeep = (0.25 + 1, 0.5 + 3), (0.05 + 0.2, 0.1 + 0.3)  # prompting + RAG
    eq = 60_000
    assert rec["year_one_usd"] == pytest.approx(
        [build[0] * eq + upkeep[0] * 4 * eq + low, build[1] * eq + upkeep[1] * 4 * eq + high],
        abs=0.01,
    )
    shown = {a["name"]: a for a in w["costs"]["assumptions"] if a["mark"] == "P"}
    assert shown["price.input_mtok"]["value"] == price.input_mtok
    assert shown["price.output_mtok"]["value"] == price.output_mtok
    assert shown["price.cached_input_mtok"]["value"] == price.cached_input_mtok
    assert shown["price.input_mtok"]["source"].startswith("genai-prices ")
    assert "prices as of 20" in shown["price.input_mtok"]["source"]
    assert "openai:gpt-4.1-mini" in shown["price.input_mtok"]["source"]


def test_fine_tuned_prices_replace_the_premium_where_the_catalogue_has_them() -> None:
    """A full fine-tune of a model with tuned prices costs those prices, no ×1–1.2 on top."""
    w = _workload(model="acme:tuned", output_share=0.5, repeat_queries="rarely")
    alt = next(a for a in w["costs"]["alternatives"] if a["behaviour"] == "fine_tune")
    plain = 0.5 * 0.2 + 0.5 * 0.8
    tuned = 0.5 * 0.4 + 0.5 * 1.6
    low, high = alt["inference_multiplier"]
    assert low == pytest.approx((tuned + 1 * 0.4) / plain, abs=1e-4)
    assert high == pytest.approx((tuned + 9 * 0.4) / plain, abs=1e-4)
    names = {a["name"] for a in w["costs"]["assumptions"]}
    assert {"price.fine_tuned_input_mtok", "price.fine_tuned_output_mtok"} <= names
    assert "fine_tune.inference_multiplier" not in names  # read by no line here
    assert "usage.output_share" not in names  # the team's own answer, not our assumption


def test_the_output_share_is_our_assumption_when_left_out() -> None:
    """Without output_share the default 30 % prices the split, listed as an A figure."""
    w = _workload(model="big")
    share = next(a for a in w["costs"]["assumptions"] if a["name"] == "usage.output_share")
    assert (share["value"], share["mark"], share["source"]) == (0.3, "A", "ours")
    assert w["answers"]["price_per_mtok"] == pytest.approx(0.7 * 2 + 0.3 * 8)
    assert "price_per_mtok" in w["defaulted"]


def test_a_price_given_beside_the_model_wins_for_the_blended_price() -> None:
    """price_per_mtok beside a model scales the costs; the split still comes from the model."""
    own = _workload(model="big", output_share=0.3, price_per_mtok=3.8)
    bare = _workload(model="big", output_share=0.3)
    assert own["answers"]["price_per_mtok"] == 3.8 == bare["answers"]["price_per_mtok"]
    cheaper = _workload(model="big", output_share=0.3, price_per_mtok=1.9)
    ratio = cheaper["costs"]["recommended"]["inference_multiplier"]
    assert ratio == bare["costs"]["recommended"]["inference_multiplier"]


@pytest.mark.parametrize("path", sorted((ROOT / "examples").glob("*.json")), ids=lambda p: p.stem)
def test_a_profile_without_the_fields_costs_exactly_as_before(path: Path) -> None:
    """Every example costs the same with no model, with "custom" spelled out, and with a
    catalogue loaded beside it; the figures shown are the calibration's alone."""
    profile = json.loads(path.read_text())
    custom = {**profile, "workloads": [{**w, "model": "custom"} for w in profile["workloads"]]}
    before = assess(profile, decided_on=DAY).to_json()
    for other in (
        assess(custom, decided_on=DAY, prices=PINNED).to_json(),
        assess(profile, decided_on=DAY, prices=PINNED).to_json(),
    ):
        for a, b in zip(before["workloads"], other["workloads"], strict=True):
            assert a["costs"] == b["costs"]
            if a["costs"]:
                assert all(x["mark"] != "P" for x in a["costs"]["assumptions"])


def test_an_unknown_model_is_bad_input_naming_near_matches() -> None:
    """A typo in the model id is a ProfileError at its path, naming the nearest ids."""
    with pytest.raises(ProfileError) as err:
        _workload(bundled_catalogue(DAY), model="gpt-4.1-mni")
    assert err.value.field == "workloads[0].model"
    assert "did you mean gpt-4.1-mini" in str(err.value)
    with pytest.raises(ProfileError, match="no price catalogue"):
        _workload(None, model="gpt-4.1-mini")


def test_the_bundled_catalogue_loads_without_the_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Building the catalogue reads the package's bundled data only: no socket is opened."""
    import socket

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("the price catalogue tried to open a connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    on = date(2026, 6, 1)  # a date not built yet in this process
    bundled_catalogue.cache_clear()
    catalogue = bundled_catalogue(on)
    assert len(catalogue.models) > 1000
    assert catalogue.data_date <= on
    assert catalogue.source.startswith("genai-prices ")
