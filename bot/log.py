"""structlog, configured once: JSON lines in production, a readable console in development.

Every line carries `team`, `channel`, `thread` and `assessment_id` (None when unknown):
bind them with `log_context(...)`; `bot.payload.log_fields(body)` reads them from a request.
Slack tokens are masked wherever they appear, and answer text is only logged at debug level.
"""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any, Literal, TextIO

import structlog
from structlog.contextvars import bound_contextvars
from structlog.typing import EventDict, Processor

CONTEXT_KEYS = ("team", "channel", "thread", "assessment_id")
# Keys whose values are what people typed; logged only at debug level.
ANSWER_KEYS = frozenset({"text", "answer", "answer_text", "raw_answer", "message_text"})
SECRET_KEYS = frozenset(
    {"token", "bot_token", "app_token", "signing_secret", "authorization", "client_secret"}
)
TOKEN_PATTERN = re.compile(r"\b(xox[abcdeoprs]|xapp)-[A-Za-z0-9-]+")
_LEVELS = {"debug": 10, "info": 20, "warning": 30, "warn": 30, "error": 40, "critical": 50}


def mask_tokens(value: str) -> str:
    """Replace every Slack token in `value` by its prefix and a mask."""
    return TOKEN_PATTERN.sub(lambda m: f"{m.group(1)}-***", value)


def _scrub(value: Any) -> Any:
    if isinstance(value, str):
        return mask_tokens(value)
    if isinstance(value, Mapping):
        return {
            k: ("***" if str(k).lower() in SECRET_KEYS else _scrub(v)) for k, v in value.items()
        }
    if isinstance(value, list | tuple):
        return [_scrub(v) for v in value]
    return value


def redact(_: Any, method_name: str, event_dict: EventDict) -> EventDict:
    """Mask tokens and secrets everywhere; drop answer text unless the line is debug."""
    level = _LEVELS.get(str(event_dict.get("level", method_name)).lower(), 20)
    for key in list(event_dict):
        if key.lower() in SECRET_KEYS:
            event_dict[key] = "***"
        elif key in ANSWER_KEYS and level > logging.DEBUG:
            text = event_dict[key]
            event_dict[key] = f"<{len(text)} chars>" if isinstance(text, str) else "<redacted>"
        else:
            event_dict[key] = _scrub(event_dict[key])
    return event_dict


def add_context_keys(_: Any, __: str, event_dict: EventDict) -> EventDict:
    """Make every line carry the Slack context keys, None when unknown."""
    for key in CONTEXT_KEYS:
        event_dict.setdefault(key, None)
    return event_dict


def _shared_processors() -> list[Processor]:
    return [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        add_context_keys,
        structlog.processors.format_exc_info,
        redact,
    ]


def configure_logging(
    log_format: Literal["json", "console"] = "json",
    *,
    level: int = logging.INFO,
    stream: TextIO | None = None,
) -> None:
    """Configure structlog and route the standard library's logging (Bolt, gunicorn) through it."""
    renderer: Processor
    if log_format == "json":
        renderer = structlog.processors.JSONRenderer()
    else:
        renderer = structlog.dev.ConsoleRenderer(colors=(stream or sys.stderr).isatty())
    shared = _shared_processors()
    structlog.configure(
        processors=[
            *shared[:1],
            structlog.stdlib.filter_by_level,
            *shared[1:],
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(
            foreign_pre_chain=shared,
            processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta, renderer],
        )
    )
    root = logging.getLogger()
    for old in list(root.handlers):
        if getattr(old, "_ragft", False):
            root.removeHandler(old)
    handler._ragft = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(level)


def get_logger(name: str | None = None) -> structlog.stdlib.BoundLogger:
    """A structlog logger; `name` is usually `__name__`."""
    return structlog.stdlib.get_logger(name)


@contextmanager
def log_context(**values: Any) -> Iterator[None]:
    """Bind context keys (team, channel, thread, assessment_id, ...) for the block's log lines."""
    with bound_contextvars(**{k: v for k, v in values.items() if v is not None}):
        yield
