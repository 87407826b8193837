"""Settings, read once from the environment and a `.env` file, then passed down.

An environment variable set to the empty string counts as unset, even when `.env`
names a value for it (so `SLACK_APP_TOKEN=""` forces HTTP mode).
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path
from typing import Annotated, Any, Literal

import isodate
from dotenv import dotenv_values
from pydantic import BeforeValidator, Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

from bot.errors import SettingsError
from engine import Calibration, EngineError, load_calibration

__all__ = ["ENV_VARS", "Settings", "SettingsError"]

Duration = timedelta | isodate.Duration

# environment variable -> field name; the variable is what error messages name.
ENV_VARS: dict[str, str] = {
    "PORT": "port",
    "SLACK_BOT_TOKEN": "slack_bot_token",
    "SLACK_SIGNING_SECRET": "slack_signing_secret",
    "SLACK_APP_TOKEN": "slack_app_token",
    "SLACK_API_URL": "slack_api_url",
    "SLACK_API_TIMEOUT": "slack_api_timeout",
    "SLACK_CLIENT_ID": "slack_client_id",
    "SLACK_CLIENT_SECRET": "slack_client_secret",
    "SLACK_SCOPES": "slack_scopes",
    "SLACK_TOKEN_REFRESH_MINUTES": "token_refresh_minutes",
    "RAGFT_RETENTION_DAYS": "retention_days",
    "REDIS_URL": "redis_url",
    "REDIS_MODE": "redis_mode",
    "REDIS_SENTINEL_MASTER": "redis_sentinel_master",
    "LOG_FORMAT": "log_format",
    "REVISIT_AFTER": "revisit_after",
    "REVISIT_SNOOZE_SCALE": "revisit_snooze_scale",
    "REVISIT_TICK_SECONDS": "revisit_tick_seconds",
    "REVISIT_LEASE_SECONDS": "revisit_lease_seconds",
    "REDIS_SOCKET_TIMEOUT": "redis_socket_timeout",
    "DELIVERY_LEASE_SECONDS": "delivery_lease_seconds",
    "OWED_SWEEP_SECONDS": "owed_sweep_seconds",
    "RAGFT_DATA_DIR": "data_dir",
    "RAGFT_CALIBRATION": "calibration_file",
    "INTERVIEW_TTL": "interview_ttl",
    "RAGFT_CLOCK": "clock",
    "WEB_CONCURRENCY": "web_concurrency",
    "WEB_THREADS": "web_threads",
    "WEB_LISTENER_THREADS": "web_listener_threads",
}
# The bot scopes manifest.yml asks for; an OAuth install asks for these unless SLACK_SCOPES says.
DEFAULT_SCOPES = (
    "commands",
    "chat:write",
    "channels:history",
    "groups:history",
    "im:history",
    "im:write",
    "mpim:history",
    "users:read",
    "files:write",
    "canvases:write",
    "assistant:write",
)
FIELD_TO_ENV = {field: env for env, field in ENV_VARS.items()}


def _parse_duration(value: Any) -> Any:
    if isinstance(value, str):
        try:
            parsed = isodate.parse_duration(value.strip())
        except (isodate.ISO8601Error, ValueError) as exc:
            raise ValueError("expected an ISO 8601 duration such as P12M or PT1H") from exc
        value = parsed
    if not isinstance(value, timedelta | isodate.Duration):
        raise ValueError(f"expected an ISO 8601 duration such as P12M, got {value!r}")
    probe = isodate.Duration(0) + value if isinstance(value, timedelta) else value
    if (probe.years, probe.months) == (0, 0) and probe.tdelta <= timedelta(0):
        raise ValueError("the duration must be longer than zero")
    if probe.years < 0 or probe.months < 0 or probe.tdelta < timedelta(0):
        raise ValueError("the duration must not be negative")
    return value


ISODuration = Annotated[Any, BeforeValidator(_parse_duration)]


def read_calibration(path: Path) -> Calibration:
    """A team's calibration file, read and checked; ValueError says what is wrong with it."""
    try:
        return load_calibration(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ValueError(f"cannot read {str(path)!r}: {exc.strerror or exc}") from None
    except EngineError as exc:
        raise ValueError(f"{str(path)!r}: {exc}") from None


def _default_log_format() -> Literal["json", "console"]:
    return "console" if sys.stderr.isatty() else "json"


class Settings(BaseSettings):
    """Everything the processes need, validated. Build it with `Settings.from_env()`."""

    model_config = SettingsConfigDict(extra="ignore", frozen=True)

    port: int = Field(default=3000, ge=1, le=65535)
    slack_bot_token: str | None = Field(default=None, repr=False)
    slack_signing_secret: str | None = Field(default=None, repr=False)
    slack_app_token: str | None = Field(default=None, repr=False)
    slack_api_url: str = "https://slack.com/api/"
    # Seconds a Web API call may take before the client gives up on its answer.
    # Half the delivery lease by default: a delivery's calls end before the sweeper may take it.
    slack_api_timeout: int = Field(default=15, ge=1, le=300)
    # Several workspaces (OAuth): the app's credentials; SLACK_BOT_TOKEN must then be unset.
    slack_client_id: str | None = None
    slack_client_secret: str | None = Field(default=None, repr=False)
    slack_scopes: str | None = None  # comma-separated; unset: the manifest's bot scopes
    # Rotating tokens are refreshed when they expire within this many minutes (Bolt's 120).
    token_refresh_minutes: int = Field(default=120, ge=1, le=11 * 60)
    # How long a workspace's data is kept after the app is uninstalled from it.
    retention_days: float = Field(default=30.0, ge=0)
    redis_url: str | None = Field(default=None, repr=False)
    # Redis beyond one server: cluster (REDIS_URL names any node) or sentinel (REDIS_URL names
    # the sentinels, REDIS_SENTINEL_MASTER the service).
    redis_mode: Literal["standalone", "cluster", "sentinel"] = "standalone"
    redis_sentinel_master: str = Field(default="mymaster", min_length=1)
    # Seconds a standalone Redis may take to answer before the command is sent again.
    redis_socket_timeout: float = Field(default=10.0, gt=0)
    # Seconds a delivery of an acknowledged step is left to the process that acked it;
    # after that (the process died, or Slack refused it) the sweeper delivers it.
    delivery_lease_seconds: float = Field(default=30.0, ge=1)
    # How often the sweeper (in `ragft clock`, or `ragft web` sending the nudges) looks.
    owed_sweep_seconds: float = Field(default=2.0, gt=0)
    log_format: Literal["json", "console"] = Field(default_factory=_default_log_format)
    revisit_after: ISODuration = Field(default_factory=lambda: isodate.parse_duration("P12M"))
    # How long a snooze lasts, as a share of what the button says (a trial shortens it).
    revisit_snooze_scale: float = Field(default=1.0, gt=0, le=1)
    revisit_tick_seconds: float = Field(default=5.0, gt=0)
    # How long a clock holds claimed revisits before another may take them; unset: 10 ticks.
    revisit_lease_seconds: float | None = Field(default=None, gt=0)
    data_dir: Path = Path("./var")
    # A team's own cost figures (TOML laid out like engine/calibration.toml): every
    # assessment the app makes costs with them, and shows them with the source "ours".
    calibration_file: Path | None = None
    interview_ttl: ISODuration = Field(default_factory=lambda: timedelta(days=30))
    # "inline": `ragft run` ticks revisits in the web process; "separate": a `ragft clock` does.
    clock: Literal["inline", "separate"] = "inline"
    web_concurrency: int = Field(default=1, ge=1, le=64)
    web_threads: int = Field(default=64, ge=1, le=1000)
    # Threads per worker delivering the work after the ack. Each mostly waits on Slack (two
    # calls of ~80 ms a step), so enough of them keep up with a hundred people at a person's
    # pace in one process (bench/slack.py); the CPU work of a step is a few milliseconds.
    web_listener_threads: int = Field(default=32, ge=1, le=256)

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # Only keyword arguments: `from_env` layers the environment over `.env` itself,
        # so that an empty variable can blank out a value `.env` names.
        return (init_settings,)

    @field_validator("calibration_file")
    @classmethod
    def _calibration_reads(cls, value: Path | None) -> Path | None:
        if value is not None:
            read_calibration(value)  # a file that cannot be used stops the start, here
        return value

    def calibration(self) -> Calibration | None:
        """The team's cost figures over the defaults; None: the calibration table's own."""
        return read_calibration(self.calibration_file) if self.calibration_file else None

    @field_validator("slack_api_url")
    @classmethod
    def _api_url_shape(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError(f"expected an http(s) URL, got {value!r}")
        if not value.endswith("/"):
            raise ValueError(f"must end with '/', e.g. {value + '/'!r}")
        return value

    @classmethod
    def from_env(
        cls, environ: Mapping[str, str] | None = None, env_file: str | Path | None = ".env"
    ) -> Settings:
        """Read the settings from `environ` (default: the process environment) over `env_file`."""
        if environ is None:
            import os  # the one place that reads the process environment

            environ = os.environ
        layered: dict[str, str | None] = {}
        if env_file is not None and Path(env_file).is_file():
            layered.update(dotenv_values(env_file))
        layered.update({k: v for k, v in environ.items() if k in ENV_VARS})
        values: dict[str, Any] = {
            ENV_VARS[k]: v for k, v in layered.items() if k in ENV_VARS and v not in ("", None)
        }
        try:
            return cls(**values)
        except ValidationError as exc:
            error = exc.errors()[0]
            field = str(error["loc"][0]) if error["loc"] else "?"
            variable = FIELD_TO_ENV.get(field, field)
            message = str(error["msg"]).removeprefix("Value error, ")
            raise SettingsError(variable, f"{message} (got {values.get(field)!r})") from None

    @property
    def has_slack_tokens(self) -> bool:
        """True when the app can serve a real Slack: a bot token and a way to receive events,
        or the OAuth credentials of several workspaces over HTTP (Socket Mode serves one)."""
        receive = self.slack_signing_secret or self.slack_app_token
        one = bool(self.slack_bot_token) and bool(receive)
        return one or (self.oauth_mode and not self.socket_mode)

    @property
    def oauth_mode(self) -> bool:
        """True when the app is distributed: OAuth credentials set and no single bot token."""
        return bool(
            self.slack_client_id
            and self.slack_client_secret
            and self.slack_signing_secret
            and not self.slack_bot_token
        )

    @property
    def scopes(self) -> list[str]:
        """The bot scopes an install asks for (SLACK_SCOPES, else the manifest's)."""
        if self.slack_scopes:
            return [s.strip() for s in self.slack_scopes.split(",") if s.strip()]
        return list(DEFAULT_SCOPES)

    @property
    def slack_web_url(self) -> str:
        """Slack's web address beside SLACK_API_URL (where `oauth/v2/authorize` lives)."""
        return self.slack_api_url.removesuffix("api/")

    @property
    def socket_mode(self) -> bool:
        """True when SLACK_APP_TOKEN is set: events arrive over Socket Mode, not HTTP."""
        return bool(self.slack_app_token)

    @property
    def revisit_after_iso(self) -> str:
        """REVISIT_AFTER as an ISO 8601 string, for messages and logs."""
        return str(isodate.duration_isoformat(self.revisit_after))
