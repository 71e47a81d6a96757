"""The daily loop at Anki's level: sibling order and burying, undo of any action, per-deck limits
with presets and parent caps, and "study more today"."""

from __future__ import annotations

import pytest

from hcflash.errors import ConfigError, ReviewError
from hcflash.records import CustomStudy
from hcflash.settings import add_today, set_preset, use_preset

from .conftest import basic_cards, write_deck

SIBLINGS = """---
deck: Test::Siblings
id-prefix: sib
---

## PIX uses {{c1::ITI-8}} to feed, {{c2::ITI-9}} to query and {{c3::ITI-10}} to notify. <!-- id: sib-pix -->

Source: IHE ITI TF-1, 5

## XDS.b <!-- id: sib-xds -->

Cross-enterprise document sharing.

Source: IHE ITI TF-1, 10
Reverse: yes

## What does PDQ query? <!-- id: sib-pdq -->

Demographics.

Source: IHE ITI TF-1, 8
"""


def keys_seen_today(service, rating=4):
    """Study until nothing is left today; the keys in the order shown."""
    seen = []
    while (card := service.next_card()) is not None:
        seen.append(card.key)
        service.rate(card.id, rating)
    return seen


def test_every_notes_first_card_comes_before_any_second_card_and_siblings_wait_a_day(service, deck_dir, clock):
    write_deck(deck_dir, "s.md", SIBLINGS)
    service.sync()
    assert keys_seen_today(service) == ["sib-pix#c1", "sib-xds", "sib-pdq"]
    buried = service.store.states.get(service.store.cards.by_key("sib-pix#c2").id).buried_until
    assert buried == service.day_bounds()[1]  # until the next study day starts
    clock.advance(days=1)
    assert keys_seen_today(service) == ["sib-pix#c2", "sib-xds#reverse"]  # one sibling per note per day
    clock.advance(days=1)
    assert keys_seen_today(service) == ["sib-pix#c3"]


def test_burying_can_be_turned_off_for_new_siblings(service, deck_dir):
    service.set_setting("bury-new", "off")
    write_deck(deck_dir, "s.md", SIBLINGS)
    service.sync()
    # Card type, then order gathered: first cards, then second cards, then third.
    assert keys_seen_today(service) == ["sib-pix#c1", "sib-xds", "sib-pdq", "sib-pix#c2", "sib-xds#reverse", "sib-pix#c3"]


def test_undo_takes_back_any_action_latest_first(service, deck_dir):
    write_deck(deck_dir, "a.md", basic_cards("a", 4))
    service.sync()
    states = service.store.states
    a = service.next_card()
    service.rate(a.id, 3)
    b = service.next_card()
    service.bury(b.id)
    c = service.next_card()
    service.suspend(c.id)
    d = service.next_card()
    service.flag(d.id, "looks wrong")
    service.reset(a.id)
    assert [service.review.undo().action for _ in range(2)] == ["reset", "flag"]
    assert service.open_flags() == [] and states.get(a.id).state == "learning"
    assert service.review.undo().action == "suspend" and not states.get(c.id).suspended
    assert service.undo() == b.id and states.get(b.id).buried_until is None
    assert service.undo() == a.id and states.get(a.id).state == "new" and service.store.log.count() == 0
    with pytest.raises(ReviewError):
        service.undo()


def test_undoing_a_rating_unburies_the_siblings_it_buried(service, deck_dir):
    write_deck(deck_dir, "s.md", SIBLINGS)
    service.sync()
    card = service.next_card()
    service.rate(card.id, 3)
    c2 = service.store.cards.by_key("sib-pix#c2").id
    assert service.store.states.get(c2).buried_until is not None
    service.undo()
    assert service.store.states.get(c2).buried_until is None


def test_each_deck_has_its_own_daily_limit_and_the_selected_deck_caps_the_session(service, deck_dir):
    service.set_setting("new-per-day", "3")
    write_deck(deck_dir, "a.md", basic_cards("a", 10, deck="Top::A"))
    write_deck(deck_dir, "b.md", basic_cards("b", 10, deck="Top::B"))
    service.sync()
    assert len(keys_seen_today(service)) == 3  # "study all" is capped by the Default preset: 3
    counts = {d.name: d.new for d in service.deck_counts()}
    assert counts == {"Top": 0, "Top::A": 0, "Top::B": 3}  # A gave its 3; B still has its own 3
    assert service.next_card(["Top::B"]).deck == "Top::B"


def test_a_preset_limits_its_deck_and_a_parent_caps_its_children(service, deck_dir):
    write_deck(deck_dir, "a.md", basic_cards("a", 10, deck="Top::A"))
    write_deck(deck_dir, "b.md", basic_cards("b", 10, deck="Top::B"))
    service.sync()
    settings = set_preset(service.settings, "Light", new_per_day=2, reviews_per_day=50)
    settings = use_preset(settings, "Top::A", "Light")
    settings = use_preset(set_preset(settings, "Parent", new_per_day=5, reviews_per_day=50), "Top", "Parent")
    service.save_settings(settings)
    assert service.queue_counts(["Top"]).new == 5  # A gives at most 2, B the rest, Top caps at 5
    seen = []
    while (card := service.next_card(["Top"])) is not None:
        seen.append(card.deck)
        service.rate(card.id, 4)
    assert seen.count("Top::A") == 2 and len(seen) == 5
    assert service.queue_counts(["Top::B"]).new == 7  # studying B alone: all it has left; Top's limit does not apply


def test_presets_refuse_unknown_names_and_bad_numbers(service):
    with pytest.raises(ConfigError, match="no preset named 'Nope'; known: Default"):
        use_preset(service.settings, "Top", "Nope")
    with pytest.raises(ConfigError, match="outside 0..9999"):
        set_preset(service.settings, "Light", new_per_day=-1, reviews_per_day=None)


def test_study_more_today_raises_the_new_limit_for_today_only(service, deck_dir, clock):
    service.set_setting("new-per-day", "2")
    write_deck(deck_dir, "a.md", basic_cards("a", 10, deck="Top::A"))
    service.sync()
    assert len(keys_seen_today(service)) == 2
    day = service.limits.day_name(service.day_bounds()[0])
    service.save_settings(add_today(service.settings, "", day, new=3))
    assert len(keys_seen_today(service)) == 3
    clock.advance(days=1)
    assert service.queue_counts().new == 2  # tomorrow the plain limit again


def test_review_ahead_and_forgotten_reschedule_but_cram_changes_nothing(service, deck_dir, clock):
    write_deck(deck_dir, "a.md", basic_cards("a", 3))
    service.sync()
    keys_seen_today(service, rating=4)  # three cards graduate, due in about a week
    clock.advance(days=1)
    assert service.next_card() is None
    assert service.review.start_custom(CustomStudy("ahead", days=10)) == 3
    first = service.next_card()
    before = service.store.states.get(first.id)
    service.rate(first.id, 3)
    assert service.store.states.get(first.id).last_review > before.last_review
    service.review.end_custom()

    logged = service.store.log.count()
    snapshot = service.store.states.all()
    assert service.review.start_custom(CustomStudy("cram")) == 3
    shown = []
    while (card := service.next_card()) is not None:
        shown.append(card.key)
        service.rate(card.id, 1 if len(shown) == 1 else 3)  # Again once: the card comes back at the end
    assert len(shown) == 4 and shown[0] == shown[-1]
    assert service.store.log.count() == logged and service.store.states.all() == snapshot
    service.review.end_custom()

    clock.advance(days=30)
    lapsed = service.next_card()
    service.rate(lapsed.id, 1)
    clock.advance(days=1)
    assert service.review.start_custom(CustomStudy("forgotten", days=7)) == 1
    assert service.next_card().id == lapsed.id


def test_nothing_due_names_the_decks_that_still_have_cards(service, deck_dir):
    write_deck(deck_dir, "a.md", basic_cards("a", 1, deck="Top::A"))
    write_deck(deck_dir, "b.md", basic_cards("b", 2, deck="Top::B"))
    service.sync()
    while (card := service.next_card(["Top::A"])) is not None:
        service.rate(card.id, 4)
    assert [(d.name, d.new) for d in service.decks.waiting_elsewhere(["Top::A"])] == [("Top::B", 2)]


def test_held_back_counts_what_the_limit_keeps_for_tomorrow(service, deck_dir):
    service.set_setting("new-per-day", "1")
    write_deck(deck_dir, "a.md", basic_cards("a", 4))
    service.sync()
    keys_seen_today(service)
    assert service.decks.held_back(None) == (3, 0)
    assert service.next_card() is None


def test_a_card_left_open_counts_sixty_seconds(service, deck_dir, clock):
    write_deck(deck_dir, "a.md", basic_cards("a", 1))
    service.sync()
    card = service.next_card()
    clock.advance(minutes=5)
    assert service.rate(card.id, 3).duration_ms == 60_000
