"""Living decks: a fact that changed in the world comes back for relearning with its reason, a wording
fix keeps the schedule, a closed validity window retires a card (history kept) until it reopens,
an upcoming rule is marked, and the bundled decks can be copied for editing without losing history."""

from __future__ import annotations

from datetime import date, timedelta

from click.testing import CliRunner

from hcflash.cli import main
from hcflash.tui.app import HcflashApp

from .conftest import write_deck

DECK = """---
deck: Rules::IHE
id-prefix: r
---

## Which transaction feeds care services to an mCSD Directory? <!-- id: r-feed -->

ITI-91.

Source: IHE mCSD, 2:3.91

## What does XDS.b register? <!-- id: r-xds -->

Document metadata.

Source: IHE ITI TF-1, 10
"""


def studied(service, key: str) -> int:
    """Rate a new card Easy, so it is a review card due days from now; returns its id."""
    card_id = service.store.cards.by_key(key).id
    service.rate(card_id, 4)
    return card_id


def edit(deck_dir, old: str, new: str) -> None:
    path = deck_dir / "r.md"
    path.write_text(path.read_text().replace(old, new))


def test_a_fact_change_sends_studied_cards_back_to_relearning_with_its_reason(service, deck_dir, clock):
    write_deck(deck_dir, "r.md", DECK)
    service.sync()
    card_id = studied(service, "r-feed")
    clock.advance(days=3)
    edit(deck_dir, "ITI-91.\n", "ITI-130, Care Services Feed (mCSD 4.0.0).\n")
    edit(deck_dir, "Source: IHE mCSD, 2:3.91\n", "Source: IHE mCSD, 2:3.91\nChange: fact 2026-03-04 mCSD 4.0.0 added ITI-130 for feeds\n")
    report = service.sync()
    assert (report.changed, report.facts) == (1, 1)
    state = service.store.states.get(card_id)
    assert (state.state, state.due) == ("relearning", service.now())  # due now, memory kept
    assert state.stability is not None
    # No review row records the move to relearning; `hcflash doctor` must not "repair" it away.
    assert service.doctor(fix=True).healthy
    assert service.store.states.get(card_id) == state
    card = service.next_card()
    assert card.id == card_id and card.fact_change.reason == "mCSD 4.0.0 added ITI-130 for feeds"
    assert service.details.content_change(card_id).answer == "-ITI-91.\n+ITI-130, Care Services Feed (mCSD 4.0.0)."
    assert service.fact_changes_waiting() == 1
    service.rate(card_id, 3)
    assert service.fact_changes_waiting() == 0
    # The same Change: line on the next sync is old news: a later edit is a plain edit.
    edit(deck_dir, "(mCSD 4.0.0)", "(mCSD 4.0.0, May 2025)")
    assert service.sync().facts == 0


def test_a_wording_fix_keeps_the_schedule_and_says_nothing(service, deck_dir, clock):
    write_deck(deck_dir, "r.md", DECK)
    service.sync()
    card_id = studied(service, "r-xds")
    before = service.store.states.get(card_id)
    edit(deck_dir, "Document metadata.\n", "The metadata of documents.\n")
    edit(deck_dir, "Source: IHE ITI TF-1, 10\n", "Source: IHE ITI TF-1, 10\nChange: wording 2026-03-02\n")
    assert service.sync().changed == 1
    assert service.store.states.get(card_id) == before
    assert service.review_card(card_id).edited_since_review is False


def test_an_edit_without_a_kind_still_asks_at_the_next_review(service, deck_dir, clock):
    write_deck(deck_dir, "r.md", DECK)
    service.sync()
    card_id = studied(service, "r-xds")
    clock.advance(hours=1)
    edit(deck_dir, "Document metadata.\n", "The metadata of documents.\n")
    service.sync()
    card = service.review_card(card_id)
    assert card.edited_since_review and card.fact_change is None


def test_a_closed_window_retires_the_card_with_its_history_until_it_reopens(service, deck_dir, clock):
    write_deck(deck_dir, "r.md", DECK.replace("Source: IHE mCSD, 2:3.91\n", "Source: IHE mCSD, 2:3.91\nValid-until: 2026-03-05\n"))
    service.sync()
    card_id = studied(service, "r-feed")
    clock.advance(days=5)  # 2026-03-07: the window closed on the 5th
    assert service.sync().expired == 1  # no file changed: windows close on their day all the same
    card = service.store.cards.get(card_id)
    assert card.retired_at is not None and card.retire_reason == "expired"
    assert len(service.store.log.of_card(card_id)) == 1
    assert card_id not in [c.id for c in service.browse()]
    assert [(c.key, c.kind) for c in service.changes()] == [("r-feed", "expired")]
    edit(deck_dir, "Valid-until: 2026-03-05", "Valid-until: 2027-12-31")
    report = service.sync()
    assert report.revived == 1
    assert service.store.cards.get(card_id).retired_at is None and len(service.store.log.of_card(card_id)) == 1


def test_an_upcoming_rule_is_studied_and_marked(service, deck_dir, clock):
    future = (clock.now.date() + timedelta(days=400)).isoformat()
    write_deck(deck_dir, "r.md", DECK.replace("Source: IHE mCSD, 2:3.91\n", f"Source: IHE mCSD, 2:3.91\nValid-from: {future}\n"))
    service.sync()
    card = service.next_card()
    assert card.key == "r-feed" and card.upcoming == date.fromisoformat(future)


async def test_the_review_screen_says_upcoming_and_gives_the_reason_only_after_the_reveal(service, deck_dir, clock):
    future = (clock.now.date() + timedelta(days=400)).isoformat()
    write_deck(deck_dir, "r.md", DECK.replace("Source: IHE ITI TF-1, 10\n", f"Source: IHE ITI TF-1, 10\nValid-from: {future}\n"))
    service.sync()
    card_id = studied(service, "r-feed")
    clock.advance(days=3)
    edit(deck_dir, "ITI-91.\n", "ITI-130.\n")
    edit(deck_dir, "Source: IHE mCSD, 2:3.91\n", "Source: IHE mCSD, 2:3.91\nChange: fact 2026-03-04 mCSD 4.0.0 added ITI-130\n")
    service.sync()
    app = HcflashApp(service, start_review=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.screen.card.id == card_id
        notice = str(app.screen.query_one("#notice").render())
        assert "A fact on this card changed on March 4, 2026" in notice and "ITI-130" not in notice
        await pilot.press("space")
        notice = str(app.screen.query_one("#notice").render())
        assert "mCSD 4.0.0 added ITI-130" in notice and "-ITI-91." in notice and "+ITI-130." in notice
        await pilot.press("3")
        await pilot.pause()
        assert app.screen.card.key == "r-xds"
        assert "Upcoming: this takes effect on" in str(app.screen.query_one("#notice").render())


def test_decks_copy_keeps_every_review(tmp_path, monkeypatch):
    from hcflash import locations

    bundled = tmp_path / "bundled"
    write_deck(bundled, "healthcare-interop/r.md", DECK)
    monkeypatch.setattr(locations, "bundled_decks_dir", lambda: bundled)
    monkeypatch.setattr("hcflash.service.bundled_decks_dir", lambda: bundled)
    db = str(tmp_path / "s.db")
    runner = CliRunner()
    assert runner.invoke(main, ["--db", db, "review", "--plain"], input="\n4\n\n4\n", catch_exceptions=False).exit_code == 0
    copy = tmp_path / "fork" / "decks"
    result = runner.invoke(main, ["--db", db, "decks", "copy", str(copy)], catch_exceptions=False)
    assert result.exit_code == 0 and "2 card(s) now read from there" in result.output
    assert (copy / "healthcare-interop" / "r.md").read_text() == (bundled / "healthcare-interop" / "r.md").read_text()
    from hcflash.store import Store

    with Store.open(tmp_path / "s.db") as store:
        assert store.log.count() == 2
        assert all(str(copy) in store.cards.by_key(key).file for key in ("r-feed", "r-xds"))
    again = runner.invoke(main, ["--db", db, "decks", "copy", str(copy)])
    assert again.exit_code == 1 and "is not an empty folder" in again.output


def test_flags_as_markdown_and_the_changes_command(service, tmp_path, deck_dir):
    write_deck(deck_dir, "r.md", DECK)
    db = str(tmp_path / "store.db")
    base = ["--db", db, "--decks", str(deck_dir)]
    runner = CliRunner()
    runner.invoke(main, [*base, "sync"], catch_exceptions=False)
    from hcflash.service import StudyService
    from hcflash.store import Store

    with Store.open(tmp_path / "store.db") as store:
        other = StudyService(store, [deck_dir])
        other.flag(store.cards.by_key("r-xds").id, "XDS.b registers metadata, and documents go to a repository")
    out = runner.invoke(main, [*base, "flags", "--markdown"], catch_exceptions=False).output
    assert "### Card `r-xds` looks wrong" in out and "- **Source:** IHE ITI TF-1, 10" in out
    assert "repository" in out and "- **Where:** `decks/r.md:12` (Rules::IHE)" in out
    changed = runner.invoke(main, [*base, "changes"], catch_exceptions=False).output
    assert "New cards: 2" in changed
