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

        print(why_playground(settings), file=sys.stderr)
        return play(settings, dict(os.environ))
    from bot.cli import web as web_cli

    web_args = argparse.Namespace(
        host=args.host, factory=web_cli.DEFAULT_FACTORY, with_ticker=settings.clock == "inline"
    )
    return web_cli.run(web_args)


def why_playground(settings: Settings) -> str:
    """Which Slack setting is missing, by name, so that the playground is what starts."""
    receive = settings.slack_signing_secret or settings.slack_app_token
    if settings.slack_bot_token and not receive:
        missing = "SLACK_BOT_TOKEN is set, but SLACK_SIGNING_SECRET (or SLACK_APP_TOKEN) is not"
    elif receive and not settings.slack_bot_token:
        given = "SLACK_SIGNING_SECRET" if settings.slack_signing_secret else "SLACK_APP_TOKEN"
        missing = f"{given} is set, but SLACK_BOT_TOKEN is not"
    else:
        missing = "SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET are not set"
    return f"{missing}, so this is the local playground (.env.example shows how to serve Slack)."
