"""`ragft run`: the real app when Slack tokens are configured, else the playground."""

from __future__ import annotations

import argparse
import sys

from bot.settings import Settings


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="0.0.0.0", help="address to listen on (HTTP mode)")


def run(args: argparse.Namespace) -> int:
    import os  # handed on to the playground's child process

    settings = Settings.from_env()
    if not settings.has_slack_tokens:
        from bot.cli.playground import play

        print(
            "No Slack tokens set: starting the playground (see .env.example to serve Slack).",
            file=sys.stderr,
        )
        return play(settings, dict(os.environ))
    from bot.cli import web as web_cli

    web_args = argparse.Namespace(
        host=args.host, factory=web_cli.DEFAULT_FACTORY, with_ticker=settings.clock == "inline"
    )
    return web_cli.run(web_args)
