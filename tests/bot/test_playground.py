"""The playground drives the real app through a pipe and cleans up after itself."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import psutil
import pytest

from bot.playground.chat import as_slack_mentions
from bot.playground.render import plain, render_blocks, state_values

REPO = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


def _play(
    data_dir: Path, script: str, extra: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "REDIS_"))}
    env["RAGFT_DATA_DIR"] = str(data_dir)
    env.update(extra or {})
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", "playground"],
        input=script,
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        timeout=90,
    )


def _leftovers(data_dir: Path) -> list[psutil.Process]:
    found = []
    for proc in psutil.process_iter(["cmdline", "cwd"]):
        try:
            text = " ".join(proc.info["cmdline"] or []) + " " + str(proc.info["cwd"] or "")
        except psutil.Error:
            continue
        if str(data_dir) in text:
            found.append(proc)
    return found


def test_piped_playground_completes_an_assessment(tmp_path: Path) -> None:
    """Piped answers (text and a button number) reach a recommendation, then everything stops."""
    script = "/ragft assess Lab bot\nSummarise papers\n2\nno\n"
    result = _play(tmp_path, script)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "@you is assessing Lab bot" in out
    assert "[1] Real users (production)   [2] An experiment or research" in out
    assert "S1" in out and "Revisit this on" in out
    # The reply that ends the interview is not taken for one typed after it
    assert "its interview is over" not in out
    assert not _leftovers(tmp_path), "the app or the embedded Redis was left running"


def test_a_typed_mention_reaches_the_app_as_slack_sends_it() -> None:
    """`/ragft transfer ID @priya` in the playground: the name becomes a mention, as Slack
    turns a typed @name into `<@U…|name>`; an e-mail address is left alone."""
    assert as_slack_mentions("ab12 @priya") == "ab12 <@U0PRIYA|priya>"
    assert as_slack_mentions("ab12 @you.") == "ab12 <@U0PLAYER|you>."
    assert as_slack_mentions("mail a@b.example <@U1|x>") == "mail a@b.example <@U1|x>"


def test_the_playground_over_socket_mode(tmp_path: Path) -> None:
    """RAGFT_PLAYGROUND_TRANSPORT=socket (what `scripts/run` passes on): the app takes the same
    chat as Socket Mode envelopes down the stand-in's WebSocket."""
    script = "/ragft assess Lab bot\nSummarise papers\n2\nno\n"
    result = _play(tmp_path, script, {"RAGFT_PLAYGROUND_TRANSPORT": "socket"})
    assert result.returncode == 0, result.stderr
    assert "@you is assessing Lab bot" in result.stdout and "Revisit this on" in result.stdout
    assert "socket_mode_starting" in (tmp_path / "playground-web.log").read_text()
    assert not _leftovers(tmp_path), "the app or the embedded Redis was left running"


def test_quit_exits_cleanly_and_keeps_the_data(tmp_path: Path) -> None:
    """`quit` stops the app and the embedded Redis; the data dir keeps Redis's files."""
    result = _play(tmp_path, "/ragft assess Half done\nquit\n/ragft assess never sent\n")
    assert result.returncode == 0, result.stderr
    assert "Half done" in result.stdout and "never sent" not in result.stdout
    assert not _leftovers(tmp_path)
    assert any(tmp_path.iterdir())


def test_render_numbers_buttons_and_select_options() -> None:
    """Buttons and select options become numbered choices with the action they would send."""
    message = {
        "blocks": [
            {"type": "section", "text": {"type": "mrkdwn", "text": "Pick one"}},
            {
                "type": "actions",
                "block_id": "b1",
                "elements": [
                    {"type": "button", "action_id": "yes", "value": "y", "text": {"text": "Yes"}},
                    {
                        "type": "static_select",
                        "action_id": "sel",
                        "options": [{"text": {"text": "Daily"}, "value": "daily"}],
                    },
                ],
            },
        ]
    }
    text, found = render_blocks(message)
    assert text.splitlines() == ["Pick one", "  [1] Yes   [2] Daily"]
    assert found[0].action() == {
        "action_id": "yes",
        "block_id": "b1",
        "type": "button",
        "value": "y",
        "text": {"text": "Yes"},
    }
    assert found[1].action()["selected_option"] == {"text": {"text": "Daily"}, "value": "daily"}


def _after(out: str, typed: str) -> str:
    """What the playground printed between `you> typed` and the next `you>`."""
    return out.split(f"you> {typed}\n", 1)[1].split("you> ", 1)[0]


def test_piped_transcript_shows_what_each_reply_answers(tmp_path: Path) -> None:
    """Piped lines are echoed, so "no" is seen answering the knowledge question (as None)
    and "70" is seen re-asked by the prompt-pass question; no mention markup leaks."""
    script = "/ragft assess Support bot\nAnswer billing questions\n1\n1\n1\nno\n70\n"
    result = _play(tmp_path, script)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    said = "Knowledge needed: None: general knowledge is enough, answered by @you"
    assert said in _after(out, "no")
    assert "There is no option 70" in _after(out, "70")
    assert "<@" not in out and "*" not in out
    assert not _leftovers(tmp_path)


def test_buttons_tick_gaps_and_numbers_answer_number_questions(tmp_path: Path) -> None:
    """Ticked checkboxes reach the app with Done; on a number question "2" is the answer,
    not the second button; `back` presses the Back control by name."""
    script = "/ragft assess Ticks\nSupport\n1\n1\n1\n1\n1\n40\n2\n3\n6\nback\n6\n55\nstatus\n"
    result = _play(tmp_path, script)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "ticked: Output format / structured output, Refusing the right things" in out
    answered = "Gaps: Output format / structured output, Refusing the right things, answered by"
    assert answered in _after(out, "6")
    assert "Prompt baseline: 40%, answered by @you" in _after(out, "40")
    # The baseline has no default, so it offers no Skip
    assert "[back] Back   [why] Why ask?   [cancel] Cancel" in out
    assert "Prompt baseline: 40%" in _after(out, "status")
    assert not _leftovers(tmp_path)


def test_plain_drops_slack_markup() -> None:
    """Mentions, emphasis, code, fences, links and entities read as plain words."""
    assert plain("<@U0PLAYER> answered: *Yes*", {"U0PLAYER": "you"}) == "@you answered: Yes"
    assert plain("<@U1|ana> and <@U2> in <#C1|general>") == "@ana and @U2 in #general"
    assert plain("_Bot_ — *Why?* reply `skip`") == "Bot — Why? reply “skip”"
    assert plain("```a  b\nc```") == "a  b\nc"
    assert plain("<https://x.example|docs> &amp; <https://y.example>") == (
        "docs (https://x.example) & https://y.example"
    )
    assert plain("fine_tune_format+rag costs 2*3 and 4 * 5") == (
        "fine_tune_format+rag costs 2*3 and 4 * 5"
    )


def test_controls_go_by_name_and_answers_by_number() -> None:
    """One key style: a question's controls go by their word on every message, answers and
    other buttons by number; checkboxes show ticks."""
    controls = {
        "blocks": [
            {
                "type": "actions",
                "block_id": "ctl",
                "elements": [
                    {
                        "type": "button",
                        "action_id": f"ragft_control_{w}",
                        "value": w,
                        "text": {"text": w},
                    }
                    for w in ("back", "skip")
                ],
            }
        ]
    }
    assert [c.key for c in render_blocks(controls)[1]] == ["back", "skip"]
    gaps = {
        "blocks": [
            {
                "type": "section",
                "block_id": "ragft_q:a-1",
                "text": {"type": "mrkdwn", "text": " "},
                "accessory": {
                    "type": "checkboxes",
                    "action_id": "ragft_gaps",
                    "options": [
                        {"text": {"text": "Tone"}, "value": "tone"},
                        {"text": {"text": "Format"}, "value": "format"},
                    ],
                },
            },
            {
                "type": "actions",
                "block_id": "ctl",
                "elements": [controls["blocks"][0]["elements"][0]],
            },
        ]
    }
    text, found = render_blocks(gaps, ticked={"format"})
    assert text == "  [1] ☐ Tone   [2] ☑ Format   [back] back"
    assert state_values(found, {"format"}) == {
        "values": {
            "ragft_q:a-1": {
                "ragft_gaps": {
                    "type": "checkboxes",
                    "selected_options": [{"text": {"text": "Format"}, "value": "format"}],
                }
            }
        }
    }


def test_a_second_session_resumes_the_unfinished_interview(tmp_path: Path) -> None:
    """Quitting mid-interview and starting again shows the open question; replies go on."""
    first = _play(tmp_path, "hello\n/ragft assess Resumed\nSupport\nquit\n")
    assert "No interview is open here" in _after(first.stdout, "hello")
    second = _play(tmp_path, "1\nstatus\n")
    assert second.returncode == 0, second.stderr
    before = second.stdout.split("you> 1", 1)[0]
    assert "Picking up “Resumed” where you left off" in before
    assert "Support — Is this workload headed for real users" in before
    assert "Deployment: Real users (production), answered by @you" in _after(second.stdout, "1")
    assert "Deployment: Real users (production)" in _after(second.stdout, "status")
    assert not _leftovers(tmp_path)


@pytest.mark.parametrize("signum", [signal.SIGHUP, signal.SIGTERM])
def test_a_closed_terminal_stops_everything(tmp_path: Path, signum: int) -> None:
    """SIGHUP (the terminal window closed) or SIGTERM stops the app and the embedded Redis."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "REDIS_"))}
    env["RAGFT_DATA_DIR"] = str(tmp_path)
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "playground"],
        cwd=REPO,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdin is not None and proc.stdout is not None
    assert "ragft playground" in proc.stdout.readline()  # started: the app is healthy
    proc.send_signal(signum)
    assert proc.wait(timeout=60) == 0
    assert not _leftovers(tmp_path), "the app or the embedded Redis was left running"


def test_closing_the_terminal_window_stops_everything(tmp_path: Path) -> None:
    """A terminal that goes away (EIO on stdin and SIGHUP together, as when a tmux
    session is killed) still stops the app and the embedded Redis."""
    import fcntl
    import pty  # noqa: F401  # the pty module documents what openpty gives
    import termios

    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "REDIS_"))}
    env["RAGFT_DATA_DIR"] = str(tmp_path)
    master, slave = os.openpty()

    def controlling_tty() -> None:
        fcntl.ioctl(0, termios.TIOCSCTTY, 0)

    proc = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "playground"],
        cwd=REPO,
        env=env,
        stdin=slave,
        stdout=slave,
        stderr=slave,
        start_new_session=True,
        preexec_fn=controlling_tty,
    )
    os.close(slave)
    seen = b""
    while b"you> " not in seen:  # started: the app is healthy and the chat is reading
        seen += os.read(master, 4096)
    os.close(master)
    proc.wait(timeout=60)
    assert not _leftovers(tmp_path), "the app or the embedded Redis was left running"


def test_start_up_names_the_missing_slack_setting() -> None:
    """`ragft run` says which Slack setting is missing when it opens the playground."""
    from bot.cli.run import why_playground
    from bot.settings import Settings

    token_only = Settings.from_env({"SLACK_BOT_TOKEN": "xoxb-fake"}, None)
    assert why_playground(token_only).startswith(
        "SLACK_BOT_TOKEN is set, but SLACK_SIGNING_SECRET (or SLACK_APP_TOKEN) is not"
    )
    secret_only = Settings.from_env({"SLACK_SIGNING_SECRET": "fake"}, None)
    assert "SLACK_BOT_TOKEN is not" in why_playground(secret_only)
    nothing = Settings.from_env({}, None)
    assert "SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET are not set" in why_playground(nothing)
    assert "local playground" in why_playground(nothing)


def test_private_answers_and_quiet_threads_show_before_the_next_line(tmp_path: Path) -> None:
    """`/ragft list`, `show`, `help` and the forget-me button answer through the ack or
    response_url: each answer is printed before the next line is taken, and a line in a
    finished thread gets a note rather than silence. Charts and the decision record are
    saved under the data dir, with their paths printed."""
    script = "/ragft assess Lab bot\nSummarise papers\n2\nno\n/ragft list\n/ragft help\nhello\n"
    first = _play(tmp_path, script)
    assert first.returncode == 0, first.stderr
    out = first.stdout
    assert "Your assessments" in _after(out, "/ragft list")
    assert "/ragft assess" in _after(out, "/ragft help") and "*ragft*" not in out
    assert "its interview is over" in _after(out, "hello")
    assert "no answer from the app" not in out
    assessment_id = out.split("Your assessments", 1)[1].split("“", 1)[1].split("”", 1)[0]
    second = _play(tmp_path, f"/ragft show {assessment_id}\n1\n")
    assert second.returncode == 0, second.stderr
    assert "Export decision record" in _after(second.stdout, f"/ragft show {assessment_id}")
    saved = tmp_path / "files" / f"ragft-{assessment_id}.md"
    assert f"saved to {saved}" in _after(second.stdout, "1")
    assert "Summarise papers" in saved.read_text()
    assert not _leftovers(tmp_path)


def test_a_second_playground_on_the_same_data_says_why_not(tmp_path: Path) -> None:
    """While one playground runs, a second on the same data dir exits 1 with a clear reason
    (it would lose the first one's embedded Redis); the first carries on."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "REDIS_"))}
    env["RAGFT_DATA_DIR"] = str(tmp_path)
    first = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "playground"],
        cwd=REPO,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert first.stdin is not None and first.stdout is not None
    try:
        assert "ragft playground" in first.stdout.readline()
        second = _play(tmp_path, "/ragft list\n")
        assert second.returncode == 1
        assert "another playground" in second.stderr and "RAGFT_DATA_DIR" in second.stderr
        first.stdin.write("/ragft list\n")
        first.stdin.flush()
        assert first.stdout.readline() == "you> /ragft list\n"
        assert "no assessments yet" in first.stdout.readline().lower()
    finally:
        first.stdin.close()
        first.wait(timeout=60)
    assert not _leftovers(tmp_path)


def test_a_revisit_nudge_shows_without_typing(tmp_path: Path) -> None:
    """A due nudge is printed while the chat waits for a line, labelled as the direct
    message and the thread copy."""
    import queue
    import threading

    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "REDIS_"))}
    env.update(RAGFT_DATA_DIR=str(tmp_path), REVISIT_AFTER="PT3S", REVISIT_TICK_SECONDS="0.5")
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "playground"],
        cwd=REPO,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdin is not None and proc.stdout is not None
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(x) for x in proc.stdout], daemon=True).start()
    try:
        proc.stdin.write("/ragft assess Nudge me\nlab work\n2\nno\n")
        proc.stdin.flush()  # and then type nothing more
        seen: list[str] = []
        while not any("thread copy" in x for x in seen) or not any(
            "direct message" in x for x in seen
        ):
            seen.append(lines.get(timeout=30))
        assert any("Time to revisit" in x for x in seen)
    finally:
        proc.stdin.close()
        proc.wait(timeout=60)
    assert not _leftovers(tmp_path)


def test_cancel_and_restart_ask_first_and_each_step_prints_whole(tmp_path: Path) -> None:
    """`cancel` and `restart` show a yes/no confirmation keyed `[yes]` `[no]`; a no prints
    the note and the question asked again before the next line is read."""
    script = "/ragft assess Careful\nwork\ncancel\nno\nrestart\nyes\n"
    result = _play(tmp_path, script)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "[yes] Yes, cancel it   [no] No, carry on" in _after(out, "cancel")
    declined = _after(out, "no")
    assert "Carrying on where we were" in declined and "[1] Real users" in declined
    assert "Start again from the first question?" in _after(out, "restart")
    assert "Name this workload" in _after(out, "yes")
    assert not _leftovers(tmp_path)


def test_a_cost_table_block_reads_as_aligned_columns() -> None:
    """The recommendation's native table shows in the terminal with its figures aligned."""
    block = {
        "type": "table",
        "column_settings": [{"is_wrapped": True}, {"align": "right"}],
        "rows": [
            [{"type": "raw_text", "text": "pattern"}, {"type": "raw_text", "text": "3 years"}],
            [{"type": "raw_text", "text": "prompting + RAG"}, {"type": "raw_text", "text": "$5k"}],
        ],
    }
    text, _ = render_blocks({"blocks": [block]})
    assert text.splitlines() == ["  pattern          3 years", "  prompting + RAG      $5k"]
