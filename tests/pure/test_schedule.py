"""FSRS through hcflash's wrapper, with exact values and no store (py-fsrs style).

FSRS-6's default initial stabilities are w[0..3] = 0.212, 1.2931, 2.3065, 8.2956 days; with fuzz off
and desired retention 0.90 an interval equals the stability, rounded to whole days."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import fsrs
import pytest

from hcflash import schedule
from hcflash.records import CardState
from hcflash.settings import Settings

T0 = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)
SETTINGS = Settings(fuzz=False)  # learning steps 1m 10m, relearning 10m, leech at 8 lapses


@pytest.fixture
def scheduler() -> fsrs.Scheduler:
    return schedule.make_scheduler(SETTINGS)


def test_defaults_are_fsrs_6():
    assert schedule.DEFAULT_PARAMETERS[:4] == (0.212, 1.2931, 2.3065, 8.2956)


@pytest.mark.parametrize(
    ("rating", "state", "step", "wait", "stability"),
    [
        (1, "learning", 0, timedelta(minutes=1), 0.212),  # Again: the first learning step
        (2, "learning", 0, timedelta(minutes=5, seconds=30), 1.2931),  # Hard: between the two steps
        (3, "learning", 1, timedelta(minutes=10), 2.3065),  # Good: the second step
        (4, "review", None, timedelta(days=8), 8.2956),  # Easy: graduates at once
    ],
)
def test_a_new_card_after_each_rating(scheduler, rating, state, step, wait, stability):
    after = schedule.review(scheduler, CardState(card_id=1), rating, T0, SETTINGS)
    assert (after.state, after.step, after.due - T0) == (state, step, wait)
    assert after.stability == pytest.approx(stability)
    assert (after.reps, after.lapses, after.last_review) == (1, 0, T0)


def test_good_through_the_learning_steps_graduates_to_two_days(scheduler):
    first = schedule.review(scheduler, CardState(card_id=1), 3, T0, SETTINGS)
    second = schedule.review(scheduler, first, 3, first.due, SETTINGS)
    assert (second.state, second.due - first.due, second.reps) == ("review", timedelta(days=2), 2)


def test_again_on_a_review_card_is_a_lapse_into_relearning(scheduler):
    card = schedule.review(scheduler, CardState(card_id=1), 4, T0, SETTINGS)
    lapsed = schedule.review(scheduler, card, 1, card.due, SETTINGS)
    assert (lapsed.state, lapsed.due - card.due, lapsed.lapses) == ("relearning", timedelta(minutes=10), 1)
    assert lapsed.stability < card.stability


def test_the_eighth_lapse_makes_a_suspended_leech(scheduler):
    card = CardState(card_id=1, state="review", stability=5.0, difficulty=5.0, due=T0, last_review=T0 - timedelta(days=5), lapses=7, reps=20)
    after = schedule.review(scheduler, card, 1, T0, SETTINGS)
    assert (after.lapses, after.leech, after.suspended) == (8, True, True)


def test_a_clock_that_went_backwards_reviews_at_the_last_review(scheduler):
    card = schedule.review(scheduler, CardState(card_id=1), 3, T0, SETTINGS)
    earlier = T0 - timedelta(hours=3)
    after = schedule.review(scheduler, card, 3, earlier, SETTINGS)
    assert after.last_review == T0


def test_preview_is_each_rating_reviewed_and_the_wrapper_matches_fsrs(scheduler):
    previews = schedule.preview(scheduler, CardState(card_id=1), T0, SETTINGS)
    for rating in schedule.RATINGS:
        card, _ = scheduler.review_card(fsrs.Card(card_id=1, due=T0), fsrs.Rating(rating), review_datetime=T0)
        assert previews[rating].due == card.due and previews[rating].stability == card.stability


def test_retrievability_is_none_for_new_cards_and_falls_with_time(scheduler):
    assert schedule.retrievability(scheduler, CardState(card_id=1), T0) is None
    card = schedule.review(scheduler, CardState(card_id=1), 4, T0, SETTINGS)
    at_due = schedule.retrievability(scheduler, card, card.due)
    later = schedule.retrievability(scheduler, card, card.due + timedelta(days=30))
    assert at_due == pytest.approx(0.9, abs=0.01) and later < at_due


def test_a_rating_outside_one_to_four_is_refused(scheduler):
    with pytest.raises(ValueError):
        schedule.review(scheduler, CardState(card_id=1), 5, T0, SETTINGS)


def test_review_previews_keep_hard_good_easy_at_least_a_day_apart(scheduler):
    # A card learned yesterday (one study day ago): FSRS alone may give Hard and Good the same interval.
    learned = schedule.review(scheduler, CardState(card_id=1), 3, T0, SETTINGS)
    learned = schedule.review(scheduler, learned, 3, learned.due, SETTINGS)
    low = learned.with_changes(stability=0.1, due=T0 + timedelta(days=1))
    raw = {r: schedule.review(scheduler, low, r, T0 + timedelta(days=1), SETTINGS) for r in schedule.RATINGS}
    days = {r: (raw[r].due - raw[r].last_review).days for r in (2, 3, 4)}
    assert days[2] == days[3] == 2  # the tie a learner saw: "Hard 2d · Good 2d"
    previews = schedule.preview(scheduler, low, T0 + timedelta(days=1), SETTINGS)
    shown = [(previews[r].due - previews[r].last_review).days for r in (2, 3, 4)]
    assert shown[0] < shown[1] < shown[2]
    assert all(previews[r].stability == raw[r].stability for r in schedule.RATINGS)  # memory is FSRS's own


def test_learning_cards_that_graduate_on_good_and_easy_do_not_tie(scheduler):
    first = schedule.review(scheduler, CardState(card_id=1), 3, T0, SETTINGS)
    previews = schedule.preview(scheduler, first, first.due, SETTINGS)
    good, easy = (previews[r].due - previews[r].last_review for r in (3, 4))
    assert previews[3].state == previews[4].state == "review" and good < easy


def test_intervals_at_the_maximum_may_tie():
    capped = Settings(fuzz=False, maximum_interval=2)
    scheduler = schedule.make_scheduler(capped)
    card = CardState(card_id=1, state="review", stability=50.0, difficulty=5.0, due=T0, last_review=T0 - timedelta(days=2), reps=3)
    previews = schedule.preview(scheduler, card, T0, capped)
    assert {(previews[r].due - T0).days for r in (3, 4)} == {2}


# -- elapsed time in study days, as Anki counts it ---------------------------------------------

NEW_YORK = Settings(fuzz=False, timezone="America/New_York")  # rollover 4 a.m. local


def local(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=NEW_YORK.tz).astimezone(UTC)


@pytest.mark.parametrize(
    ("last", "now", "days"),
    [
        ("2026-03-02 03:50", "2026-03-02 04:10", 1),  # twenty minutes, across the rollover hour
        ("2026-03-02 04:10", "2026-03-03 03:50", 0),  # almost 24 hours, one study day
        ("2026-03-02 09:00", "2026-03-03 08:00", 1),  # 23 hours, two study days
        ("2026-03-02 09:00", "2026-03-05 05:00", 3),
    ],
)
def test_elapsed_time_is_counted_in_study_days_in_the_learners_zone(last, now, days):
    assert schedule.elapsed_study_days(local(last), local(now), NEW_YORK) == days


def test_a_review_across_the_rollover_hour_is_a_day_later_for_fsrs():
    scheduler = schedule.make_scheduler(NEW_YORK)
    learned = schedule.review(scheduler, CardState(card_id=1), 3, local("2026-03-02 03:40"), NEW_YORK)
    same_day = schedule.review(scheduler, learned, 3, local("2026-03-02 03:55"), NEW_YORK)
    next_day = schedule.review(scheduler, learned, 3, local("2026-03-02 04:05"), NEW_YORK)
    # Fifteen and twenty-five minutes later: fsrs alone would count both as the same day.
    assert same_day.stability == pytest.approx(scheduler._short_term_stability(stability=learned.stability, rating=fsrs.Rating.Good))
    assert next_day.stability > same_day.stability
    assert next_day.due - local("2026-03-02 04:05") == timedelta(days=round(next_day.stability))  # due is now + interval
