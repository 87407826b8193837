"""The `/ragft` verbs, each declared once (`RAGFT_VERBS`), and what a person typed after
`/ragft`, read forgivingly: spaces, capitals, synonyms.

A verb's row names it, the other words that mean it, its line in `/ragft help`, whether a
replayed request (same trigger) must do nothing, and whether its argument is one assessment
id; the synonyms, the help and the once-per-trigger set are derived from the rows. The
handler is `bot.listeners.commands`, which checks that every verb here has exactly one.
Both the ack (`bot.request_gate.ack_text`) and the `/ragft` listener read the text with
`parse_command`.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.views import text as t
from conversations.parsing import escape

__all__ = [
    "COMMAND_HELP",
    "ONCE_PER_TRIGGER",
    "RAGFT_VERBS",
    "SYNONYMS",
    "Command",
    "Verb",
    "command_ack",
    "parse_command",
    "unescape_slack",
    "unknown_command",
    "words_of",
]


@dataclass(frozen=True)
class Verb:
    """One `/ragft` verb."""

    name: str
    synonyms: tuple[str, ...] = ()  # other words typed for it
    help: str = ""  # its line in `/ragft help` ("": not listed there)
    # True: it starts or changes something, so a replayed request (same trigger) does nothing
    once_per_trigger: bool = False
    takes_id: bool = False  # its argument is one assessment id, the first word after it


# In the order `/ragft help` lists them.
RAGFT_VERBS: tuple[Verb, ...] = (
    Verb("assess", ("start", "new"), t.HELP_ASSESS, once_per_trigger=True),
    Verb("list", ("ls", "mine"), t.HELP_LIST),
    Verb("transfer", ("give",), t.HELP_TRANSFER),
    Verb("deciders", ("decider",), t.HELP_DECIDERS),
    Verb("show", ("view",), t.HELP_SHOW, takes_id=True),
    Verb("cancel", ("stop",), t.HELP_CANCEL, once_per_trigger=True, takes_id=True),
    Verb(
        "revisit", ("reassess", "re-assess"), t.HELP_REVISIT, once_per_trigger=True, takes_id=True
    ),
    Verb("forget-me", ("forget_me", "forgetme", "forget", "delete-me"), t.HELP_FORGET_ME),
    Verb("purge-workspace", ("purge_workspace",)),
    Verb("help", ("?",)),
)


def words_of(verbs: tuple[Verb, ...]) -> dict[str, Verb]:
    """Every word typed for a verb -> its verb; a word claimed twice is an error at import."""
    found: dict[str, Verb] = {}
    for verb in verbs:
        for word in (verb.name, *verb.synonyms):
            if word in found:
                raise ValueError(f"/ragft {word!r} means both {found[word].name} and {verb.name}")
            found[word] = verb
    return found


SYNONYMS = words_of(RAGFT_VERBS)
ONCE_PER_TRIGGER = frozenset(v.name for v in RAGFT_VERBS if v.once_per_trigger)
COMMAND_HELP = "\n".join([t.HELP_INTRO, *(v.help for v in RAGFT_VERBS if v.help), t.HELP_FOOTER])


@dataclass(frozen=True)
class Command:
    """A verb of `RAGFT_VERBS` (unknown words give `help`) and the rest of the text."""

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
    verb = SYNONYMS.get(words[0].lower().strip("`'\"").rstrip(":"))
    if verb is None:
        return Command("help", unknown=words[0])
    rest = words[1:]
    if verb.name == "forget-me" and rest and rest[0].lower() == "me":
        rest = rest[1:]
    argument = " ".join(rest)
    if verb.takes_id:
        argument = rest[0].strip("`'\"<>") if rest else ""
    return Command(verb.name, argument)


def command_ack(text: str | None) -> str:
    """The text the acknowledgement of `/ragft <text>` carries: the command list for `help`,
    after a line saying so when the word typed is no command."""
    parsed = parse_command(text)
    if parsed.verb != "help":
        return ""
    if not parsed.unknown:
        return COMMAND_HELP
    return f"{unknown_command(parsed.unknown)}\n{COMMAND_HELP}"


def unknown_command(word: str) -> str:
    """ "I don't know `/ragft bogus`.": the word inert (escaped, no backtick to end the code
    span) and bounded."""
    if len(word) > t.MAX_UNKNOWN_CHARS:
        word = word[: t.MAX_UNKNOWN_CHARS - 1] + "…"
    return t.UNKNOWN_COMMAND.format(word=escape(word.replace("`", "'")))
