"""Cards: lookups by id and key, the active cards of some decks, and the browser's search."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, NamedTuple

from hcflash import records
from hcflash.errors import StoreError
from hcflash.records import CardChange, CardState, SpecRef
from hcflash.store.base import Table, deck_filter
from hcflash.store.codec import STATE_COLUMNS, state_from_row, state_from_values
from hcflash.store.timecodec import date_from_db, from_db, to_db

if TYPE_CHECKING:
    from hcflash.records import BrowseRow, StoredCard

CARD_COLUMNS = """c.id, c.key, c.note_id, c.kind, c.ord, d.name AS deck, c.question, c.answer,
    c.sources, c.tags, c.file, c.line, c.content_hash, c.added_at, c.updated_at,
    c.content_changed_at, c.retired_at, c.previous_question, c.previous_answer,
    c.verified, c.specs, c.valid_from, c.valid_until, c.change_kind, c.change_on, c.change_reason, c.retire_reason"""


def _json_tuple(text: str | None) -> tuple:
    """A JSON list as a tuple; most cards' specs are empty, and json.loads("[]") costs a call."""
    return () if not text or text == "[]" else tuple(json.loads(text))


def card_from_row(row: dict[str, Any]) -> StoredCard:
    return records.StoredCard(
        id=row["id"],
        key=row["key"],
        note_id=row["note_id"],
        kind=row["kind"],
        ord=row["ord"],
        deck=row["deck"],
        question=row["question"],
        answer=row["answer"],
        sources=_json_tuple(row["sources"]),
        tags=_json_tuple(row["tags"]),
        file=row["file"],
        line=row["line"],
        content_hash=row["content_hash"],
        added_at=from_db(row["added_at"]),  # type: ignore[arg-type]
        updated_at=from_db(row["updated_at"]),  # type: ignore[arg-type]
        content_changed_at=from_db(row["content_changed_at"]),
        retired_at=from_db(row["retired_at"]),
        previous_question=row["previous_question"],
        previous_answer=row["previous_answer"],
        verified=date_from_db(row["verified"]),
        specs=tuple(SpecRef(*spec) for spec in _json_tuple(row["specs"])),
        valid_from=date_from_db(row["valid_from"]),
        valid_until=date_from_db(row["valid_until"]),
        change=CardChange(row["change_kind"], date_from_db(row["change_on"]), row["change_reason"] or "")  # type: ignore[arg-type]
        if row["change_kind"] else None,
        retire_reason=row["retire_reason"],
    )


class ReviewRow(NamedTuple):
    """What the review screen shows of a card, and the card's state: the one read per card shown,
    so it reads only these columns (a full `StoredCard` decodes twice as many, dates and JSON)."""

    id: int
    key: str
    note_id: str
    kind: str
    ord: int
    deck: str
    question: str
    answer: str
    sources: tuple[str, ...]
    tags: tuple[str, ...]
    file: str
    line: int
    content_changed_at: datetime | None
    change: CardChange | None
    valid_from: date | None
    state: CardState


REVIEW_COLUMNS = (
    "c.id, c.key, c.note_id, c.kind, c.ord, d.name, c.question, c.answer, c.sources, c.tags, c.file, c.line, "
    "c.content_changed_at, c.change_kind, c.change_on, c.change_reason, c.valid_from, "
    + ", ".join(f"s.{name}" for name in STATE_COLUMNS.split(", "))
)


def review_row(r: Sequence[Any]) -> ReviewRow:
    """A `ReviewRow` from the values `REVIEW_COLUMNS` selects."""
    change = CardChange(r[13], date_from_db(r[14]), r[15] or "") if r[13] else None  # type: ignore[arg-type]
    return ReviewRow(
        r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], _json_tuple(r[8]), _json_tuple(r[9]), r[10], r[11],
        from_db(r[12]), change, date_from_db(r[16]), state_from_values(r[17:]),
    )


def _browse_row(r: dict[str, Any]) -> BrowseRow:
    from hcflash.records import BrowseRow  # the other screens' records load with those screens, not before the first card

    return BrowseRow(
        id=r["id"], key=r["key"], question=r["question"], deck=r["deck"], state=r["state"],
        due=from_db(r["due"]), stability=r["stability"], lapses=r["lapses"], suspended=bool(r["suspended"]),
        buried_until=from_db(r["buried_until"]),
    )


class CardTable(Table):
    """The `decks`, `deck_files` and `cards` tables: what sync writes, and card lookups and search."""

    def get(self, card_id: int) -> StoredCard:
        rows = self._rows(f"SELECT {CARD_COLUMNS} FROM cards c JOIN decks d ON d.id = c.deck_id WHERE c.id = ?", [card_id])
        if not rows:
            raise StoreError(f"no card with id {card_id}")
        return card_from_row(rows[0])

    def by_key(self, key: str) -> StoredCard | None:
        rows = self._rows(f"SELECT {CARD_COLUMNS} FROM cards c JOIN decks d ON d.id = c.deck_id WHERE c.key = ?", [key])
        return card_from_row(rows[0]) if rows else None

    _ONE_WITH_STATE = "FROM cards c JOIN decks d ON d.id = c.deck_id JOIN card_state s ON s.card_id = c.id WHERE c.id = ?"

    def with_state(self, card_id: int) -> tuple[StoredCard, CardState]:
        """The whole card and its state in one query (the card's details)."""
        rows = self._rows(f"SELECT {CARD_COLUMNS}, s.* {self._ONE_WITH_STATE}", [card_id])
        if not rows:
            raise StoreError(f"no card with id {card_id}")
        return card_from_row(rows[0]), state_from_row(rows[0])

    def for_review(self, card_id: int) -> ReviewRow:
        """What the review screen shows of a card, with its state, in one query."""
        rows = self._query(f"SELECT {REVIEW_COLUMNS} {self._ONE_WITH_STATE}", [card_id])
        if not rows:
            raise StoreError(f"no card with id {card_id}")
        return review_row(rows[0])

    def active(self, decks: Sequence[str] | None = None) -> list[StoredCard]:
        deck_sql, params = deck_filter(decks)
        rows = self._rows(
            f"SELECT {CARD_COLUMNS} FROM cards c JOIN decks d ON d.id = c.deck_id "
            f"WHERE c.retired_at IS NULL AND {deck_sql} ORDER BY c.file, c.line, c.ord",
            params,
        )
        return [card_from_row(r) for r in rows]

    def every(self) -> list[StoredCard]:
        """Every card, retired ones too, in deck-file order: what an Anki sync mirrors."""
        rows = self._rows(f"SELECT {CARD_COLUMNS} FROM cards c JOIN decks d ON d.id = c.deck_id ORDER BY c.file, c.line, c.ord")
        return [card_from_row(r) for r in rows]

    def deck_descriptions(self) -> dict[str, str]:
        """Each deck's description from its front matter, for decks that have one."""
        return {r["name"]: r["description"] for r in self._rows("SELECT name, description FROM decks WHERE description != ''")}

    def count(self, include_retired: bool = False) -> int:
        where = "" if include_retired else " WHERE retired_at IS NULL"
        return int(self._scalar("SELECT COUNT(*) FROM cards" + where))

    def search(
        self, match: str | None, decks: Sequence[str] | None, tag: str | None, state: str | None, limit: int,
        now: datetime | None = None, after_id: int = 0,
    ) -> list[BrowseRow]:
        """Rows for the card browser: FTS5 match (already escaped by the caller), plus filters.
        `state` is a FSRS state, or "suspended", or "buried" (buried past `now`).

        Cards come in the order they were added (their id; deck-file order within a sync), one page
        at a time after `after_id`. A full-text search walks the index in rowid order a chunk at a
        time and filters each chunk, so it stops as soon as a page is full instead of joining and
        sorting every match: a keystroke's search stays flat as the collection grows."""
        deck_sql, params = deck_filter(decks)
        where = [deck_sql, "c.retired_at IS NULL"]
        if tag:
            where.append("EXISTS (SELECT 1 FROM json_each(c.tags) WHERE json_each.value = ?)")
            params.append(tag)
        if state == "suspended":
            where.append("s.suspended = 1")
        elif state == "buried":
            where.append("s.suspended = 0 AND s.buried_until > ?")
            params.append(to_db(now))
        elif state:
            where.append("s.state = ? AND s.suspended = 0")
            params.append(state)
        columns = (
            "SELECT c.id, c.key, c.question, d.name AS deck, s.state, s.due, s.stability, s.lapses, s.suspended, s.buried_until "
        )
        joins = "JOIN decks d ON d.id = c.deck_id JOIN card_state s ON s.card_id = c.id"
        if not match:
            sql = f"{columns} FROM cards c {joins} WHERE {' AND '.join(where)} AND c.id > ? ORDER BY c.id LIMIT ?"
            return [_browse_row(r) for r in self._rows(sql, [*params, after_id, limit])]
        chunk = max(limit * 4, 200)
        sql = (
            f"{columns} FROM (SELECT rowid AS id FROM cards_fts WHERE cards_fts MATCH ? AND rowid > ? ORDER BY rowid LIMIT ?) m "
            f"JOIN cards c ON c.id = m.id {joins} WHERE {' AND '.join(where)} ORDER BY c.id"
        )
        found: list[BrowseRow] = []
        cursor = after_id
        while len(found) < limit:
            ids = [r[0] for r in self._query(
                "SELECT rowid FROM cards_fts WHERE cards_fts MATCH ? AND rowid > ? ORDER BY rowid LIMIT ?", [match, cursor, chunk]
            )]
            if not ids:
                break
            found += [_browse_row(r) for r in self._rows(sql, [match, cursor, chunk, *params])]
            cursor = ids[-1]
            if len(ids) < chunk:
                break
        return found[:limit]
