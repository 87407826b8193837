"""`ragft assess` from the outside: exit codes, one JSON object, clear messages, no tracebacks."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _ragft(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", "assess", *args],
        cwd=ROOT,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_json_is_exactly_one_object() -> None:
    """--json prints one JSON object with the INTERFACES keys and nothing else on stdout."""
    run = _ragft("--profile", "examples/support-bot.json", "--json", "--date", "2026-03-01")
    assert run.returncode == 0, run.stderr
    data = json.loads(run.stdout)
    assert set(data) == {"assessment", "workloads", "summary"}
    assert data["assessment"]["revisit_on"] == "2027-03-01"
    assert [w["pattern"] for w in data["workloads"]] == ["rag_ft_format", "no_llm"]


def test_report_and_markdown_from_stdin() -> None:
    """A profile on stdin gives a readable report, and --markdown the decision record."""
    text = (ROOT / "examples" / "research.json").read_text()
    report = _ragft("--profile", "-", stdin=text)
    assert report.returncode == 0 and "out_of_scope_research" in report.stdout
    record = _ragft("--profile", "-", "--markdown", stdin=text)
    assert record.stdout.startswith("# Decision record: Agent prototype")


def test_calibration_file_changes_costs(tmp_path: Path) -> None:
    """--calibration merges a team's figures over the defaults."""
    cal = tmp_path / "team.toml"
    cal.write_text("[rag]\nbuild_eq = [2, 4]\n")
    run = _ragft("--profile", "examples/support-bot.json", "--json", "--calibration", str(cal))
    rec = json.loads(run.stdout)["workloads"][0]["costs"]["recommended"]
    assert rec["build_eq"] == [3.0, 5.25]


@pytest.mark.parametrize(
    ("stdin", "args", "needle"),
    [
        ("{not json", [], "not valid JSON"),
        ('{"workloads": [{"deployment": "prod"}]}', [], "workloads[0].deployment"),
        (
            '{"workloads": [{"deployment": "production", "domain": "general", '
            '"task": "generation"}]}',
            [],
            "workloads[0].knowledge is missing",
        ),
        (
            '{"deployment": "production", "domain": "general", "task": "generation", '
            '"knowledge": "none", "prompt_pass": "no", "gaps": [], "frontier_ok": "yes", '
            '"requests_per_day": 1' + "0" * 400 + "}",
            [],
            "requests_per_day",
        ),
        ("[" * 100_000, [], "not valid JSON"),
        ('{"deployment": "research"}', ["--calibration", "/no/such.toml"], "cannot read"),
        ('{"deployment": "research"}', ["--date", "2026-13-01"], "not a date"),
    ],
)
def test_bad_input_exits_2_with_a_message(stdin: str, args: list[str], needle: str) -> None:
    """Bad JSON, fields, files or dates exit 2 with a one-line message and no traceback."""
    run = _ragft("--profile", "-", "--json", *args, stdin=stdin)
    assert run.returncode == 2
    assert needle in run.stderr
    assert "Traceback" not in run.stderr and run.stdout == ""


def test_bad_field_message_lists_accepted_values() -> None:
    """The message for a bad choice lists what the field accepts."""
    run = _ragft("--profile", "-", stdin='{"workloads": [{"deployment": "prod"}]}')
    assert "accepted: one of production, research" in run.stderr


def test_unreadable_profile_exits_2() -> None:
    """A profile path that does not exist exits 2 naming the path."""
    run = _ragft("--profile", "/no/such/profile.json")
    assert run.returncode == 2 and "/no/such/profile.json" in run.stderr
    assert "Traceback" not in run.stderr


def test_text_report_reads_in_words_and_fits_80_columns() -> None:
    """Flips and options show words and titles, never a raw JSON value; tables fit 80 columns.
    The command runs on the shipped figures (engine/calibration.toml): this test checks them."""
    run = _ragft("--profile", "examples/support-bot.json", "--date", "2026-01-31")
    assert run.returncode == 0, run.stderr
    out = run.stdout
    for raw in ('{"', '["knowledge"]', "instead of", "…", "workload(s)"):
        assert raw not in out, raw
    assert "gaps: output format and missing facts → missing facts" in out
    assert "Prompting + RAG (rag_prompting)" in out
    assert "assuming small model good enough: no" in out
    assert "$304k–$826k" in out
    table_rows = [  # the tables' rows; the assumptions' lines ("… [F; source]") are prose
        line for line in out.splitlines() if ("$" in line or "×" in line) and "; " not in line
    ]
    assert table_rows and all(len(line) <= 80 for line in table_rows)


def test_piped_report_is_not_hard_wrapped() -> None:
    """Off a terminal, long sentences stay on one line each."""
    out = _ragft("--profile", "examples/support-bot.json").stdout
    assert any(
        "an ingestion pipeline and keep it running." in line and "risk:" in line
        for line in out.splitlines()
    )


def test_markdown_flips_are_short_and_in_words() -> None:
    """Flips name only the assumptions that gate the new pattern, never the cost inputs."""
    record = _ragft("--profile", "examples/support-bot.json", "--markdown").stdout
    flip = next(line for line in record.splitlines() if line.startswith("- Task: classification"))
    assert flip.endswith("(assuming knowledge needed: none; gaps: none)")
    assert "engineer_quarter_usd=" not in record and "requests_per_day=" not in record


def test_costs_too_large_to_show_exit_2_without_infinity(tmp_path: Path) -> None:
    """Cost inputs whose yearly cost overflows get exit status 2 and a message, not Infinity."""
    profile = {
        "name": "huge",
        "engineer_quarter_usd": 1e308,
        "workloads": [
            {
                "name": "w",
                "deployment": "production",
                "domain": "general",
                "task": "generation",
                "knowledge": "none",
                "prompt_pass": "yes",
                "baseline_pct": 90,
                "gaps": [],
                "frontier_ok": "yes",
                "requests_per_day": 10,
            }
        ],
    }
    path = tmp_path / "huge.json"
    path.write_text(json.dumps(profile))
    done = subprocess.run(
        [sys.executable, "-m", "bot.cli", "assess", "--profile", str(path), "--json"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2, done.stdout
    assert "Infinity" not in done.stdout and "Traceback" not in done.stderr
    assert "engineer_quarter_usd" in done.stderr


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


def test_chart_writes_a_png_and_the_record_links_it(tmp_path: Path) -> None:
    """--chart writes one PNG per costed workload; with --markdown the record shows it."""
    profile = str(ROOT / "examples" / "support-bot.json")
    run = subprocess.run(
        [
            sys.executable,
            *("-m", "bot.cli", "assess", "--profile", profile, "--markdown", "--chart", "cost.png"),
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    width, height = _png_size((tmp_path / "cost.png").read_bytes())
    assert width >= 800 and height >= 500
    assert "![Cost chart: Answer billing questions](cost.png)" in run.stdout
    assert "### Why not the others" in run.stdout and "### Assumptions" in run.stdout
    assert "--calibration team.toml" in run.stdout


def test_chart_combines_with_json(tmp_path: Path) -> None:
    """--chart with --json: the JSON on stdout is untouched, the chart is written."""
    target = tmp_path / "c.png"
    run = _ragft("--profile", "examples/support-bot.json", "--json", "--chart", str(target))
    assert run.returncode == 0, run.stderr
    json.loads(run.stdout)
    assert _png_size(target.read_bytes())[0] >= 800


@pytest.mark.parametrize("where", ["missing-dir/c.png", "."])
def test_chart_to_a_bad_path_exits_2_with_a_message(tmp_path: Path, where: str) -> None:
    run = _ragft("--profile", "examples/support-bot.json", "--chart", str(tmp_path / where))
    assert run.returncode == 2
    assert "--chart" in run.stderr and "Traceback" not in run.stderr
    assert run.stdout == ""


def test_report_says_why_not_each_alternative_and_the_assumptions() -> None:
    """Each alternative says why not, and the assumptions list the shipped figures with their
    marks (engine/calibration.toml: this test checks them)."""
    run = _ragft("--profile", "examples/support-bot.json")
    assert run.returncode == 0, run.stderr
    assert "Prompting + RAG (cheaper at any volume): Cheaper, but" in run.stdout
    assert "always, but see B4" in run.stdout
    assert "RAG build (`rag.build_eq`): 1–3 engineer-quarters [F;" in run.stdout
    assert "tokens per request 1,500;" in run.stdout  # given in the file, so not "the default"
    assert "--calibration team.toml" in run.stdout


def test_help_says_where_the_charts_go() -> None:
    """`--help` says what `write_charts` does: PATH itself when one workload has costs (as for
    examples/support-bot.json, two workloads, one costed), numbered files beside it for more."""
    run = _ragft("--help")
    text = " ".join(run.stdout.split())
    assert "at PATH when just one has costs, else beside PATH as NAME-1.png, NAME-2.png" in text
    assert "PATH-1.png" not in text


def test_a_value_the_profile_gives_is_never_called_the_default() -> None:
    """support-bot.json states engineer_quarter_usd 60,000 and tokens 1,500 (equal to the
    defaults): the report shows them as given; JSON lists no default it filled for them."""
    run = _ragft("--profile", "examples/support-bot.json")
    assert run.returncode == 0, run.stderr
    assert "(the default)" not in run.stdout
    assert "cost of an engineer-quarter $60,000" in run.stdout
    data = json.loads(_ragft("--profile", "examples/support-bot.json", "--json").stdout)
    assert "engineer_quarter_usd" not in data["workloads"][0]["defaulted"]
    bare = {
        "name": "b",
        "workloads": [
            {**json.loads((ROOT / "examples" / "support-bot.json").read_text())["workloads"][0]}
        ],
    }
    del bare["workloads"][0]["tokens_per_request"]
    report = _ragft("--profile", "-", stdin=json.dumps(bare))
    assert "tokens per request 1,500 (the default)" in report.stdout
    assert "engineer-quarter $60,000 (the default)" in report.stdout


def test_six_workloads_are_refused_as_slack_refuses_them() -> None:
    """One limit of five workloads: the sixth is bad input (exit 2), naming the limit."""
    profile = json.loads((ROOT / "examples" / "support-bot.json").read_text())
    profile["workloads"] = profile["workloads"] * 3
    run = _ragft("--profile", "-", stdin=json.dumps(profile))
    assert run.returncode == 2
    assert "workloads has 6 entries" in run.stderr and "1 to 5 workloads" in run.stderr
    profile["workloads"] = profile["workloads"][:5]
    assert _ragft("--profile", "-", stdin=json.dumps(profile)).returncode == 0


def test_a_name_at_the_answer_limit_reports_like_a_short_one() -> None:
    """A 2,000-character name (the interview's answer limit) is shown whole, never cut; the
    time it takes is measured by bench/report.py, not here."""
    profile = json.loads((ROOT / "examples" / "support-bot.json").read_text())
    profile["workloads"][0]["name"] = "billing " * 250
    run = _ragft("--profile", "-", stdin=json.dumps(profile))
    assert run.returncode == 0, run.stderr
    assert run.stdout.replace("\n", "").count("billing") >= 250


def test_a_catalogue_model_is_priced_and_a_typo_names_near_ids() -> None:
    """`model` from the catalogue lists its prices as P figures with the catalogue's data date;
    a typo exits 2 naming the nearest ids."""
    profile = json.loads((ROOT / "examples" / "support-bot.json").read_text())
    profile["workloads"][0]["model"] = "gpt-4.1-mini"
    del profile["workloads"][0]["price_per_mtok"]
    run = _ragft("--profile", "-", "--json", stdin=json.dumps(profile))
    assert run.returncode == 0, run.stderr
    listed = json.loads(run.stdout)["workloads"][0]["costs"]["assumptions"]
    prices = [a for a in listed if a["mark"] == "P"]
    assert {a["name"] for a in prices} >= {"price.input_mtok", "price.output_mtok"}
    assert all(a["source"].startswith("genai-prices ") and "as of" in a["source"] for a in prices)
    profile["workloads"][0]["model"] = "gpt-4.1-mni"
    bad = _ragft("--profile", "-", stdin=json.dumps(profile))
    assert bad.returncode == 2 and bad.stdout == ""
    assert "workloads[0].model" in bad.stderr and "gpt-4.1-mini" in bad.stderr
    assert "Traceback" not in bad.stderr
