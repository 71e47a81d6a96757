"""FSRS scheduling over `CardState` records: pure functions, no database.

Wraps `fsrs.Scheduler` so the rest of hcflash never touches fsrs types. The result of `preview`
is exactly what `rate` stores: fsrs fuzzes with the global random generator, so running the review
again at rating time could give a different interval than the one the learner was shown.

Time since the last review is counted in study days, as Anki counts it: fsrs alone counts 24-hour
periods, so two reviews ten minutes apart across the rollover hour would be "the same day" to fsrs
and "a day apart" to Anki, and the memory states would drift apart (`elapsed_study_days`).
"""

from __future__ import annotations

from datetime import datetime, timedelta

import fsrs

from hcflash.records import CardState, StateName
from hcflash.settings import Settings
from hcflash.timeutil import as_utc, next_study_day_start

RATINGS = (1, 2, 3, 4)
DEFAULT_PARAMETERS: tuple[float, ...] = tuple(fsrs.scheduler.DEFAULT_PARAMETERS)


_FSRS_STATE: dict[StateName, fsrs.State] = {
    "new": fsrs.State.Learning,
    "learning": fsrs.State.Learning,
    "review": fsrs.State.Review,
    "relearning": fsrs.State.Relearning,
}
_STATE_NAME: dict[fsrs.State, StateName] = {
    fsrs.State.Learning: "learning",
    fsrs.State.Review: "review",
    fsrs.State.Relearning: "relearning",
}


def make_scheduler(settings: Settings) -> fsrs.Scheduler:
    kwargs = {}
    if settings.fsrs_parameters:
        kwargs["parameters"] = settings.fsrs_parameters
    return fsrs.Scheduler(
        desired_retention=settings.desired_retention,
        learning_steps=settings.learning_deltas(),
        relearning_steps=settings.relearning_deltas(),
        maximum_interval=settings.maximum_interval,
        enable_fuzzing=settings.fuzz,
        **kwargs,
    )


def elapsed_study_days(last_review: datetime, now: datetime, settings: Settings) -> int:
    """Study days from `last_review` to `now`, exactly as Anki counts them for FSRS: whole 86,400-second
    periods between the last review and the end of the study day containing `now` (Anki's
    `next_day_at.elapsed_days_since(last_review_time)`). Reviews on one study day are 0 apart; a review
    at 03:50 and one at 04:10, across a 4 a.m. rollover, are 1 apart."""
    day_end = next_study_day_start(now, settings.rollover_hour, settings.tz)
    return max(0, (as_utc(day_end) - as_utc(last_review)) // timedelta(days=1))


def _fsrs_last_review(state: CardState, now: datetime, settings: Settings | None) -> datetime | None:
    """The last review as fsrs should see it: moved so that fsrs's 24-hour count gives the study days
    elapsed. Only the memory-state update reads it; the due date fsrs returns is `now` plus the interval."""
    if state.last_review is None or settings is None:
        return state.last_review
    return now - timedelta(days=elapsed_study_days(state.last_review, now, settings))


def _to_fsrs(state: CardState, now: datetime, settings: Settings | None = None) -> fsrs.Card:
    if state.state == "new":
        # card_id given explicitly: fsrs.Card() without one sleeps 1 ms to make a unique id.
        return fsrs.Card(card_id=state.card_id, state=fsrs.State.Learning, step=0, due=now)
    return fsrs.Card(
        card_id=state.card_id,
        state=_FSRS_STATE[state.state],
        step=state.step,
        stability=state.stability,
        difficulty=state.difficulty,
        due=state.due or now,
        last_review=_fsrs_last_review(state, now, settings),
    )


def review(
    scheduler: fsrs.Scheduler, state: CardState, rating: int, now: datetime, settings: Settings
) -> CardState:
    """The state after rating `state` at `now`; counts lapses and turns leeches into suspended cards."""
    if rating not in RATINGS:
        raise ValueError(f"rating must be 1-4, got {rating}")
    now = as_utc(now)
    if state.last_review is not None and now < state.last_review:
        # The clock moved backwards (a manual change, a VM resume): treat the review as happening
        # at the last review's moment rather than feeding FSRS a negative elapsed time.
        now = state.last_review
    card, _log = scheduler.review_card(_to_fsrs(state, now, settings), fsrs.Rating(rating), review_datetime=now)
    lapsed = state.state == "review" and rating == 1
    lapses = state.lapses + (1 if lapsed else 0)
    becomes_leech = lapsed and lapses >= settings.leech_threshold
    return CardState(
        card_id=state.card_id,
        state=_STATE_NAME[card.state],
        step=card.step,
        stability=card.stability,
        difficulty=card.difficulty,
        due=as_utc(card.due),
        last_review=now,
        reps=state.reps + 1,
        lapses=lapses,
        suspended=state.suspended or becomes_leech,
        buried_until=None,
        leech=state.leech or becomes_leech,
    )


def preview(
    scheduler: fsrs.Scheduler, state: CardState, now: datetime, settings: Settings
) -> dict[int, CardState]:
    """The state each of the four ratings would give, computed once so rating stores what was shown.

    Like Anki, the ratings that end in the review state keep Hard < Good < Easy, each at least a
    day longer than the one before (FSRS, and fuzz, can otherwise give Good and Easy the same day)."""
    outcomes = {rating: review(scheduler, state, rating, now, settings) for rating in RATINGS}
    return keep_intervals_apart(outcomes, settings.maximum_interval)


def keep_intervals_apart(outcomes: dict[int, CardState], maximum_interval: int) -> dict[int, CardState]:
    """Lengthen Good and Easy review intervals that tie with (or undercut) the rating before them."""
    ordered = dict(outcomes)
    previous_days: int | None = None
    for rating in (2, 3, 4):
        after = ordered[rating]
        if after.state != "review" or after.due is None or after.last_review is None:
            continue
        days = round((after.due - after.last_review) / timedelta(days=1))
        if previous_days is not None and days <= previous_days and previous_days < maximum_interval:
            days = previous_days + 1
            ordered[rating] = after.with_changes(due=after.last_review + timedelta(days=days))
        previous_days = days
    return ordered


def retrievability(scheduler: fsrs.Scheduler, state: CardState, now: datetime) -> float | None:
    if state.state == "new" or state.stability is None:
        return None
    return float(scheduler.get_card_retrievability(_to_fsrs(state, now), as_utc(now)))

