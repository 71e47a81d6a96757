"""Parity with Anki's own FSRS: for the same review history, hcflash's stability and difficulty agree
with what Anki computes from its revlog (`compute_memory_state`) within 0.5%, in zones other than UTC
and for reviews minutes apart across the rollover hour. Each zone runs in a child process whose time
zone is set from the start (Anki reads it once per process); the machine's own zone is covered by the
three-round test in test_anki_sync.py."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

pytest.importorskip("anki")

from .anki_world import World, anki_cards_by_key, close, run_in_zone  # noqa: E402
from .conftest import FakeClock, basic_cards, write_deck  # noqa: E402

# (days before today, local time, rating): learning steps on one day, reviews days apart, a lapse and
# its relearning, and reviews twenty minutes apart across the 4 a.m. rollover.
ACROSS_ROLLOVER = [(30, "03:30", 3), (30, "03:41", 3), (29, "03:50", 3), (29, "04:10", 3), (25, "03:55", 1),
                   (25, "04:06", 3), (18, "23:50", 2), (17, "04:20", 3), (6, "03:59", 4)]
AWAY_FROM_ROLLOVER = [(30, "09:00", 3), (30, "09:11", 3), (28, "23:30", 3), (27, "06:30", 3), (20, "13:00", 1),
                      (20, "13:12", 3), (19, "01:00", 2), (12, "22:45", 3), (2, "07:15", 4)]


HISTORIES = {"across": ACROSS_ROLLOVER, "away": AWAY_FROM_ROLLOVER}


def test_memory_states_agree_with_ankis_own_fsrs_in_kolkata_across_the_rollover_hour(tmp_path):
    run_in_zone(same_history_same_memory, "Asia/Kolkata", tmp_path, "across")


def test_memory_states_agree_with_ankis_own_fsrs_in_new_york(tmp_path):
    # Kept an hour and more from the rollover: Anki counts past days from today's rollover in today's
    # UTC offset, so across a daylight-saving change it moves that boundary by an hour for old reviews.
    run_in_zone(same_history_same_memory, "America/New_York", tmp_path, "away")


def same_history_same_memory(tmp_path: Path, zone: str, history_name: str) -> None:
    """Two cards with one history, rated in hcflash, synced to a fresh collection: Anki's FSRS,
    recomputing from the revlog, finds the memory state hcflash holds."""
    history = HISTORIES[history_name]
    decks = tmp_path / "decks"
    write_deck(decks, "one.md", basic_cards("p", 2, deck="Interop::Parity"))
    world = World(tmp_path, decks, zone, 4)
    world.create()
    today = datetime.now(ZoneInfo(zone)).date()
    clock = FakeClock()
    with world.hcflash(clock=clock) as service:
        for card_key in ("p-q1", "p-q2"):
            card_id = service.store.cards.by_key(card_key).id
            for days_ago, at, rating in history:
                local = datetime.combine(today - timedelta(days=days_ago), datetime.strptime(at, "%H:%M").time(), ZoneInfo(zone))
                clock.now = local.astimezone(UTC) + timedelta(seconds=7 if card_key == "p-q2" else 0)
                service.rate(card_id, rating)
    world.sync()
    with world.hcflash() as service, world.anki() as col:
        ids = anki_cards_by_key(col)
        for card_key in ("p-q1", "p-q2"):
            state = service.store.states.get(service.store.cards.by_key(card_key).id)
            computed = col.compute_memory_state(ids[card_key])
            assert close(state.stability, computed.stability), (state.stability, computed.stability)
            assert close(state.difficulty, computed.difficulty), (state.difficulty, computed.difficulty)
