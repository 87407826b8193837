"""What a person typed after `/ragft`, read forgivingly: spaces, capitals, synonyms.

Both the ack (`bot.request_gate.ack_text`) and the `/ragft` listener read the text with
`parse_command`.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.views import text as t
from conversations.parsing import escape

_VERBS: dict[str, str] = {
    "assess": "assess",
    "start": "assess",
    "new": "assess",
    "help": "help",
    "?": "help",
    "list": "list",
    "ls": "list",
    "mine": "list",
    "show": "show",
    "view": "show",
    "cancel": "cancel",
    "stop": "cancel",
    "revisit": "revisit",
    "reassess": "revisit",
    "re-assess": "revisit",
    "forget-me": "forget-me",
    "forget_me": "forget-me",
    "forgetme": "forget-me",
    "forget": "forget-me",
    "delete-me": "forget-me",
    "transfer": "transfer",
    "give": "transfer",
    "purge-workspace": "purge-workspace",
    "purge_workspace": "purge-workspace",
    "deciders": "deciders",
    "decider": "deciders",
}


@dataclass(frozen=True)
class Command:
    """A verb from the list above (unknown words give `help`) and the rest of the text."""

    verb: str
    argument: str = ""
    unknown: str = ""  # the word typed in place of a verb, when it is none


def unescape_slack(text: str) -> str:
    """Undo Slack's escaping of `&`, `<` and `>` (the manifest sets `should_escape`).

    What the person typed comes back as typed; the name cleaner and `escape` then make it
    inert where it is shown, so nothing is escaped twice.
    """
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def parse_command(text: str | None) -> Command:
    """`'  Assess   Support bot '` -> Command('assess', 'Support bot'); nonsense -> help."""
    words = unescape_slack(text or "").split()
    if not words:
        return Command("help")
    verb = _VERBS.get(words[0].lower().strip("`'\"").rstrip(":"))
    if verb is None:
        return Command("help", unknown=words[0])
    rest = words[1:]
    if verb == "forget-me" and rest and rest[0].lower() == "me":
        rest = rest[1:]
    argument = " ".join(rest)
    if verb in ("show", "cancel", "revisit"):
        argument = rest[0].strip("`'\"<>") if rest else ""
    return Command(verb, argument)


def command_ack(text: str | None) -> str:
    """The text the acknowledgement of `/ragft <text>` carries: the command list for `help`,
    after a line saying so when the word typed is no command."""
    parsed = parse_command(text)
    if parsed.verb != "help":
        return ""
    if not parsed.unknown:
        return t.HELP
    return f"{unknown_command(parsed.unknown)}\n{t.HELP}"


def unknown_command(word: str) -> str:
    """ "I don't know `/ragft bogus`.": the word inert (escaped, no backtick to end the code
    span) and bounded."""
    if len(word) > t.MAX_UNKNOWN_CHARS:
        word = word[: t.MAX_UNKNOWN_CHARS - 1] + "…"
    return t.UNKNOWN_COMMAND.format(word=escape(word.replace("`", "'")))
