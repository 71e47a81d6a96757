"""The revlog rows an export writes, built by SQLite into the export's progress file
(`ExportReads.revlog_into`): the values Anki keeps, down to how a half day rounds, and ids made
unique (`export_rows.unique_revlog_ids`) when two reviews share a millisecond."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

from hypothesis import given, settings
from hypothesis import strategies as st

from hcflash.anki.export_rows import unique_revlog_ids
from hcflash.records import CardState, ReviewEntry

from .conftest import basic_cards, write_deck

AT = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
DAY = timedelta(days=1)
SECOND = timedelta(seconds=1)


def _review(card_id: int, at: datetime, rating: int, duration: int | None, before: dict, after: dict) -> ReviewEntry:
    return ReviewEntry(0, card_id, rating, at, duration, CardState(card_id, **before), CardState(card_id, **after))


def _cases(ids: list[int]) -> list[ReviewEntry]:
    a, b, c, d = ids
    learning = {"state": "learning", "step": 0, "stability": 1.0, "difficulty": 5.0}
    review = {"state": "review", "stability": 10.0, "difficulty": 5.0}
    return [
        # new → learning, no duration: lastIvl 0, ivl minus the step's seconds
        _review(a, AT, 1, None, {}, {**learning, "due": AT + timedelta(minutes=10), "last_review": AT}),
        # learning → review due in exactly 2.5 days: Python's round() goes to the even 2
        _review(a, AT + DAY, 3, 5_000, {**learning, "due": AT + DAY - timedelta(minutes=1), "last_review": AT},
                {**review, "due": AT + DAY * 3.5, "last_review": AT + DAY}),
        # review → review 3.5 days on (rounds to 4), last interval 1.5 days (rounds to 2), a long answer capped
        _review(b, AT + SECOND * 3, 4, 600_000, {**review, "due": AT, "last_review": AT - DAY * 1.5},
                {**review, "due": AT + SECOND * 3 + DAY * 3.5, "last_review": AT + SECOND * 3}),
        # review → relearning: lastIvl under a day counts as 1, ivl minus ten minutes in seconds
        _review(c, AT + timedelta(seconds=1), 1, 7_000, {**review, "due": AT + DAY * 0.4, "last_review": AT - DAY * 0.3},
                {"state": "relearning", "step": 0, "stability": 2.0, "difficulty": 6.0,
                 "due": AT + timedelta(seconds=601), "last_review": AT + timedelta(seconds=1)}),
        # relearning with no last review kept: lastIvl from the review's own time
        _review(c, AT + DAY + SECOND * 4, 3, 3_000, {"state": "relearning", "due": AT + DAY, "stability": 2.0, "difficulty": 6.0},
                {**review, "due": AT + DAY * 2, "last_review": AT + DAY + SECOND * 4}),
        # an overdue review, and one due sooner than its review (a span below zero counts as 1)
        _review(d, AT + timedelta(seconds=2), 2, 0, {**review, "due": AT - DAY * 2, "last_review": AT - DAY * 5},
                {**review, "due": AT - DAY, "last_review": AT + timedelta(seconds=2)}),
    ]


def _groups(store) -> list:  # noqa: ANN001
    notes: dict[str, list] = {}
    for card in store.export.cards():
        notes.setdefault(card.note_id, []).append(card)
    return list(notes.items())


def _rows(progress) -> list[tuple]:  # noqa: ANN001
    with sqlite3.connect(progress) as conn:
        return conn.execute("SELECT card_id, id, ivl, last_ivl, packed FROM revlog ORDER BY rowid").fetchall()


def test_the_revlog_rows_hold_what_anki_keeps(service, deck_dir, tmp_path):
    write_deck(deck_dir, "a.md", basic_cards("a", 4))
    service.sync()
    store = service.store
    ids = [card.id for card in store.export.cards()]
    store.log.merge(_cases(ids), [])
    progress = tmp_path / "progress.db"
    assert store.export.revlog_into(progress) == 0  # no two reviews share a millisecond
    rows = _rows(progress)
    # [card, id, ivl (days, or minus seconds while learning), lastIvl, ease + 10 × type + 100 × ms]
    a, b, c, d = ids
    ms = lambda moment: int(moment.timestamp() * 1000)  # noqa: E731
    assert rows == [
        (a, ms(AT), -600, 0, 1),
        (c, ms(AT) + 1_000, -600, 1, 1 + 10 * 1 + 100 * 7_000),
        (d, ms(AT) + 2_000, 1, 3, 2 + 10 * 1),
        (b, ms(AT) + 3_000, 4, 2, 4 + 10 * 1 + 100 * 60_000),
        (a, ms(AT + DAY), 2, -(24 * 60 * 60 - 60), 3 + 100 * 5_000),
        (c, ms(AT + DAY) + 4_000, 1, -1, 3 + 10 * 2 + 100 * 3_000),
    ]


def test_reviews_sharing_a_millisecond_get_ids_one_apart(service, deck_dir, tmp_path):
    """Anki needs unique revlog ids: the second of two reviews in one millisecond moves on by 1 ms."""
    write_deck(deck_dir, "a.md", basic_cards("a", 2))
    service.sync()
    store = service.store
    a, b = (card.id for card in store.export.cards())
    new_to_learning = {"state": "learning", "step": 0, "due": AT + timedelta(minutes=1), "last_review": AT}
    store.log.merge([_review(a, AT, 1, None, {}, new_to_learning), _review(b, AT, 1, None, {}, new_to_learning)], [])
    progress = tmp_path / "progress.db"
    assert store.export.revlog_into(progress) == 1
    with sqlite3.connect(progress) as conn:
        unique_revlog_ids(conn, _groups(store))
    assert [(row[0], row[1]) for row in _rows(progress)] == [(a, int(AT.timestamp() * 1000)), (b, int(AT.timestamp() * 1000) + 1)]


def _one_by_one(rows: list[tuple[int, int]], groups: list) -> dict[int, int]:
    """The rule as its docstring states it, review by review in export order: rowid → new id."""
    by_card: dict[int, list[tuple[int, int]]] = {}
    for rowid, (card_id, revlog_id) in enumerate(rows, start=1):
        by_card.setdefault(card_id, []).append((rowid, revlog_id))
    used: set[int] = set()
    final = {}
    for _, group in groups:
        for card in group:
            for rowid, revlog_id in by_card.get(card.id, ()):
                while revlog_id in used:
                    revlog_id += 1
                used.add(revlog_id)
                final[rowid] = revlog_id
    return final


@settings(max_examples=200, deadline=None)
@given(
    ids=st.lists(st.integers(1_000, 1_012), min_size=1, max_size=40),  # a narrow range: many shared milliseconds
    cards=st.lists(st.integers(1, 6), min_size=1, max_size=40),
    exported=st.permutations(list(range(1, 7))).flatmap(lambda order: st.integers(0, 6).map(lambda n: order[:n])),
)
def test_only_reviews_near_a_shared_millisecond_move_and_as_one_by_one_would_move_them(ids, cards, exported, tmp_path_factory):
    """Settling each run of crowded milliseconds on its own gives every review the id that going
    through all of them in export order gives, and leaves out the cards not exported."""
    rows = sorted(zip(cards, ids, strict=False), key=lambda row: row[1])  # as revlog_into writes them: by id
    groups = [(f"n{card_id}", [SimpleNamespace(id=card_id)]) for card_id in exported]
    progress = tmp_path_factory.mktemp("progress") / "progress.db"
    with sqlite3.connect(progress) as conn:
        conn.execute("CREATE TABLE revlog (card_id INTEGER, id INTEGER, ivl INTEGER, last_ivl INTEGER, packed INTEGER)")
        conn.executemany("INSERT INTO revlog VALUES (?, ?, 0, 0, 0)", rows)
        unique_revlog_ids(conn, groups)
        written = dict(conn.execute("SELECT rowid, id FROM revlog").fetchall())
    expected = _one_by_one(rows, groups)
    assert {rowid: written[rowid] for rowid in expected} == expected
    assert len(set(expected.values())) == len(expected)  # unique, as Anki needs
    # The reviews of cards not exported keep their ids: the join on Anki's card ids leaves them out.
    assert all(written[rowid] == rows[rowid - 1][1] for rowid in written if rowid not in expected)
