"""Profile validation: required fields, accepted values, ranges, defaults, the asked-when column."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from engine import DEFAULTS, FIELDS, ProfileError, WorkloadProfile, applies, assess, parse_profile
from engine.profile import ASKED_EDGES, FIELD_BY_ID

GEN: dict[str, Any] = {
    "deployment": "production",
    "domain": "general",
    "task": "generation",
    "knowledge": "corpus",
    "prompt_pass": "yes",
    "baseline_pct": 70,
    "gaps": ["format"],
    "frontier_ok": "yes",
    "requests_per_day": 100,
}


def _one(**changes: Any) -> dict[str, Any]:
    w = {**GEN, **changes}
    return {"name": "t", "workloads": [{k: v for k, v in w.items() if v is not None}]}


def test_fields_follow_the_framework_order() -> None:
    """FIELDS lists the §2 ids in order, with their documented defaults."""
    assert [f.id for f in FIELDS][:3] == ["deployment", "domain", "task"]
    assert len(FIELDS) == 18  # §2's sixteen, with INTERFACES.md's model and output_share
    assert [f.id for f in FIELDS][-4:] == [
        "model",
        "output_share",
        "price_per_mtok",
        "engineer_quarter_usd",
    ]
    assert DEFAULTS == {
        "freshness": "weekly",
        "quality_target_pct": 85,
        "repeat_queries": "sometimes",
        "tokens_per_request": 1500,
        "model": "custom",
        "output_share": 0.3,
        "price_per_mtok": 5.0,
        "engineer_quarter_usd": 60000.0,
    }


def test_missing_required_field_names_it_and_what_it_accepts() -> None:
    """A workload without frontier_ok fails with the field path and its accepted values."""
    with pytest.raises(ProfileError) as err:
        parse_profile(_one(frontier_ok=None))
    assert err.value.field == "workloads[0].frontier_ok"
    assert "yes" in err.value.accepted and "no" in err.value.accepted


def test_bad_choice_is_rejected_with_the_list() -> None:
    """An unknown knowledge id is rejected and the accepted ids are listed in order."""
    with pytest.raises(ProfileError) as err:
        parse_profile(_one(knowledge="lots"))
    assert err.value.field == "workloads[0].knowledge"
    assert err.value.accepted == "one of none, small_fixed, corpus"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("baseline_pct", 101),
        ("baseline_pct", -1),
        ("baseline_pct", 70.5),
        ("requests_per_day", -5),
        ("tokens_per_request", 0),
        ("baseline_pct", "70"),
        ("baseline_pct", True),
        ("price_per_mtok", float("inf")),
        pytest.param("requests_per_day", 10**400, id="huge"),
    ],
)
def test_out_of_range_numbers_are_rejected(field: str, value: Any) -> None:
    """Numbers outside the field's range, fractions for whole numbers and non-numbers fail."""
    with pytest.raises(ProfileError) as err:
        parse_profile(_one(**{field: value}))
    assert err.value.field == f"workloads[0].{field}"


def test_second_workload_is_named_by_index() -> None:
    """An error in the second workload names workloads[1]."""
    data = _one()
    data["workloads"].append({**GEN, "baseline_pct": 200})
    with pytest.raises(ProfileError) as err:
        parse_profile(data)
    assert err.value.field == "workloads[1].baseline_pct"


def test_bad_gap_is_rejected() -> None:
    """A gaps list with an unknown gap is rejected naming the gaps field."""
    with pytest.raises(ProfileError) as err:
        parse_profile(_one(gaps=["format", "speed"]))
    assert err.value.field == "workloads[0].gaps"


def test_non_applicable_fields_are_ignored() -> None:
    """Fields that are not asked (even invalid ones) are dropped, not validated."""
    p = parse_profile(_one(task="classification", knowledge="lots", baseline_pct=999))
    w = p.workloads[0].answers()
    assert w["task"] == "classification" and "knowledge" not in w and "baseline_pct" not in w


def test_defaults_fill_applicable_unanswered_fields() -> None:
    """Unanswered fields that apply take their defaults; the others stay empty."""
    w = parse_profile(_one()).workloads[0].answers()
    assert w["freshness"] == "weekly" and w["quality_target_pct"] == 85
    assert w["repeat_queries"] == "sometimes" and w["tokens_per_request"] == 1500
    assert w["price_per_mtok"] == 5.0 and w["engineer_quarter_usd"] == 60000.0
    assert "small_model_ok" not in w


def test_json_booleans_are_yes_no() -> None:
    """yes/no fields take JSON true/false."""
    p = parse_profile(_one(prompt_pass=False, frontier_ok=False, small_model_ok=True))
    w = p.workloads[0].answers()
    assert (w["prompt_pass"], w["frontier_ok"], w["small_model_ok"]) == ("no", "no", "yes")
    assert "baseline_pct" not in w


def test_workload_engineer_cost_wins_over_top_level() -> None:
    """engineer_quarter_usd at the top applies to every workload unless a workload sets its own."""
    data = _one(engineer_quarter_usd=80000)
    data["engineer_quarter_usd"] = 50000
    data["workloads"].append(dict(GEN))
    p = parse_profile(data)
    assert [w.answers()["engineer_quarter_usd"] for w in p.workloads] == [80000.0, 50000.0]


def test_unknown_key_is_rejected() -> None:
    """A misspelt field is reported rather than silently ignored."""
    with pytest.raises(ProfileError) as err:
        parse_profile(_one(baseline=70))
    assert err.value.field == "workloads[0].baseline"


def test_each_field_is_declared_once() -> None:
    """FIELDS is the one declaration: a workload's keys, its "asked when" and the numbers it
    reads (gaps below a baseline of 100) all come from it."""
    assert [f.id for f in FIELDS] == list(FIELD_BY_ID)
    assert ASKED_EDGES == {"baseline_pct": (100,)}
    assert WorkloadProfile.model_fields.keys() == {"name", "answered"}


def test_applies_follows_the_asked_when_column() -> None:
    """applies() answers the asked-when column from the answers so far."""
    assert applies("deployment", {})
    assert not applies("domain", {"deployment": "research"})
    assert not applies("task", {"deployment": "production", "domain": "specialized"})
    gen = {"deployment": "production", "domain": "general", "task": "generation"}
    assert applies("engineer_quarter_usd", gen) and applies("knowledge", gen)
    assert not applies("freshness", {**gen, "knowledge": "none"})
    assert applies("freshness", {**gen, "knowledge": "small_fixed"})
    assert not applies("quality_target_pct", {**gen, "knowledge": "small_fixed"})
    assert applies("gaps", {**gen, "prompt_pass": "no"})
    assert applies("gaps", {**gen, "prompt_pass": "yes", "baseline_pct": 99})
    assert not applies("gaps", {**gen, "prompt_pass": "yes", "baseline_pct": 100})
    assert applies("small_model_ok", {**gen, "frontier_ok": False})
    assert not applies("requests_per_day", {**gen, "task": "extraction"})


def test_bare_workload_is_one_workload_assessment() -> None:
    """A profile that is one bare workload is read as an assessment with that workload."""
    p = parse_profile({"name": "solo", **GEN})
    assert p.name == "solo" and len(p.workloads) == 1


@pytest.mark.parametrize("data", [[], {"workloads": []}, {"workloads": "x"}, {"workloads": [3]}])
def test_malformed_profiles_are_rejected(data: Any) -> None:
    """Non-objects and empty or malformed workload lists give a ProfileError."""
    with pytest.raises(ProfileError):
        parse_profile(data)


def test_top_level_engineer_cost_is_checked_only_where_used() -> None:
    """A shared engineer cost no workload uses is ignored; a used bad one names the top key."""
    unused = {"engineer_quarter_usd": "lots", "workloads": [{"deployment": "research"}]}
    assert "engineer_quarter_usd" not in parse_profile(unused).workloads[0].answers()
    with pytest.raises(ProfileError) as err:
        parse_profile({**_one(), "engineer_quarter_usd": -1})
    assert err.value.field == "engineer_quarter_usd"


def test_workloads_that_are_no_list_are_not_called_empty() -> None:
    """workloads given as a text or an object is reported as not a list."""
    for data in ({"workloads": "x"}, {"workloads": {"a": GEN}}):
        with pytest.raises(ProfileError, match="workloads is not a list"):
            parse_profile(data)


@pytest.mark.parametrize(
    ("profile", "field"),
    [
        ({"name": "\ud800x", "workloads": [{"deployment": "research"}]}, "name"),
        (
            {"name": "ok", "workloads": [{"name": "a\udc00", "deployment": "research"}]},
            "workloads[0].name",
        ),
        (
            {
                "name": "ok",
                "workloads": [
                    {"deployment": "research"},
                    {"name": "\udfff", "deployment": "research"},
                ],
            },
            "workloads[1].name",
        ),
    ],
)
def test_a_lone_surrogate_in_a_name_is_a_profile_error(profile: dict[str, Any], field: str) -> None:
    """A name no output can encode is refused when parsed, naming the field, not at output."""
    for parse in (parse_profile, lambda p: assess(p, decided_on=date(2026, 1, 1))):
        with pytest.raises(ProfileError) as caught:
            parse(profile)
        assert caught.value.field == field
        assert "lone surrogate" in caught.value.message
        str(caught.value).encode("utf-8")  # the message itself prints anywhere


def test_a_lone_surrogate_in_a_key_is_reported_printably() -> None:
    """An unknown key holding a lone surrogate is named in an escaped, printable form."""
    with pytest.raises(ProfileError) as caught:
        parse_profile({"name": "ok", "workloads": [{"deployment": "research", "x\ud800": 1}]})
    assert caught.value.field == "workloads[0].x\\ud800"
    str(caught.value).encode("utf-8")
    with pytest.raises(ProfileError) as top:
        parse_profile({"name": "ok", "\ud800": 1, "workloads": [{"deployment": "research"}]})
    str(top.value).encode("utf-8")
