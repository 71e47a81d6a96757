"""The review session keeps its queue in memory (`hcflash/queue_memory.py`): these check that what
it shows is what the store itself would choose, that other processes' changes are seen, and that
the write-ahead log's upkeep beside the session loses nothing."""

from __future__ import annotations

import json
import random
import shutil
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from hcflash.locations import bundled_decks_dir
from hcflash.records import CardState, QueueCounts, ReviewCard
from hcflash.service import StudyService
from hcflash.settings import Settings
from hcflash.store import Store, wal
from hcflash.store.codec import snapshot, state_row
from hcflash.store.wal import FRAME_HEADER, HEADER, SPARE_FRAMES

from .conftest import FakeClock, basic_cards, write_deck


@contextmanager
def session_over(tmp_path, deck_dir, cards: int) -> Iterator[tuple[Path, FakeClock, Store, StudyService]]:
    """A synced session over `cards` basic cards on a fake clock: the store's path, the clock, the
    store and the service."""
    write_deck(deck_dir, "a.md", basic_cards("a", cards))
    db, clock = tmp_path / "store.db", FakeClock()
    with Store.open(db) as store:
        service = StudyService(store, [deck_dir], clock=clock)
        service.sync()
        yield db, clock, store, service


def fresh_choice(db, clock) -> tuple[ReviewCard | None, QueueCounts]:
    """The card and the header's counts a brand-new session on its own connection would show now:
    the queue, the card and the counts read from SQL."""
    with Store.open(db) as store:
        fresh = StudyService(store, [bundled_decks_dir()], clock=clock)
        return fresh.next_card(), fresh.queue_counts()


def test_a_long_session_shows_exactly_what_the_store_would_choose_at_every_step(tmp_path):
    """Over the bundled decks, with ratings of every kind (Again puts cards back in relearning),
    burying of siblings, undo, a bury and a suspend, and study days that end: after every action the
    session's next card is the one a fresh session reading the store would show, down to its
    state and text (the session read it ahead, at the reveal of the card before), and so are the
    header's counts (the learning count comes from the memory too)."""
    db, clock = tmp_path / "store.db", FakeClock()
    rng = random.Random(17)
    with Store.open(db) as store:
        service = StudyService(store, [bundled_decks_dir()], clock=clock)
        service.save_settings(Settings(timezone="America/New_York", new_per_day=40))
        service.sync()
        shown = []
        for step in range(300):
            card = service.next_card()
            assert (card, service.queue_counts()) == fresh_choice(db, clock), f"step {step}"
            if card is None:
                clock.advance(days=1)
                continue
            shown.append(card.key)
            service.preview(card.id)
            roll = rng.random()
            if roll < 0.05:
                service.bury(card.id)
            elif roll < 0.08:
                service.suspend(card.id)
            else:
                service.rate(card.id, rng.choice([1, 1, 2, 3, 3, 4]))
            if rng.random() < 0.05:
                service.undo()
            clock.advance(seconds=rng.choice([5, 20, 90, 400, 3600]))
            if step % 50 == 49:
                clock.advance(days=1)  # burials end, learning cards fall due, a new day's limits
        assert len(set(shown)) > 40 and len(shown) > len(set(shown))  # many cards, and cards that came back
        assert store.log.count() > 200


def test_a_card_another_process_suspends_is_not_shown(tmp_path, deck_dir):
    write_deck(deck_dir, "a.md", basic_cards("a", 5))
    db, clock = tmp_path / "store.db", FakeClock()
    one = StudyService(Store.open(db), [deck_dir], clock=clock)
    one.sync()
    first = one.next_card()
    one.preview(first.id)
    one.rate(first.id, 4)  # the session's memory now holds the queue
    expected = fresh_choice_keys(db, clock, deck_dir)
    with Store.open(db) as other:
        other.states.set_flags(other.cards.by_key(expected).id, suspended=True)
    after = one.next_card()
    assert after is not None and after.key != expected
    assert after.key == fresh_choice_keys(db, clock, deck_dir)
    one.store.close()


def fresh_choice_keys(db, clock, deck_dir) -> str:
    with Store.open(db) as store:
        return StudyService(store, [deck_dir], clock=clock).next_card().key


def test_a_rating_and_the_next_card_write_once_and_read_nothing(tmp_path, deck_dir):
    """The memory's point, pinned: in a session's steady state a rating and the next card cost the
    write transaction (with its one stamp check) and a stamp check, nothing more; the card to show
    was read at the reveal of the card before, while the learner read its answer."""
    with session_over(tmp_path, deck_dir, 30) as (db, clock, store, service):
        card = service.next_card()
        for _ in range(3):  # the first ratings read the queue's heads
            service.preview(card.id)
            service.rate(card.id, 4)
            card = service.next_card()
        at_reveal: list[str] = []
        store.db.conn.set_trace_callback(at_reveal.append)
        service.preview(card.id)
        statements: list[str] = []
        store.db.conn.set_trace_callback(statements.append)
        service.rate(card.id, 4)
        shown = service.next_card()
        store.db.conn.set_trace_callback(None)
    verbs = [s.split()[0].upper() for s in statements]
    # The rating's stamp check inside its transaction; the next card's stamp check.
    assert verbs == ["BEGIN", "PRAGMA", "INSERT", "UPDATE", "COMMIT", "PRAGMA"], statements
    assert shown is not None and shown.id != card.id
    assert any(s.startswith("SELECT") and f"c.id = {shown.id}" in s for s in at_reveal), at_reveal


def test_the_log_is_kept_beside_the_ratings_and_a_copy_taken_mid_session_keeps_every_rating(
    tmp_path, deck_dir, monkeypatch,
):
    """The store's upkeep runs on threads beside the session, as the review screen runs it at each
    reveal: the log file is grown with zeros past its last frame before the first rating, and a
    checkpoint copies the log into the database file once the log holds CHECKPOINT_FRAMES frames
    (lowered here, so that a short session reaches it). Ratings go on meanwhile, the session's
    memory is not emptied by it, and a crash image (the store and its log copied while the session
    is open) recovers every committed rating and passes SQLite's check."""
    monkeypatch.setattr(wal, "CHECKPOINT_FRAMES", 100)
    log = tmp_path / "store.db-wal"
    ratings, checkpointed_at = 40, []
    with session_over(tmp_path, deck_dir, 60) as (db, clock, store, service):
        page = store.db.conn.execute("PRAGMA page_size").fetchone()[0]
        reads = []
        for number in range(ratings):
            card = service.next_card()
            service.preview(card.id)
            frames = wal.wal_frames(db)
            job = service.upkeep()
            if job is not None:
                thread = threading.Thread(target=job)
                thread.start()
                if number == 0:
                    thread.join()  # the grown log, checked before the first rating
                    assert log.stat().st_size >= HEADER + (100 + SPARE_FRAMES) * (FRAME_HEADER + page)
                else:
                    checkpointed_at.append((number, frames))
            service.rate(card.id, 3)
            if job is not None:
                thread.join()
            clock.advance(seconds=30)
            if checkpointed_at:
                store.db.conn.set_trace_callback(reads.append)
                service.next_card()
                store.db.conn.set_trace_callback(None)
        # Checkpoints came when the log reached its threshold, not before, and not on every card.
        assert checkpointed_at and all(frames >= 100 for _, frames in checkpointed_at)
        assert len(checkpointed_at) < ratings // 4
        # After a checkpoint the queue's heads were not read again: the memory held through it.
        assert reads and not [s for s in reads if "ORDER BY" in s], reads
        in_file = sqlite3.connect(f"file:{db}?immutable=1", uri=True)  # the database file alone, no log
        try:
            assert in_file.execute("SELECT COUNT(*) FROM review_log").fetchone()[0] >= checkpointed_at[0][0]
        finally:
            in_file.close()
        crash = tmp_path / "crash"
        crash.mkdir()
        shutil.copy(db, crash / "store.db")
        shutil.copy(log, crash / "store.db-wal")
    conn = sqlite3.connect(crash / "store.db")
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT COUNT(*) FROM review_log").fetchone()[0] == ratings
    finally:
        conn.close()


def test_the_log_frames_read_from_the_wal_index_are_sqlites_own_count(tmp_path, deck_dir):
    """`wal_frames` reads the wal-index header (SQLite's documented WAL format) to time the
    checkpoints: it must agree with the count SQLite itself reports."""
    with session_over(tmp_path, deck_dir, 10) as (db, clock, store, service):
        for _ in range(5):
            card = service.next_card()
            service.rate(card.id, 3)
        frames = wal.wal_frames(db)
        other = sqlite3.connect(db)
        try:
            busy, in_log, copied = other.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        finally:
            other.close()
        assert (busy, frames) == (0, in_log) and in_log > 0 and copied == in_log
        service.rate(service.next_card().id, 3)  # the log starts again from its first frame
        assert 0 < wal.wal_frames(db) < in_log
    assert wal.wal_frames(tmp_path / "missing.db") is None


times = st.one_of(st.none(), st.datetimes(
    min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC),
).map(lambda t: t.astimezone(UTC)))
numbers = st.one_of(st.none(), st.floats(allow_nan=True, allow_infinity=True), st.integers(-5, 10**6))


@given(
    card_id=st.integers(1, 2**62), state=st.sampled_from(["new", "learning", "review", "relearning"]),
    step=st.one_of(st.none(), st.integers(0, 9)), stability=numbers, difficulty=numbers, due=times,
    last_review=times, reps=st.integers(0, 10**6), lapses=st.integers(0, 10**4), suspended=st.booleans(),
    buried_until=times, leech=st.booleans(),
)
def test_the_log_snapshot_is_the_json_the_json_module_writes(**fields):
    state = CardState(**fields)
    text = snapshot(state)
    assert text == json.dumps(state_row(state))
    assert json.loads(text)["card_id"] == state.card_id


def test_a_mid_day_burial_ends_while_the_session_is_open(tmp_path, deck_dir):
    """Burials are compared with the clock when a card is chosen: a card buried until an hour from
    now comes back in the same session once that hour has passed."""
    with session_over(tmp_path, deck_dir, 2) as (db, clock, store, service):
        first = service.next_card()
        assert service.next_card().id == first.id  # the memory holds the queue now
        with Store.open(db) as other:
            other.states.set_flags(first.id, buried_until=clock.now + timedelta(hours=1))
        assert service.next_card().id != first.id
        clock.advance(hours=1, seconds=1)
        assert service.next_card().id == first.id


def test_the_learning_count_leaves_out_a_buried_card_until_its_burial_ends(tmp_path, deck_dir):
    """The header's learning count comes from the memory's whole learning queue: a learning card
    buried until an hour from now is not counted, and is counted again once that hour has passed,
    as SQL counts it."""
    with session_over(tmp_path, deck_dir, 3) as (db, clock, store, service):
        card = service.next_card()
        service.preview(card.id)
        service.rate(card.id, 1)  # Again: a learning card, due within the learn-ahead window
        assert service.queue_counts().learning == 1
        with Store.open(db) as other:
            other.states.set_flags(card.id, buried_until=clock.now + timedelta(hours=1))
        assert service.queue_counts().learning == 0
        service.next_card()  # the memory reads the queue again, burial and all
        clock.advance(minutes=30)
        assert service.queue_counts().learning == 0 == fresh_counts(db, clock, deck_dir).learning
        clock.advance(minutes=31)
        assert service.queue_counts().learning == 1 == fresh_counts(db, clock, deck_dir).learning


def fresh_counts(db, clock, deck_dir) -> QueueCounts:
    with Store.open(db) as store:
        return StudyService(store, [deck_dir], clock=clock).queue_counts()


def test_the_upkeep_never_creates_a_store_that_is_gone(tmp_path):
    """A job handed out before the store was moved away (a restore, a learner's `mv`) finds nothing
    to tend: it must not leave a new, empty database at the old path."""
    for grow in (True, False):
        wal.tend(tmp_path / "gone.db", grow=grow)
    assert list(tmp_path.iterdir()) == []
