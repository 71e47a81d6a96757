"""Stats from logged ratings, exact: reviews per study day, true retention, the due forecast, the heatmap."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from hcflash.records import LoggedRating
from hcflash.stats import build_stats

NY = ZoneInfo("America/New_York")
NOW = datetime(2026, 3, 10, 15, 0, tzinfo=UTC)  # 11:00 in New York


def test_true_retention_counts_only_review_state_cards_and_days_bucket_by_study_day():
    reviews = [
        LoggedRating(NOW - timedelta(hours=1), 3, "review"),
        LoggedRating(NOW - timedelta(hours=2), 1, "review"),
        LoggedRating(NOW - timedelta(hours=3), 1, "new"),  # learning a new card is not a lapse
        LoggedRating(datetime(2026, 3, 10, 7, 30, tzinfo=UTC), 4, "review"),  # 03:30 local: yesterday's study day
    ]
    stats = build_stats(NOW, 4, NY, reviews, heat_times=[r.reviewed_at for r in reviews], due_times=[], states={"new": 3})
    today, yesterday = stats.days[-1], stats.days[-2]
    assert (today.reviews, today.passed, today.review_state_reviews) == (3, 1, 2)
    assert (yesterday.reviews, yesterday.retention) == (1, 1.0)
    assert stats.retention_30d == 2 / 3
    assert len(stats.days) == 30 and stats.today.isoformat() == "2026-03-10"
    assert stats.heatmap == {stats.today: 3, yesterday.day: 1}


def test_the_forecast_puts_overdue_cards_on_today():
    due = [NOW - timedelta(days=3), NOW + timedelta(hours=1), NOW + timedelta(days=1), NOW + timedelta(days=2, hours=1)]
    stats = build_stats(NOW, 4, NY, [], [], due, {})
    assert stats.forecast[:4] == (2, 1, 1, 0)
    assert stats.retention_30d is None
