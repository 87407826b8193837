"""`ragft run`: the real app when Slack is configured, else the playground."""

from __future__ import annotations

import argparse
import sys

from bot.settings import Settings

# What serving several workspaces (OAuth, README "Installing in Slack") needs; one workspace
# needs SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET (HTTP) or SLACK_APP_TOKEN (Socket Mode).
OAUTH = ("SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET", "SLACK_SIGNING_SECRET")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="0.0.0.0", help="address to listen on (HTTP mode)")


def run(args: argparse.Namespace) -> int:
    import os  # handed on to the playground's child process

    settings = Settings.from_env()
    if not settings.has_slack_tokens:
        if not sys.stdin.isatty():
            # A supervisor, a container or CI: there is nobody to chat with, so a half-set
            # deploy must fail where it can be seen rather than "play" and exit 0.
            print(
                f"ragft run: {missing_slack_settings(settings)}, and there is no terminal for "
                "the local playground. Set them to serve Slack (.env.example shows how), or "
                "use `ragft playground` to play a script from standard input.",
                file=sys.stderr,
            )
            return 2
        from bot.cli.playground import play

        print(why_playground(settings), file=sys.stderr)
        return play(settings, dict(os.environ))
    from bot.cli import web as web_cli

    web_args = argparse.Namespace(host=args.host, clock=None)
    return web_cli.run(web_args)


def _names(names: list[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def _set_but_not(given: list[str], missing: list[str]) -> str:
    """ "A and B are set, but C is not" (each side in the number its names take)."""
    are = "is" if len(given) == 1 else "are"
    not_ = "is not" if len(missing) == 1 else "are not"
    return f"{_names(given)} {are} set, but {_names(missing)} {not_}"


def why_playground(settings: Settings) -> str:
    """Why `ragft run` opens the playground: the Slack settings it is missing."""
    return (
        f"{missing_slack_settings(settings)}, so this is the local playground "
        "(.env.example shows how to serve Slack)."
    )


def missing_slack_settings(settings: Settings) -> str:
    """Which Slack settings are missing, by name, for the way of serving Slack the settings
    that are there aim at."""
    values = {
        "SLACK_BOT_TOKEN": settings.slack_bot_token,
        "SLACK_SIGNING_SECRET": settings.slack_signing_secret,
        "SLACK_APP_TOKEN": settings.slack_app_token,
        "SLACK_CLIENT_ID": settings.slack_client_id,
        "SLACK_CLIENT_SECRET": settings.slack_client_secret,
    }
    present = {name for name, value in values.items() if value}
    if "SLACK_BOT_TOKEN" in present:  # one workspace (a bot token turns OAuth off)
        missing = "SLACK_BOT_TOKEN is set, but SLACK_SIGNING_SECRET (or SLACK_APP_TOKEN) is not"
    elif present & {"SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET"}:  # several workspaces, OAuth
        lacking = [n for n in OAUTH if n not in present]
        if lacking:
            missing = _set_but_not([n for n in OAUTH if n in present], lacking)
        else:  # all there, but SLACK_APP_TOKEN asks for Socket Mode, which OAuth cannot use
            missing = (
                f"{_names(list(OAUTH))} are set, but so is SLACK_APP_TOKEN, and Socket Mode "
                "serves one workspace (empty SLACK_APP_TOKEN to serve several over HTTP, or "
                "set SLACK_BOT_TOKEN for one)"
            )
    elif "SLACK_APP_TOKEN" in present:  # Socket Mode
        missing = "SLACK_APP_TOKEN is set, but SLACK_BOT_TOKEN is not"
    elif "SLACK_SIGNING_SECRET" in present:  # one workspace over HTTP, or several over OAuth
        missing = (
            "SLACK_SIGNING_SECRET is set, but SLACK_BOT_TOKEN is not (nor, to serve several "
            "workspaces, SLACK_CLIENT_ID and SLACK_CLIENT_SECRET)"
        )
    else:
        missing = "SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET are not set"
    return missing
