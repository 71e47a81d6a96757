"""The review loop: queue order, daily limits, preview = stored result, undo, bury, suspend, leeches."""

from __future__ import annotations

import sqlite3

import pytest

from hcflash.errors import ReviewError
from hcflash.settings import Settings

from .conftest import basic_cards, write_deck


def study(service, rating=3):
    card = service.next_card()
    assert card is not None
    service.rate(card.id, rating)
    return card


def test_new_cards_come_in_deck_order(service, deck_dir):
    write_deck(deck_dir, "a.md", basic_cards("a", 3))
    service.sync()
    seen = []
    for _ in range(3):
        card = service.next_card()
        seen.append(card.key)
        service.rate(card.id, 4)  # Easy graduates at once: the card leaves today's queue
    assert seen == ["a-q1", "a-q2", "a-q3"]
    assert service.next_card() is None


def test_learning_cards_due_now_come_before_reviews_and_new_cards(service, deck_dir, clock):
    write_deck(deck_dir, "a.md", basic_cards("a", 3))
    service.sync()
    first = study(service, 1)  # Again: due again in one minute
    second = service.next_card()
    assert second.key == "a-q2"  # first is not due yet; learn-ahead only when nothing else is left
    clock.advance(minutes=2)
    assert service.next_card().id == first.id


def test_review_cards_due_today_come_before_new_cards(service, deck_dir, clock):
    write_deck(deck_dir, "a.md", basic_cards("a", 5))
    service.sync()
    graduated = study(service, 4)
    due = service.store.states.get(graduated.id).due
    clock.now = due
    card = service.next_card()
    assert card.id == graduated.id and card.state.state == "review"


def test_daily_new_limit_and_rollover_at_4am_local(service, deck_dir, clock):
    service.set_setting("new-per-day", "2")
    write_deck(deck_dir, "a.md", basic_cards("a", 5))
    service.sync()
    study(service, 4)
    study(service, 4)
    assert service.queue_counts().new == 0
    assert service.next_card() is None
    clock.now = clock.now.replace(hour=8, minute=59) + __import__("datetime").timedelta(days=1)  # 3:59 New York
    assert service.queue_counts().new == 0
    clock.advance(minutes=2)  # 4:01 New York: a new study day
    assert service.queue_counts().new == 2


def test_daily_review_limit(service, deck_dir, clock):
    write_deck(deck_dir, "a.md", basic_cards("a", 3))
    service.sync()
    ids = [study(service, 4).id for _ in range(3)]
    service.set_setting("reviews-per-day", "1")
    clock.advance(days=60)
    assert service.queue_counts().review == 1
    card = service.next_card()
    assert card.id in ids
    service.rate(card.id, 3)
    assert service.queue_counts().review == 0 and service.next_card() is None


def test_the_stored_result_is_exactly_the_previewed_one_even_with_fuzz(service, deck_dir, clock):
    service.save_settings(Settings(timezone="America/New_York", fuzz=True))
    write_deck(deck_dir, "a.md", basic_cards("a", 8))
    service.sync()
    for _ in range(8):
        card = service.next_card()
        service.rate(card.id, 4)
    clock.advance(days=30)
    for rating in (1, 2, 3, 4, 3, 2, 4, 3):
        card = service.next_card()
        if card is None:
            break
        previews = service.preview(card.id)
        service.rate(card.id, rating)
        assert service.store.states.get(card.id) == previews[rating].state


def test_preview_labels_look_like_anki(service, deck_dir):
    write_deck(deck_dir, "a.md", basic_cards("a", 1))
    service.sync()
    card = service.next_card()
    labels = [p.label for p in service.preview(card.id).values()]
    assert labels[0] == "Again 1m" and labels[2] == "Good 10m"
    assert labels[3].startswith("Easy ") and labels[3].endswith("d")


def test_each_rating_is_committed_before_rate_returns(service, deck_dir, store):
    write_deck(deck_dir, "a.md", basic_cards("a", 1))
    service.sync()
    card = service.next_card()
    service.rate(card.id, 3, duration_ms=4200)
    other = sqlite3.connect(store.path)
    row = other.execute("SELECT card_id, rating, duration_ms FROM review_log").fetchone()
    state = other.execute("SELECT state FROM card_state WHERE card_id = ?", [card.id]).fetchone()
    other.close()
    assert row == (card.id, 3, 4200) and state == ("learning",)


def test_undo_restores_the_state_and_removes_the_log_entry(service, deck_dir, store):
    write_deck(deck_dir, "a.md", basic_cards("a", 2))
    service.sync()
    first = study(service, 3)
    second = study(service, 4)
    assert store.log.count() == 2
    assert service.undo() == second.id
    assert store.states.get(second.id).state == "new" and store.log.count() == 1
    assert service.undo() == first.id
    assert store.states.get(first.id).state == "new" and store.log.count() == 0
    assert service.next_card().id == first.id
    with pytest.raises(ReviewError):
        service.undo()


def test_buried_cards_wait_for_the_next_study_day(service, deck_dir, clock):
    write_deck(deck_dir, "a.md", basic_cards("a", 2))
    service.sync()
    card = service.next_card()
    service.bury(card.id)
    assert service.next_card().key == "a-q2"
    clock.advance(days=1)
    assert service.next_card().id == card.id


def test_suspended_cards_leave_the_queue_until_unsuspended(service, deck_dir):
    write_deck(deck_dir, "a.md", basic_cards("a", 1))
    service.sync()
    card = service.next_card()
    service.suspend(card.id)
    assert service.next_card() is None
    service.unsuspend(card.id)
    assert service.next_card().id == card.id


def test_a_card_is_suspended_and_tagged_as_a_leech_at_eight_lapses(service, deck_dir, clock):
    write_deck(deck_dir, "a.md", basic_cards("a", 1))
    service.sync()
    card = study(service, 4)
    for lapse in range(1, 9):
        state = service.store.states.get(card.id)
        clock.now = state.due
        assert service.next_card().id == card.id
        service.rate(card.id, 1)  # lapse
        while (state := service.store.states.get(card.id)).state == "relearning":
            clock.now = state.due
            service.rate(card.id, 3)
        assert service.store.states.get(card.id).lapses == lapse
        assert service.store.states.get(card.id).suspended == (lapse >= 8)
    assert "leech" in service.review_card(card.id).tags


def test_deck_filter_includes_sub_decks(service, deck_dir):
    write_deck(deck_dir, "a.md", basic_cards("a", 1, deck="Top::A"))
    write_deck(deck_dir, "b.md", basic_cards("b", 1, deck="Top::A::Deep"))
    write_deck(deck_dir, "c.md", basic_cards("c", 1, deck="Other"))
    service.sync()
    assert service.queue_counts(["Top::A"]).new == 2
    counts = {d.name: d.new for d in service.deck_counts()}
    assert counts == {"Other": 1, "Top": 2, "Top::A": 2, "Top::A::Deep": 1}


def test_card_info_reports_history_and_memory_state(service, deck_dir, clock):
    write_deck(deck_dir, "a.md", basic_cards("a", 1))
    service.sync()
    card = study(service, 4)
    clock.advance(days=2)
    info = service.card_info(card.id)
    assert [e.rating for e in info.history] == [4]
    assert info.state.stability > 0 and 0 < info.retrievability < 1
