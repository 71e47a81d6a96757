"""Numbers behind the stats screen: pure bucketing of review and due times into study days."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo

from hcflash.records import LoggedRating
from hcflash.timeutil import study_day_start


@dataclass(frozen=True)
class DayStat:
    day: date
    reviews: int
    passed: int  # of reviews of cards in the review state, how many were not Again
    review_state_reviews: int

    @property
    def retention(self) -> float | None:
        """True retention: share of mature-card reviews recalled, Anki's definition."""
        if not self.review_state_reviews:
            return None
        return self.passed / self.review_state_reviews


@dataclass(frozen=True)
class Stats:
    today: date
    days: tuple[DayStat, ...]  # the last 30 study days, oldest first
    forecast: tuple[int, ...]  # cards due on each of the next 30 study days; [0] includes overdue
    heatmap: dict[date, int]  # reviews per study day over the past year
    states: dict[str, int]

    @property
    def retention_30d(self) -> float | None:
        passed = sum(d.passed for d in self.days)
        total = sum(d.review_state_reviews for d in self.days)
        return passed / total if total else None


def study_day(moment: datetime, rollover_hour: int, tz: tzinfo | None) -> date:
    """The local calendar date a study day is named by (the date its rollover falls on)."""
    start = study_day_start(moment, rollover_hour, tz)
    local = start.astimezone(tz) if tz is not None else start.astimezone()
    return local.date()


def build_stats(
    now: datetime,
    rollover_hour: int,
    tz: tzinfo | None,
    reviews: list[LoggedRating],
    heat_times: list[datetime],
    due_times: list[datetime],
    states: dict[str, int],
) -> Stats:
    today = study_day(now, rollover_hour, tz)

    def day_of(moment: datetime) -> date:
        return study_day(moment, rollover_hour, tz)

    per_day: dict[date, list[int]] = {}
    for review in reviews:
        bucket = per_day.setdefault(day_of(review.reviewed_at), [0, 0, 0])
        bucket[0] += 1
        if review.state_before == "review":
            bucket[2] += 1
            bucket[1] += review.rating > 1
    days = tuple(
        DayStat(d, *per_day.get(d, [0, 0, 0]))
        for d in (today - timedelta(days=back) for back in range(29, -1, -1))
    )
    due_counts = Counter(max(0, (day_of(t) - today).days) for t in due_times)
    forecast = tuple(due_counts.get(offset, 0) for offset in range(30))
    heatmap = dict(Counter(day_of(t) for t in heat_times))
    return Stats(today, days, forecast, heatmap, states)


def stats_json(stats: Stats) -> dict[str, object]:
    """The numbers behind the stats screen, for scripts (`hcflash stats --json`)."""
    return {
        "today": stats.today.isoformat(),
        "last_30_days": [
            {"day": d.day.isoformat(), "reviews": d.reviews, "retention": d.retention} for d in stats.days
        ],
        "true_retention_30d": stats.retention_30d,
        "due_forecast_30d": list(stats.forecast),
        "reviews_past_year": {day.isoformat(): count for day, count in sorted(stats.heatmap.items())},
        "cards_by_state": stats.states,
    }
