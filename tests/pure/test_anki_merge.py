"""The pure parts of `anki sync`: pairing reviews across the two logs, merging a card's history, and
a schedule in Anki's terms and back. Exact values, no database, no Anki."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from hcflash import schedule
from hcflash.anki.review_merge import AnkiCardNow, merge_card, millis, pair_reviews
from hcflash.anki.scheduling import DayFrame, anki_schedule, state_after_revlog
from hcflash.anki.view import AnkiRevlog
from hcflash.records import CardState, ReviewEntry
from hcflash.settings import Settings

SETTINGS = Settings(fuzz=False, timezone="UTC")  # rollover 4 a.m. UTC
T0 = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)
FRAME = DayFrame.of(T0 + timedelta(days=10), 500, SETTINGS)  # Anki's day 500 is 12 March 2026


def history(*ratings_and_offsets: tuple[int, timedelta]) -> list[ReviewEntry]:
    """hcflash's own reviews of card 1, rated at T0 + offset, each scheduled as hcflash would."""
    scheduler = schedule.make_scheduler(SETTINGS)
    state, entries = CardState(card_id=1), []
    for number, (rating, offset) in enumerate(ratings_and_offsets, start=1):
        after = schedule.review(scheduler, state, rating, T0 + offset, SETTINGS)
        entries.append(ReviewEntry(number, 1, rating, T0 + offset, 4000, state, after))
        state = after
    return entries


def revlog(at: datetime, ease: int, ivl: int, kind: int, revlog_id: int | None = None) -> AnkiRevlog:
    return AnkiRevlog(revlog_id or millis(at), 99, ease, ivl, kind, 5000)


def test_reviews_pair_by_stored_link_then_by_card_rating_and_time():
    entries = history((3, timedelta()), (3, timedelta(minutes=10)), (4, timedelta(days=2)))
    at = [millis(e.reviewed_at) for e in entries]
    anki = [revlog(entries[0].reviewed_at, 3, -600, 0), AnkiRevlog(at[1] + 2, 99, 3, 2, 0, 0), AnkiRevlog(at[2] + 3, 99, 1, -600, 1, 0)]
    pairing = pair_reviews(entries, anki, links={1: at[0]}, linked_revlog_ids={at[0]})
    assert pairing.links == ((2, at[1] + 2),)  # same rating, 2 ms apart: the same review
    assert pairing.to_anki == ((3, None),)  # Easy here, Again there: two reviews
    assert [r.id for r in pairing.from_anki] == [at[2] + 3]


def test_a_synced_review_missing_from_anki_is_sent_again_under_its_id():
    entries = history((3, timedelta()))
    pairing = pair_reviews(entries, [], links={1: 123}, linked_revlog_ids={123})
    assert pairing.to_anki == ((1, 123),)


def test_reviews_more_than_ten_milliseconds_apart_are_not_the_same():
    entries = history((3, timedelta()))
    pairing = pair_reviews(entries, [AnkiRevlog(millis(T0) + 11, 99, 3, -600, 0, 0)], links={}, linked_revlog_ids=set())
    assert len(pairing.to_anki) == 1 and len(pairing.from_anki) == 1 and not pairing.links


def test_hcflash_reviews_alone_set_the_anki_card_to_hcflashs_state():
    entries = history((3, timedelta()), (3, timedelta(minutes=10)))
    merge = merge_card(entries, entries[-1].after, [], True, None, FRAME, SETTINGS, schedule.make_scheduler(SETTINGS))
    assert merge.state is None and not merge.new_entries and merge.anki_state == entries[-1].after


def test_an_anki_review_after_hcflash_keeps_ankis_due_date_and_joins_the_log():
    entries = history((3, timedelta()), (3, timedelta(minutes=10)))  # graduated: due in two days
    at = T0 + timedelta(days=2, hours=1)
    anki_card = AnkiCardNow(type=2, queue=2, due=FRAME.anki_day(at) + 6, left=0, memory=(5.0, 2.0))
    merge = merge_card(entries, entries[-1].after, [revlog(at, 4, 6, 1)], False, anki_card, FRAME, SETTINGS, schedule.make_scheduler(SETTINGS))
    (entry, revlog_id), = merge.new_entries
    assert (entry.origin, entry.rating, entry.reviewed_at, revlog_id) == ("anki", 4, at, millis(at))
    assert merge.state.state == "review" and FRAME.anki_day(merge.state.due) == FRAME.anki_day(at) + 6  # Anki's 6 days
    assert merge.state.due - at == timedelta(days=6)  # at the time of day of the review
    assert entry.after == merge.state  # the log's last row is the card's state
    replayed = schedule.review(schedule.make_scheduler(SETTINGS), entries[-1].after, 4, at, SETTINGS)
    assert merge.state.stability == pytest.approx(replayed.stability)  # memory from the merged history
    assert merge.anki_state == merge.state  # Anki's memory (5.0) disagreed: it is set too


def test_an_anki_review_between_two_hcflash_reviews_is_replayed_in_time_order():
    entries = history((3, timedelta()), (3, timedelta(minutes=10)), (3, timedelta(days=2)))
    between = T0 + timedelta(days=1)
    merge = merge_card(entries, entries[-1].after, [revlog(between, 1, -600, 1)], True, None, FRAME, SETTINGS, schedule.make_scheduler(SETTINGS))
    (anki_entry, _), = merge.new_entries
    (rewritten,) = merge.rewritten  # hcflash's later review: new memory, the schedule the learner saw
    assert rewritten.id == 3 and rewritten.after.due == entries[2].after.due and rewritten.after.state == entries[2].after.state
    scheduler = schedule.make_scheduler(SETTINGS)
    lapsed = schedule.review(scheduler, entries[1].after, 1, between, SETTINGS)
    assert anki_entry.after.stability == pytest.approx(lapsed.stability)
    assert rewritten.after.stability == pytest.approx(schedule.review(scheduler, anki_entry.after, 3, entries[2].reviewed_at, SETTINGS).stability)
    assert (rewritten.after.reps, rewritten.after.lapses) == (4, 1)
    assert merge.state.due == entries[2].after.due and merge.anki_state == merge.state


def test_a_learning_step_after_the_card_left_learning_starts_its_memory_over_as_in_anki():
    entries = history((4, timedelta()), (3, timedelta(days=8)))  # a learning step, then a review
    later = T0 + timedelta(days=8, minutes=1)  # Anki, not knowing, took it as a new card
    merge = merge_card(entries, entries[-1].after, [revlog(later, 3, -600, 0)], False, None, FRAME, SETTINGS, schedule.make_scheduler(SETTINGS))
    (entry, _), = merge.new_entries
    assert entry.after.stability == pytest.approx(schedule.DEFAULT_PARAMETERS[2])  # Good's first stability, as if new
    assert entry.before.state == "learning"  # named as Anki's revlog names it


# -- days in Anki's numbers and back --------------------------------------------------------------


def test_a_due_moment_is_the_number_of_the_study_day_it_falls_in():
    assert FRAME.anki_day(datetime(2026, 3, 12, 3, 59, tzinfo=UTC)) == 499  # before the 4 a.m. rollover
    assert FRAME.anki_day(datetime(2026, 3, 12, 4, 0, tzinfo=UTC)) == 500
    moment = FRAME.moment_in(503, like=datetime(2026, 3, 1, 9, 30, tzinfo=UTC))
    assert moment == datetime(2026, 3, 15, 9, 30, tzinfo=UTC) and FRAME.anki_day(moment) == 503


def test_hcflash_states_in_ankis_columns():
    review = CardState(1, "review", None, 12.0, 5.0, T0 + timedelta(days=13), T0 + timedelta(days=9), 4, 0)
    plan = anki_schedule(review, FRAME, SETTINGS)
    assert (plan.type, plan.queue, plan.due, plan.ivl) == (2, 2, 503, 4)
    now = FRAME.now
    learning = CardState(1, "learning", 1, 2.3, 5.0, now + timedelta(minutes=10), now, 2, 0)
    plan = anki_schedule(learning, FRAME, SETTINGS)
    assert (plan.type, plan.queue, plan.due, plan.left) == (1, 1, int((now + timedelta(minutes=10)).timestamp()), 1)
    tomorrow = learning.with_changes(due=now + timedelta(days=1))
    assert anki_schedule(tomorrow, FRAME, SETTINGS).queue == 3  # a step into a later day: Anki's day-learning queue


def test_an_anki_answer_sets_the_interval_it_showed():
    state = CardState(1, "learning", 1, 2.3, 5.0, T0, T0, 1, 0)
    graduated = state_after_revlog(state, 3, 0, FRAME)
    assert (graduated.state, graduated.step, graduated.due) == ("review", None, T0 + timedelta(days=3))
    relearning = state_after_revlog(state.with_changes(state="review", step=None), -600, 1, FRAME)
    assert (relearning.state, relearning.step, relearning.due) == ("relearning", 0, T0 + timedelta(minutes=10))
