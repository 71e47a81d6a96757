"""Aware UTC times, the study-day boundary, and intervals as a learner reads them.

Every time hcflash handles is aware and UTC (the store's text form lives in `hcflash.store.codec`).
Day boundaries follow the learner's local rollover hour, as Anki's do, so "due today" means the
same thing at 1 a.m. as at 11 p.m.
"""

from __future__ import annotations

import os
from datetime import UTC, date, datetime, timedelta, tzinfo

from hcflash.errors import ConfigError


def utcnow() -> datetime:
    return datetime.now(UTC)


def as_utc(moment: datetime) -> datetime:
    """Normalize to `timezone.utc` exactly: fsrs rejects any other tzinfo, even ZoneInfo('UTC')."""
    if moment.tzinfo is None:
        raise ValueError(f"naive datetime {moment!r}: hcflash only handles aware times")
    return moment.astimezone(UTC)


def _machine_zone_error(exc: Exception) -> ConfigError:
    zone = os.environ.get("TZ")
    named = f" (TZ={zone!r})" if zone is not None else ""
    return ConfigError(
        f"this machine's time zone{named} cannot be used ({exc}); set TZ to a zone like America/New_York, "
        "or `hcflash config timezone America/New_York`"
    )


def _local(moment: datetime, tz: tzinfo | None) -> datetime:
    if tz is not None:
        return moment.astimezone(tz)
    try:
        return moment.astimezone()
    except (ValueError, OverflowError, OSError) as exc:
        raise _machine_zone_error(exc) from exc


def _at_local_hour(day: date, hour: int, tz: tzinfo | None) -> datetime:
    naive = datetime(day.year, day.month, day.day, hour)
    if tz is not None:
        return as_utc(naive.replace(tzinfo=tz))
    try:
        return as_utc(naive.astimezone())
    except (ValueError, OverflowError, OSError) as exc:
        raise _machine_zone_error(exc) from exc


def local_date(moment: datetime, tz: tzinfo | None = None) -> date:
    """The calendar date at `moment` in `tz` (None: the machine's zone, which must be usable)."""
    return _local(moment, tz).date()


def study_day_start(now: datetime, rollover_hour: int, tz: tzinfo | None = None) -> datetime:
    """UTC start of the study day containing `now`; `tz` None means the machine's local zone."""
    local = _local(now, tz)
    day = local.date()
    if local.hour < rollover_hour:
        day -= timedelta(days=1)
    return _at_local_hour(day, rollover_hour, tz)


def next_study_day_start(now: datetime, rollover_hour: int, tz: tzinfo | None = None) -> datetime:
    """UTC start of the next study day, from the local calendar so a DST day is 23 or 25 hours."""
    today = _local(study_day_start(now, rollover_hour, tz), tz).date()
    return _at_local_hour(today + timedelta(days=1), rollover_hour, tz)


def study_day_bounds(day: date, rollover_hour: int, tz: tzinfo | None = None) -> tuple[datetime, datetime]:
    """UTC start and end of the study day named by the local date `day` (it starts at the rollover)."""
    return _at_local_hour(day, rollover_hour, tz), _at_local_hour(day + timedelta(days=1), rollover_hour, tz)


def format_interval(delta: timedelta) -> str:
    """Anki-style short interval: 45s, 10m, 3h, 4d, 2.1mo, 1.3y."""
    seconds = max(0, delta.total_seconds())
    if seconds < 60:
        return f"{int(seconds)}s"
    minutes = seconds / 60
    if minutes < 60:
        return f"{round(minutes)}m"
    hours = minutes / 60
    if hours < 24:
        return f"{round(hours)}h"
    days = hours / 24
    if days < 30:
        return f"{round(days)}d"
    if days < 365:
        return f"{days / 30:.1f}mo"
    return f"{days / 365:.1f}y"
