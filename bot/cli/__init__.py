"""The `ragft` command: one entry point, one module per subcommand.

Each subcommand module exposes `add_arguments(parser)` and `run(args) -> int`.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from bot.errors import SettingsError

# name -> (module, one-line help). Only the chosen module is imported, so `ragft assess` stays fast.
SUBCOMMANDS: dict[str, tuple[str, str]] = {
    "assess": ("bot.cli.assess", "assess a profile file and print the recommendation"),
    "run": ("bot.cli.run", "the main job: the real app with Slack tokens, else the playground"),
    "web": ("bot.cli.web", "serve the Slack app over HTTP (or Socket Mode)"),
    "clock": ("bot.cli.clock", "send due revisit nudges"),
    "owed": ("bot.cli.owed", "list the steps whose messages Slack refused to the last attempt"),
    "playground": ("bot.cli.playground", "chat with the real app in a terminal, no Slack needed"),
}


__all__ = ["SUBCOMMANDS", "main"]


def main(argv: Sequence[str] | None = None) -> int:
    """Run one `ragft` subcommand; its exit status (2 for a bad setting)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = argparse.ArgumentParser(prog="ragft", description="RAG, fine-tuning, both or neither.")
    sub = parser.add_subparsers(dest="command", required=True)
    chosen = next((a for a in argv if not a.startswith("-")), None)
    module = None
    for name, (module_name, help_text) in SUBCOMMANDS.items():
        sp = sub.add_parser(name, help=help_text)
        if name == chosen:  # import only the module that runs
            module = importlib.import_module(module_name)
            module.add_arguments(sp)
    args = parser.parse_args(argv)
    assert module is not None  # argparse has rejected any other command
    try:
        return int(module.run(args))
    except SettingsError as err:  # a bad environment variable: say which, no traceback
        print(f"ragft {args.command}: {err}", file=sys.stderr)
        return 2
