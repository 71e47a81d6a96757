"""Study days: the rollover hour in the learner's zone, DST days of 23 and 25 hours, intervals as read."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from hcflash.stats import study_day
from hcflash.timeutil import as_utc, format_interval, next_study_day_start, study_day_start

NY = ZoneInfo("America/New_York")


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_before_the_rollover_hour_is_still_yesterday():
    # 02:30 in New York (07:30 UTC, EST) with a 4 a.m. rollover belongs to the day that began at 04:00 the day before.
    assert study_day_start(utc(2026, 3, 3, 7, 30), 4, NY) == utc(2026, 3, 2, 9, 0)
    assert study_day_start(utc(2026, 3, 3, 9, 0), 4, NY) == utc(2026, 3, 3, 9, 0)


@pytest.mark.parametrize(
    ("moment", "hours"),
    [
        (utc(2026, 3, 7, 12, 0), 23),  # the study day that contains the spring-forward night
        (utc(2026, 10, 31, 12, 0), 25),  # the one that contains the fall-back night
        (utc(2026, 6, 1, 12, 0), 24),
    ],
)
def test_dst_study_days_are_23_or_25_hours(moment, hours):
    start = study_day_start(moment, 4, NY)
    assert next_study_day_start(moment, 4, NY) - start == timedelta(hours=hours)
    assert start.astimezone(NY).hour == 4


def test_study_day_names_the_local_date_of_its_rollover():
    assert study_day(utc(2026, 3, 3, 7, 30), 4, NY).isoformat() == "2026-03-02"


def test_naive_times_are_refused():
    with pytest.raises(ValueError):
        as_utc(datetime(2026, 1, 1))


@pytest.mark.parametrize(
    ("delta", "text"),
    [
        (timedelta(seconds=45), "45s"),
        (timedelta(minutes=10), "10m"),
        (timedelta(hours=3), "3h"),
        (timedelta(days=4), "4d"),
        (timedelta(days=63), "2.1mo"),
        (timedelta(days=475), "1.3y"),
        (timedelta(seconds=-5), "0s"),
    ],
)
def test_intervals_read_like_ankis(delta, text):
    assert format_interval(delta) == text
