"""History that follows cards: renames and splits with `Replaces:`, merges, and the changed-card diff."""

from __future__ import annotations

from .conftest import write_deck

CARD = "## {q} <!-- id: {id} -->\n\n{a}\n\nSource: IHE ITI TF-1, section 5\n{extra}"


def card(q, id, a="Answer.", extra=""):
    return CARD.format(q=q, id=id, a=a, extra=extra)


def reviewed(service, key, ratings=(3, 4)):
    stored = service.store.cards.by_key(key)
    for rating in ratings:
        service.preview(stored.id)
        service.rate(stored.id, rating)
    return stored.id


def test_renaming_an_id_with_replaces_carries_history_and_state(service, deck_dir):
    path = write_deck(deck_dir, "a.md", card("What is PIX?", "x-pix"))
    service.sync()
    old_id = reviewed(service, "x-pix")
    old_state = service.store.states.get(old_id)

    path.write_text(card("What is PIX?", "x-pix-profile", extra="Replaces: x-pix\n"))
    report = service.sync()
    assert (report.added, report.retired, report.carried) == (1, 1, 1)
    new = service.store.cards.by_key("x-pix-profile")
    assert [e.rating for e in service.store.log.of_card(new.id)] == [3, 4]
    assert service.store.states.get(new.id) == old_state.with_changes(card_id=new.id)
    again = service.sync()
    assert again.carried == 0 and len(service.store.log.of_card(new.id)) == 2


def test_splitting_a_card_gives_both_halves_the_history(service, deck_dir):
    path = write_deck(deck_dir, "a.md", card("What do PIX and PDQ do?", "x-pix-pdq"))
    service.sync()
    reviewed(service, "x-pix-pdq", (4,))
    path.write_text(
        card("What does PIX do?", "x-pix", extra="Replaces: x-pix-pdq\n")
        + "\n" + card("What does PDQ do?", "x-pdq", extra="Replaces: x-pix-pdq\n")
    )
    report = service.sync()
    assert report.carried == 2
    for key in ("x-pix", "x-pdq"):
        new = service.store.cards.by_key(key)
        assert [e.rating for e in service.store.log.of_card(new.id)] == [4]
        assert service.store.states.get(new.id).state == "review"


def test_merging_two_cards_keeps_both_histories_and_the_freshest_state(service, deck_dir, clock):
    path = write_deck(deck_dir, "a.md", card("PIX?", "x-pix") + "\n" + card("PDQ?", "x-pdq"))
    service.sync()
    reviewed(service, "x-pix", (3,))
    clock.advance(hours=2)
    pdq = reviewed(service, "x-pdq", (4,))
    path.write_text(card("PIX and PDQ?", "x-pix-pdq", extra="Replaces: x-pix, x-pdq\n"))
    service.sync()
    merged = service.store.cards.by_key("x-pix-pdq")
    assert sorted(e.rating for e in service.store.log.of_card(merged.id)) == [3, 4]
    assert service.store.states.get(merged.id) == service.store.states.get(pdq).with_changes(card_id=merged.id)


def test_a_material_edit_shows_a_diff_and_the_card_can_be_reset(service, deck_dir, clock):
    path = write_deck(deck_dir, "a.md", card("Which ITI transaction is the PIX Query?", "x-q", a="ITI-8."))
    service.sync()
    card_id = reviewed(service, "x-q", (4,))
    assert service.card_change(card_id) is None
    clock.advance(minutes=5)
    path.write_text(card("Which ITI transaction is the PIX Query?", "x-q", a="ITI-9."))
    service.sync()
    assert service.review_card(card_id).edited_since_review
    assert service.card_change(card_id) == "-ITI-8.\n+ITI-9."
    service.reset(card_id)
    assert service.store.states.get(card_id).state == "new"
    assert len(service.store.log.of_card(card_id)) == 1  # history kept


def test_flags_are_listed_with_path_and_line(service, deck_dir):
    write_deck(deck_dir, "a.md", "Intro.\n\n" + card("What is PIX?", "x-pix"))
    service.sync()
    card_id = service.store.cards.by_key("x-pix").id
    service.flag(card_id, "  ITI-9 is the query, not ITI-8  ")
    [flag] = service.open_flags()
    assert flag.file.endswith("a.md") and flag.line == 3
    assert flag.note == "ITI-9 is the query, not ITI-8"


def test_a_rename_that_goes_back_keeps_the_reviews_done_under_the_other_name(service, deck_dir, clock):
    path = write_deck(deck_dir, "a.md", card("What is PIX?", "x-a"))
    service.sync()
    reviewed(service, "x-a", (3, 4))
    path.write_text(card("What is PIX?", "x-b", extra="Replaces: x-a\n"))
    service.sync()
    clock.advance(days=30)
    b = reviewed(service, "x-b", (1, 3))
    b_state = service.store.states.get(b)
    path.write_text(card("What is PIX?", "x-a", extra="Replaces: x-b\n"))
    report = service.sync()
    assert (report.revived, report.carried) == (1, 1)
    a = service.store.cards.by_key("x-a")
    assert [e.rating for e in service.store.log.of_card(a.id)] == [3, 4, 1, 3], "each review once, the ones under x-b included"
    assert service.store.states.get(a.id) == b_state.with_changes(card_id=a.id)
    assert service.sync().carried == 0 and len(service.store.log.of_card(a.id)) == 4


def test_replacing_a_card_that_stays_in_the_decks_is_refused_and_copies_nothing(service, deck_dir):
    from hcflash.errors import DeckError

    path = write_deck(deck_dir, "a.md", card("PIX?", "x-pix"))
    service.sync()
    reviewed(service, "x-pix", (3, 4, 4))
    before = service.store.log.count()
    path.write_text(card("PIX?", "x-pix") + "\n" + card("PIX, again?", "x-new", extra="Replaces: x-pix\n"))
    try:
        service.sync()
        raise AssertionError("the sync went through")
    except DeckError as err:
        assert [(i.code, i.line) for i in err.issues] == [("HC114", 7)]
    assert service.store.log.count() == before and service.store.cards.by_key("x-new") is None


def test_replaces_of_an_id_the_store_never_held_is_a_warning(service, deck_dir):
    write_deck(deck_dir, "a.md", card("PIX?", "x-pix"))
    service.sync()
    write_deck(deck_dir, "b.md", card("PDQ?", "x-pdq", extra="Replaces: x-typo\n"))
    report = service.sync()
    assert report.added == 1 and [(w.code, w.line, w.severity) for w in report.warnings] == [("HC115", 1, "warning")]
