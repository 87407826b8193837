"""`ragft playground`: chat with the real app in this terminal, no Slack needed."""

from __future__ import annotations

import argparse
import contextlib
import signal
import sys
from collections.abc import Callable
from pathlib import Path

from bot.log import configure_logging, get_logger
from bot.playground.chat import Playground
from bot.playground.terminal import StdinLines
from bot.settings import Settings

log = get_logger(__name__)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--data-dir",
        help="where the embedded Redis keeps its data (default: RAGFT_DATA_DIR, else ./var)",
    )
    parser.add_argument(
        "--socket-mode",
        action="store_true",
        help="the app takes Slack's requests over Socket Mode (a WebSocket) instead of HTTP; "
        "also RAGFT_PLAYGROUND_TRANSPORT=socket, for `scripts/run`",
    )


def run(args: argparse.Namespace) -> int:
    import os  # the playground hands the environment on to its `ragft web` child

    settings = Settings.from_env()
    if getattr(args, "data_dir", None):
        settings = settings.model_copy(update={"data_dir": Path(args.data_dir)})
    return play(settings, dict(os.environ), socket_mode=getattr(args, "socket_mode", False))


def play(settings: Settings, environ: dict[str, str], *, socket_mode: bool = False) -> int:
    """Start everything, chat on stdin/stdout, stop everything (the embedded Redis too)."""
    # Logs go to a file: the terminal is for the conversation.
    log_file = settings.data_dir / "playground.log"
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    # Left open until exit: libraries may still log from atexit handlers.
    configure_logging("json", stream=log_file.open("a"))
    socket_mode = socket_mode or environ.get("RAGFT_PLAYGROUND_TRANSPORT", "") == "socket"
    playground = Playground(settings, socket_mode=socket_mode)
    lines = StdinLines(sys.stdin)
    _stop_on(lines.stop)
    try:
        playground.start(environ)
        if not lines.stopped:
            playground.chat(lines, prompt=sys.stdin.isatty())
    except (RuntimeError, TimeoutError) as err:
        print(f"ragft playground: {err}", file=sys.stderr)
        return 1
    except OSError:  # e.g. the terminal went away while a reply was printed
        log.exception("playground_stopped_by_os_error")
    finally:
        playground.close()
    with contextlib.suppress(OSError):  # the terminal is gone
        print("bye", file=sys.stderr)
    return 0


def _stop_on(stop: Callable[..., None]) -> None:
    """Ctrl-C, a closed terminal (SIGHUP) and SIGTERM end the chat like `quit`, so the app
    and the embedded Redis stop with it. The handler only asks the chat to stop: raising
    from it could cut the clean-up short."""
    for signum in (signal.SIGINT, signal.SIGHUP, signal.SIGTERM):
        signal.signal(signum, stop)
