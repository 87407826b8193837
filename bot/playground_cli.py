"""`ragft playground`: chat with the real app in this terminal, no Slack needed."""

from __future__ import annotations

import argparse
import sys

from bot.logging import configure_logging
from bot.settings import Settings, SettingsError


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data-dir", help="where the embedded Redis keeps its data "
                        "(default: RAGFT_DATA_DIR, else ./var)")


def run(args: argparse.Namespace) -> int:
    import os  # the playground hands the environment on to its `ragft web` child

    try:
        settings = Settings.from_env()
    except SettingsError as err:
        print(f"ragft playground: {err}", file=sys.stderr)
        return 2
    if getattr(args, "data_dir", None):
        from pathlib import Path

        settings = settings.model_copy(update={"data_dir": Path(args.data_dir)})
    return play(settings, dict(os.environ))


def play(settings: Settings, environ: dict[str, str]) -> int:
    """Start everything, chat on stdin/stdout, stop everything (the embedded Redis too)."""
    from bot.playground import Playground

    # Logs go to a file: the terminal is for the conversation.
    log_file = settings.data_dir / "playground.log"
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    # Left open until exit: libraries may still log from atexit handlers.
    configure_logging("json", stream=log_file.open("a"))
    playground = Playground(settings)
    _stop_on_hangup()
    try:
        playground.start(environ)
        playground.chat(sys.stdin, prompt=sys.stdin.isatty())
    except KeyboardInterrupt:
        pass
    except (RuntimeError, TimeoutError) as err:
        print(f"ragft playground: {err}", file=sys.stderr)
        return 1
    finally:
        playground.close()
    print("bye", file=sys.stderr)
    return 0


def _stop_on_hangup() -> None:
    """A closed terminal (SIGHUP) or a `kill` (SIGTERM) stops the playground like Ctrl-C,
    so the app and the embedded Redis stop with it instead of running on."""
    import signal

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    for signum in (signal.SIGHUP, signal.SIGTERM):
        signal.signal(signum, interrupt)
