"""Times and dates as the store writes them: UTC in one fixed-width ISO form, so that string order
is time order (the due-queue index relies on it), and calendar dates as YYYY-MM-DD. Imports nothing
heavy: the shell-prompt status uses it too."""

from __future__ import annotations

from datetime import date, datetime

from hcflash.timeutil import as_utc


def to_db(moment: datetime | None) -> str | None:
    """Fixed-width UTC ISO text, so that string order is time order (the due-queue index relies on it)."""
    if moment is None:
        return None
    return as_utc(moment).isoformat(timespec="microseconds")


def from_db(text: str | None) -> datetime | None:
    if text is None:
        return None
    return as_utc(datetime.fromisoformat(text))


def date_to_db(day: date | None) -> str | None:
    return day.isoformat() if day is not None else None


def date_from_db(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None
