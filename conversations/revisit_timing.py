"""When revisits fall due: the whole time policy, as pure functions (no Redis, no Slack).

A period of a day or more lands at 10:00 in the owner's zone on its date; a shorter one
(end-to-end tests, demos) is exact. The store keeps due times; the bot asks Slack for the
owner's zone; everything between the two is here.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import TypeAlias
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import isodate

# isodate ships no type hints, so mypy sees its Duration as Any; the alias still says what is meant.
Period: TypeAlias = timedelta | isodate.Duration
DEFAULT_REVISIT_AFTER: Period = isodate.Duration(months=12)
DELIVERY_HOUR = time(10, 0)


def utc_now() -> datetime:
    """The current time, timezone-aware, in UTC: the default clock of every revisit part."""
    return datetime.now(UTC)


def parse_period(text: str | Period) -> Period:
    """An ISO 8601 duration (``P12M``, ``PT2S``) as a timedelta or an isodate.Duration."""
    if isinstance(text, str):
        period: Period = isodate.parse_duration(text)
        return period
    return text


def is_short(period: Period) -> bool:
    """True for a period under one day: such revisits are delivered on the dot."""
    if isinstance(period, isodate.Duration):
        if period.years or period.months:
            return False
        return bool(period.tdelta < timedelta(days=1))
    return bool(period < timedelta(days=1))


def needs_zone(period: Period) -> bool:
    """Whether the owner's zone matters for this period (it does not for exact, short ones)."""
    return not is_short(period)


def owner_zone(tz_name: str | None) -> ZoneInfo:
    """The owner's time zone from ``users.info``; UTC when unknown."""
    try:
        return ZoneInfo(tz_name) if tz_name else ZoneInfo("UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def delivery_time(on: date, tz_name: str | None) -> datetime:
    """10:00 in the owner's zone on a date, in UTC."""
    local = datetime.combine(on, DELIVERY_HOUR, tzinfo=owner_zone(tz_name))
    return local.astimezone(UTC)


def due_after(start: datetime, period: Period, tz_name: str | None) -> tuple[date, datetime]:
    """(revisit_on, due time in UTC) for a period counted from ``start`` (an aware datetime)."""
    zone = owner_zone(tz_name)
    if is_short(period):
        due: datetime = (start + period).astimezone(zone)
        return due.date(), due.astimezone(UTC)
    on: date = start.astimezone(zone).date() + period
    return on, delivery_time(on, tz_name)


def next_due(now: datetime, period: Period, tz_name: str | None) -> datetime:
    """When a snoozed or dismissed revisit comes back: ``period`` from now, in UTC."""
    return due_after(now, period, tz_name)[1]


def as_date(value: object) -> date | None:
    """A stored date (a date or an ISO string) as a date; None when missing or unreadable."""
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def completion_due(
    now: datetime,
    period: Period,
    tz_name: str | None,
    *,
    decided_on: object = None,
    revisit_on: object = None,
) -> datetime:
    """The first revisit of a just-completed assessment, in UTC.

    A short period is exact from ``now``. Otherwise the date is the record's ``revisit_on``
    (the store's ``decided_on + period``) and the hour is 10:00 in the owner's zone.
    """
    if is_short(period):
        return next_due(now, period, None)
    decided = as_date(decided_on) or now.date()
    on = as_date(revisit_on) or decided + period
    return delivery_time(on, tz_name)


def snooze_period(code: str, *, scale: float = 1.0, now: datetime | None = None) -> Period:
    """A snooze button's ISO 8601 code (P1W, P1M, P3M) as a period; ``scale`` shrinks it
    (end-to-end tests), measured from ``now`` so months keep their calendar length."""
    period: Period = isodate.parse_duration(code)
    if scale == 1.0:
        return period
    start = now or utc_now()
    scaled: timedelta = ((start + period) - start) * scale
    return scaled
