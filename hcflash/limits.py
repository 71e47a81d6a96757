"""The study day and its daily limits: when today starts and ends, and how many new cards and
reviews are left today.

Today's usage is read from the review log once per study day and then kept up to date as ratings
are given and undone, so showing the next card costs no scan of the log.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from hcflash.records import ReviewEntry
from hcflash.timeutil import next_study_day_start, study_day_start

if TYPE_CHECKING:
    from hcflash.service import StudyService


class DailyLimits:
    def __init__(self, col: StudyService) -> None:
        self.col = col
        self._usage: tuple[datetime, int, int] | None = None  # (study day start, new seen, reviews done)

    def day_bounds(self, now: datetime | None = None) -> tuple[datetime, datetime]:
        now = now or self.col.now()
        s = self.col.settings
        return study_day_start(now, s.rollover_hour, s.tz), next_study_day_start(now, s.rollover_hour, s.tz)

    def remaining(self, day_start: datetime) -> tuple[int, int]:
        """(new cards, reviews) still allowed in the study day starting at `day_start`."""
        if self._usage is None or self._usage[0] != day_start:
            self._usage = (day_start, *self.col.store.queue.studied_since(day_start))
        _, new_done, reviews_done = self._usage
        s = self.col.settings
        return max(0, s.new_per_day - new_done), max(0, s.reviews_per_day - reviews_done)

    def count(self, entry: ReviewEntry, sign: int) -> None:
        """Count a rating given (+1) or taken back (-1) against today's usage."""
        if self._usage is None or entry.reviewed_at < self._usage[0]:
            return
        day_start, new_done, reviews_done = self._usage
        new_done += sign * (entry.before.state == "new")
        reviews_done += sign * (entry.before.state == "review")
        self._usage = (day_start, new_done, reviews_done)

    def forget(self) -> None:
        """Read today's usage from the log again (settings, a restore or an import changed it)."""
        self._usage = None
