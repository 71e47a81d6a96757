"""Sync: decks → store in one transaction; edits, moves and removals never lose history."""

from __future__ import annotations

import os
import sqlite3

import pytest

from hcflash.browse import browse
from hcflash.errors import DeckError, StoreError
from hcflash.store import Store
from hcflash.store.sync_writes import SyncWriter

from .conftest import basic_cards, write_deck


def review_rows(store: Store) -> list[tuple]:
    return store.db.execute("SELECT card_id, rating, reviewed_at FROM review_log ORDER BY id").fetchall()


def snapshot(store: Store) -> dict[str, list[tuple]]:
    tables = ["decks", "deck_files", "cards", "card_state", "review_log"]
    return {t: store.db.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall() for t in tables}


def test_first_sync_adds_every_card_and_a_second_reads_nothing(service, deck_dir):
    write_deck(deck_dir, "a.md", basic_cards("a", 3))
    write_deck(deck_dir, "sub/b.md", basic_cards("b", 2, deck="Test::Other"))
    report = service.sync()
    assert (report.added, report.files_parsed) == (5, 2)
    again = service.sync()
    assert again.nothing_changed
    assert (again.files_parsed, again.files_skipped, again.unchanged) == (0, 2, 5)


def test_new_cards_arrive_in_file_order_new_in_the_change_log_and_found_by_search(service, store, deck_dir):
    """A sync writes its new cards a table at a time (so the search index takes them in at once,
    not card by card): each card in file order, new, with its sibling rank, its line in the change
    log (expired for a card whose window closed before it arrived), and found by a search."""
    write_deck(deck_dir, "a.md", """
        ---
        deck: Test::Deck
        id-prefix: n
        ---

        ## Which profile finds care services in a directory? <!-- id: n-dir -->

        Mobile care services discovery.

        Source: IHE ITI TF-1, 46
        Reverse: yes

        ## The {{c1::Observation}} resource and the {{c2::Encounter}} resource <!-- id: n-res -->

        Source: FHIR R4

        ## A rule long gone <!-- id: n-old -->

        Withdrawn.

        Source: a rule
        Valid-until: 2025-01-01
    """)
    assert service.sync().added == 5
    rows = store.db.execute(
        "SELECT c.id, c.note_id, c.kind, c.ord, s.state, s.sibling_rank, c.retire_reason FROM cards c "
        "JOIN card_state s ON s.card_id = c.id ORDER BY c.id"
    ).fetchall()
    assert [row[1:] for row in rows] == [
        ("n-dir", "basic", 0, "new", 0, None),
        ("n-dir", "reverse", 0, "new", 1, None),
        ("n-res", "cloze", 1, "new", 0, None),
        ("n-res", "cloze", 2, "new", 1, None),
        ("n-old", "basic", 0, "new", 0, "expired"),
    ]
    changes = store.db.execute("SELECT card_id, kind, reason, changed_on FROM deck_changes ORDER BY id").fetchall()
    ids = [row[0] for row in rows]
    assert changes == [(i, "added", "", None) for i in ids[:4]] + [(ids[4], "expired", "", None)]
    assert [row.id for row in browse(store, "directory")] == ids[:2]
    assert [row.id for row in browse(store, "encount")] == ids[2:4]  # a prefix, as the browser types it


def test_touching_a_file_without_editing_it_changes_nothing(service, deck_dir):
    path = write_deck(deck_dir, "a.md", basic_cards("a", 2))
    service.sync()
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 5_000_000_000))
    report = service.sync()
    assert report.nothing_changed and report.files_parsed == 0
    assert service.sync().files_skipped == 1


def test_editing_a_question_keeps_the_card_its_schedule_and_history(service, store, deck_dir, clock):
    path = write_deck(deck_dir, "a.md", basic_cards("a", 2))
    service.sync()
    card = service.next_card()
    service.preview(card.id)
    service.rate(card.id, 3)
    state_before = store.states.get(card.id)
    clock.advance(hours=1)

    path.write_text(path.read_text().replace("Question 1?", "Reworded question 1?"))
    report = service.sync()

    assert (report.changed, report.added, report.retired) == (1, 0, 0)
    stored = store.cards.by_key("a-q1")
    assert stored.id == card.id and stored.question == "Reworded question 1?"
    assert store.states.get(card.id) == state_before
    assert len(store.log.of_card(card.id)) == 1
    assert service.review_card(card.id).edited_since_review


def test_removed_cards_are_retired_and_return_with_their_history(service, store, deck_dir):
    path = write_deck(deck_dir, "a.md", basic_cards("a", 2))
    service.sync()
    first = service.next_card()
    service.rate(first.id, 4)
    original = path.read_text()

    path.write_text(basic_cards("a", 2).split("## Question 1?")[0] + "## Question 2?" + original.split("## Question 2?")[1])
    report = service.sync()
    assert report.retired == 1
    assert store.cards.by_key("a-q1").retired_at is not None
    assert store.cards.count() == 1

    path.write_text(original)
    report = service.sync()
    assert report.revived == 1
    revived = store.cards.by_key("a-q1")
    assert revived.retired_at is None and revived.id == first.id
    assert [e.rating for e in store.log.of_card(first.id)] == [4]


def test_moving_a_card_to_another_file_and_deck_keeps_its_history(service, store, deck_dir):
    write_deck(deck_dir, "a.md", basic_cards("a", 2))
    service.sync()
    card = service.next_card()
    service.rate(card.id, 3)
    text_a = basic_cards("a", 2)
    block = "## Question 1? <!-- id: a-q1 -->\n\nAnswer 1.\n\nSource: Spec section 1\n"
    write_deck(deck_dir, "a.md", text_a.replace(block, ""))
    write_deck(deck_dir, "elsewhere.md", "---\ndeck: Test::Elsewhere\n---\n" + block)
    report = service.sync()
    assert (report.moved, report.added, report.retired) == (1, 0, 0)
    moved = store.cards.by_key("a-q1")
    assert moved.id == card.id and moved.deck == "Test::Elsewhere" and moved.file.endswith("elsewhere.md")
    assert len(store.log.of_card(card.id)) == 1


def test_a_malformed_deck_reports_path_and_line_and_changes_nothing(service, store, deck_dir):
    good = write_deck(deck_dir, "a.md", basic_cards("a", 2))
    service.sync()
    card = service.next_card()
    service.rate(card.id, 3)
    before = snapshot(store)

    good.write_text(good.read_text().replace("Answer 2.", "Edited answer 2."))
    write_deck(deck_dir, "bad.md", "## Fine <!-- id: bad-ok -->\n\nA\n\nSource: s\n\n## Broken <!-- id: bad-x -->\n\nNo source here.\n")
    with pytest.raises(DeckError) as err:
        service.sync()
    issue = err.value.issues[0]
    assert issue.path.name == "bad.md" and issue.line == 7 and issue.code == "HC122"
    assert "bad.md:7" in str(err.value)
    assert snapshot(store) == before


def test_an_id_used_in_two_files_is_refused(service, store, deck_dir):
    write_deck(deck_dir, "a.md", basic_cards("a", 1))
    service.sync()
    write_deck(deck_dir, "b.md", "## Copy <!-- id: a-q1 -->\n\nA\n\nSource: IHE ITI TF-1, 5\n")
    before = snapshot(store)
    with pytest.raises(DeckError) as err:
        service.sync()
    assert err.value.issues[0].code == "HC113"
    assert "a.md:6" in err.value.issues[0].message
    assert snapshot(store) == before


def test_a_failure_while_writing_rolls_the_whole_sync_back(service, store, deck_dir, monkeypatch):
    write_deck(deck_dir, "a.md", basic_cards("a", 2))
    service.sync()
    before = snapshot(store)
    write_deck(deck_dir, "b.md", basic_cards("b", 3))
    calls = {"n": 0}
    original = SyncWriter._card_values

    def failing(card, deck_ids):
        calls["n"] += 1
        if calls["n"] == 3:
            raise sqlite3.OperationalError("disk I/O error (simulated)")
        return original(card, deck_ids)

    monkeypatch.setattr(SyncWriter, "_card_values", staticmethod(failing))
    with pytest.raises(StoreError, match="disk refused a read or write .*nothing was changed"):
        service.sync()
    assert snapshot(store) == before
    monkeypatch.undo()
    assert service.sync().added == 3


def test_the_bundled_decks_sync_and_every_card_has_a_source(tmp_path):
    from hcflash.locations import bundled_decks_dir
    from hcflash.service import StudyService

    with Store.open(tmp_path / "s.db") as store:
        service = StudyService(store, [bundled_decks_dir()])
        report = service.sync()
        assert report.added > 0
        missing = store.db.execute("SELECT key FROM cards WHERE sources = '[]'").fetchall()
        assert missing == []


def test_the_garbage_collector_is_back_on_after_a_sync_however_it_ends(service, deck_dir):
    """Sync and parsing pause Python's cyclic collector (`hcflash/bulk.py`); a failed sync must not
    leave it off for the rest of a long review session."""
    import gc

    write_deck(deck_dir, "a.md", basic_cards("a", 2))
    service.sync()
    assert gc.isenabled()
    write_deck(deck_dir, "bad.md", "## Broken <!-- id: bad-x -->\n\nNo source here.\n")
    with pytest.raises(DeckError):
        service.sync()
    assert gc.isenabled()
    gc.disable()
    try:
        (deck_dir / "bad.md").unlink()
        service.sync()
        assert not gc.isenabled(), "a collector the caller had switched off stays off"
    finally:
        gc.enable()


def test_deck_files_are_known_by_their_real_paths_through_links(tmp_path):
    """A deck folder reached through a symbolic link, and a deck file that is itself a link, are
    stored under their resolved paths (the folders are resolved once per sync, a linked file on its
    own), so the next sync finds every file unchanged and the same card is never taken twice."""
    from hcflash.service import StudyService

    real, elsewhere = tmp_path / "real", tmp_path / "elsewhere"
    write_deck(real / "sub", "a.md", basic_cards("a", 2))
    target = write_deck(elsewhere, "b.md", basic_cards("b", 2, deck="Test::Other"))
    (real / "sub" / "b.md").symlink_to(target)
    (tmp_path / "link").symlink_to(real, target_is_directory=True)
    with Store.open(tmp_path / "store.db") as store:
        service = StudyService(store, [tmp_path / "link"])
        first = service.sync()
        assert first.added == 4
        assert set(store.sync.file_index()) == {
            str((real / "sub" / "a.md").resolve()), str(target.resolve()),
        }
        again = service.sync()
        assert again.nothing_changed and again.files_skipped == 2


def test_the_deck_files_of_a_folder_are_its_markdown_files_in_a_stable_order(tmp_path):
    """What a sync reads below a deck folder: `.md` files at any depth, sorted; not READMEs or
    CONTRIBUTING files, not names starting with `.` or `_` (drafts, hidden folders), not other
    files; a linked file is read, a linked folder is not entered (a loop of links cannot hang a
    sync)."""
    from hcflash.locations import find_deck_files

    root = tmp_path / "decks"
    for name in ("b.md", "a.md", "sub/z.md", "sub/deeper/c.md", "README.md", "sub/readme.MD", "CONTRIBUTING.md",
                 "_drafts/x.md", "sub/_y.md", ".hidden/h.md", ".d.md", "notes.txt", "upper.MD"):
        write_deck(root, name, "# Deck\n")
    (root / "dir.md").mkdir()  # a folder named like a deck file is no deck, but the decks in it are
    write_deck(root / "dir.md", "inner.md", "# Deck\n")
    outside = write_deck(tmp_path / "elsewhere", "linked.md", "# Deck\n")
    (root / "linked.md").symlink_to(outside)
    (root / "loop").symlink_to(root, target_is_directory=True)
    (root / "dangling.md").symlink_to(tmp_path / "gone.md")

    folder = find_deck_files(root)

    assert [p.relative_to(root).as_posix() for p in folder.files] == [
        "a.md", "b.md", "dir.md/inner.md", "linked.md", "sub/deeper/c.md", "sub/z.md",
    ]
    assert folder.unreadable == []
    assert find_deck_files(root / "a.md").files == [root / "a.md"]  # a deck file given as the folder is its only deck


def test_a_store_from_before_prefix_search_gets_it_and_it_stays_current(tmp_path, deck_dir, clock):
    """m009 rebuilds the search index with prefix indexes. A store written before it must search
    as it did, and the index must follow later syncs: the triggers that feed it name the table
    that was dropped and created again."""
    from hcflash.service import StudyService

    path = write_deck(deck_dir, "a.md", basic_cards("a", 3).replace("Question 2?", "Question 2 about zebrafish?"))
    db = tmp_path / "old.db"
    with Store.open(db) as store:
        StudyService(store, [deck_dir], clock=clock).sync()
    conn = sqlite3.connect(db)  # back to the schema before m009
    conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'm009_live_count_and_prefix_search'")
    conn.execute("DROP INDEX idx_cards_live")
    conn.execute("DROP TABLE cards_fts")
    conn.execute("CREATE VIRTUAL TABLE cards_fts USING FTS5(question, answer, sources, tags, tokenize='porter', content='cards')")
    conn.execute("INSERT INTO cards_fts(cards_fts) VALUES ('rebuild')")
    conn.commit()
    conn.close()

    with Store.open(db) as store:
        options = store.db.execute("SELECT sql FROM sqlite_master WHERE name = 'cards_fts'").fetchone()[0]
        assert "prefix='2 3'" in options
        service = StudyService(store, [deck_dir], clock=clock)
        assert [r.key for r in service.browse("ze")] == ["a-q2"]  # a prefix the prefix indexes hold
        assert [r.key for r in service.browse("z")] == ["a-q2"]  # shorter and longer ones, from the terms
        assert [r.key for r in service.browse("zebrafis")] == ["a-q2"]
        assert len(service.browse("Quest")) == 3

        path.write_text(path.read_text().replace("zebrafish", "axolotl").replace("Question 3?", "Question 3 on zebras?"))
        report = service.sync()
        assert report.changed == 2
        assert [r.key for r in service.browse("zebr")] == ["a-q3"]  # the edit reached the index
        assert [r.key for r in service.browse("axo")] == ["a-q2"]
        path.write_text(basic_cards("a", 1))
        report = service.sync()
        assert report.retired == 2 and service.sync().unchanged == 1  # the live count
        assert service.browse("zebr") == []  # a retired card leaves the browser
