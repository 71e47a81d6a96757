"""Decks, deck files and cards: what sync writes, and card lookups and search."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from hcflash.errors import StoreError
from hcflash.records import BrowseRow, CardContent, CardState, StoredCard
from hcflash.store.base import Table, deck_filter
from hcflash.store.codec import from_db, state_from_row, to_db
from hcflash.store.states import StateTable
from hcflash.sync import KnownCard, SyncPlan


@dataclass(frozen=True)
class FileRecord:
    path: str
    content_hash: str
    size: int
    mtime_ns: int


_CARD_COLUMNS = """c.id, c.key, c.note_id, c.kind, c.ord, d.name AS deck, c.question, c.answer,
    c.sources, c.tags, c.file, c.line, c.content_hash, c.added_at, c.updated_at,
    c.content_changed_at, c.retired_at, c.previous_question, c.previous_answer"""


def _card_from_row(row: dict[str, Any]) -> StoredCard:
    return StoredCard(
        id=row["id"],
        key=row["key"],
        note_id=row["note_id"],
        kind=row["kind"],
        ord=row["ord"],
        deck=row["deck"],
        question=row["question"],
        answer=row["answer"],
        sources=tuple(json.loads(row["sources"])),
        tags=tuple(json.loads(row["tags"])),
        file=row["file"],
        line=row["line"],
        content_hash=row["content_hash"],
        added_at=from_db(row["added_at"]),  # type: ignore[arg-type]
        updated_at=from_db(row["updated_at"]),  # type: ignore[arg-type]
        content_changed_at=from_db(row["content_changed_at"]),
        retired_at=from_db(row["retired_at"]),
        previous_question=row["previous_question"],
        previous_answer=row["previous_answer"],
    )


class CardTable(Table):
    """The `decks`, `deck_files` and `cards` tables: what sync writes, and card lookups and search."""

    def __init__(self, db: Database, path: Path, states: StateTable) -> None:
        super().__init__(db, path)
        self._states = states

    def file_index(self) -> dict[str, FileRecord]:
        return {
            r["path"]: FileRecord(r["path"], r["content_hash"], r["size"], r["mtime_ns"])
            for r in self._rows("SELECT path, content_hash, size, mtime_ns FROM deck_files")
        }

    def known(self) -> dict[str, KnownCard]:
        rows = self.db.execute(
            "SELECT c.id, c.key, d.name, c.file, c.line, c.content_hash, c.tags, c.retired_at "
            "FROM cards c JOIN decks d ON d.id = c.deck_id"
        ).fetchall()
        return {
            r[1]: KnownCard(r[0], r[1], r[2], r[3], r[4], r[5], tuple(json.loads(r[6])), r[7] is not None)
            for r in rows
        }

    def _deck_ids(self, names: set[str], now: str) -> dict[str, int]:
        ids = {r["name"]: r["id"] for r in self._rows("SELECT id, name FROM decks")}
        for name in sorted(names - ids.keys()):
            cur = self.db.execute("INSERT INTO decks(name, created_at) VALUES (?, ?)", [name, now])
            ids[name] = int(cur.lastrowid)  # type: ignore[arg-type]
        return ids

    def apply_sync(
        self,
        plan: SyncPlan,
        files: list[FileRecord],
        removed_files: list[str],
        descriptions: dict[str, str],
        now: datetime,
    ) -> None:
        """Write a sync plan and the new file index in one transaction (all or nothing)."""
        stamp = to_db(now)
        with self._write():
            names = {c.deck for c in plan.inserts} | {u.content.deck for u in plan.updates} | set(descriptions)
            deck_ids = self._deck_ids(names, stamp)  # type: ignore[arg-type]
            for name, text in descriptions.items():
                self.db.execute("UPDATE decks SET description = ? WHERE id = ?", [text, deck_ids[name]])
            self.db.conn.executemany(
                "INSERT INTO cards(key, note_id, kind, ord, deck_id, question, answer, sources, tags, "
                "file, line, content_hash, added_at, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [self._card_values(c, deck_ids) + (stamp, stamp) for c in plan.inserts],
            )
            self.db.conn.executemany(
                "INSERT INTO card_state(card_id, state) SELECT id, 'new' FROM cards WHERE key = ?",
                [(c.key,) for c in plan.inserts],
            )
            for u in plan.updates:
                values = self._card_values(u.content, deck_ids)
                self.db.execute(
                    # Right-hand sides read the row as it was, so previous_* keep the old text.
                    "UPDATE cards SET "
                    "previous_question = CASE WHEN ? THEN question ELSE previous_question END, "
                    "previous_answer = CASE WHEN ? THEN answer ELSE previous_answer END, "
                    "key = ?, note_id = ?, kind = ?, ord = ?, deck_id = ?, question = ?, "
                    "answer = ?, sources = ?, tags = ?, file = ?, line = ?, content_hash = ?, "
                    "updated_at = ?, retired_at = NULL, "
                    "content_changed_at = CASE WHEN ? THEN ? ELSE content_changed_at END WHERE id = ?",
                    [int(u.content_changed), int(u.content_changed), *values, stamp, int(u.content_changed), stamp, u.id],
                )
            self.db.conn.executemany(
                "UPDATE cards SET retired_at = ? WHERE id = ?", [(stamp, i) for i in plan.retire_ids]
            )
            for carry in plan.carries:
                self._carry_history(carry.new_key, carry.old_ids)
            self.db.conn.executemany(
                "INSERT INTO deck_files(path, content_hash, size, mtime_ns, synced_at) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT(path) DO UPDATE SET content_hash = excluded.content_hash, size = excluded.size, "
                "mtime_ns = excluded.mtime_ns, synced_at = excluded.synced_at",
                [(f.path, f.content_hash, f.size, f.mtime_ns, stamp) for f in files],
            )
            self.db.conn.executemany("DELETE FROM deck_files WHERE path = ?", [(p,) for p in removed_files])

    def _carry_history(self, new_key: str, old_ids: tuple[int, ...]) -> None:
        """Copy the replaced cards' reviews onto the new card; it takes the state of whichever old
        card was reviewed last (a rename carries the state as it was; a merge keeps the freshest)."""
        new_id = self._scalar("SELECT id FROM cards WHERE key = ?", [new_key])
        marks = ", ".join("?" for _ in old_ids)
        self.db.execute(
            "INSERT INTO review_log(card_id, rating, reviewed_at, duration_ms, state_before, state_after, origin) "
            "SELECT ?, rating, reviewed_at, duration_ms, "
            "json_set(state_before, '$.card_id', ?), json_set(state_after, '$.card_id', ?), origin "
            f"FROM review_log WHERE card_id IN ({marks}) ORDER BY reviewed_at, id",
            [new_id, new_id, new_id, *old_ids],
        )
        latest = self.db.execute(
            f"SELECT card_id FROM card_state WHERE card_id IN ({marks}) AND last_review IS NOT NULL "
            "ORDER BY last_review DESC LIMIT 1",
            list(old_ids),
        ).fetchone()
        if latest is not None:
            self._states.save(self._states.get(latest[0]).with_changes(card_id=new_id))

    @staticmethod
    def _card_values(c: CardContent, deck_ids: dict[str, int]) -> tuple[Any, ...]:
        return (
            c.key, c.note_id, c.kind, c.ord, deck_ids[c.deck], c.question, c.answer,
            json.dumps(list(c.sources), ensure_ascii=False), json.dumps(list(c.tags), ensure_ascii=False),
            c.file, c.line, c.content_hash,
        )

    def get(self, card_id: int) -> StoredCard:
        rows = self._rows(f"SELECT {_CARD_COLUMNS} FROM cards c JOIN decks d ON d.id = c.deck_id WHERE c.id = ?", [card_id])
        if not rows:
            raise StoreError(f"no card with id {card_id}")
        return _card_from_row(rows[0])

    def by_key(self, key: str) -> StoredCard | None:
        rows = self._rows(f"SELECT {_CARD_COLUMNS} FROM cards c JOIN decks d ON d.id = c.deck_id WHERE c.key = ?", [key])
        return _card_from_row(rows[0]) if rows else None

    def with_state(self, card_id: int) -> tuple[StoredCard, CardState]:
        """Both in one query: what the review screen needs for each card."""
        rows = self._rows(
            f"SELECT {_CARD_COLUMNS}, s.* FROM cards c JOIN decks d ON d.id = c.deck_id "
            "JOIN card_state s ON s.card_id = c.id WHERE c.id = ?",
            [card_id],
        )
        if not rows:
            raise StoreError(f"no card with id {card_id}")
        return _card_from_row(rows[0]), state_from_row(rows[0])

    def active(self, decks: Sequence[str] | None = None) -> list[StoredCard]:
        deck_sql, params = deck_filter(decks)
        rows = self._rows(
            f"SELECT {_CARD_COLUMNS} FROM cards c JOIN decks d ON d.id = c.deck_id "
            f"WHERE c.retired_at IS NULL AND {deck_sql} ORDER BY c.file, c.line, c.ord",
            params,
        )
        return [_card_from_row(r) for r in rows]

    def every(self) -> list[StoredCard]:
        """Every card, retired ones too, in deck-file order: what an Anki sync mirrors."""
        rows = self._rows(f"SELECT {_CARD_COLUMNS} FROM cards c JOIN decks d ON d.id = c.deck_id ORDER BY c.file, c.line, c.ord")
        return [_card_from_row(r) for r in rows]

    def deck_descriptions(self) -> dict[str, str]:
        """Each deck's description from its front matter, for decks that have one."""
        return {r["name"]: r["description"] for r in self._rows("SELECT name, description FROM decks WHERE description != ''")}

    def count(self, include_retired: bool = False) -> int:
        where = "" if include_retired else " WHERE retired_at IS NULL"
        return int(self._scalar("SELECT COUNT(*) FROM cards" + where))

    def search(
        self, match: str | None, decks: Sequence[str] | None, tag: str | None, state: str | None, limit: int
    ) -> list[BrowseRow]:
        """Rows for the card browser: FTS5 match (already escaped by the caller), plus filters."""
        deck_sql, params = deck_filter(decks)
        where = [deck_sql, "c.retired_at IS NULL"]
        join = ""
        if match:
            join = "JOIN cards_fts f ON f.rowid = c.id"
            where.append("cards_fts MATCH ?")
            params.append(match)
        if tag:
            where.append("EXISTS (SELECT 1 FROM json_each(c.tags) WHERE json_each.value = ?)")
            params.append(tag)
        if state == "suspended":
            where.append("s.suspended = 1")
        elif state:
            where.append("s.state = ? AND s.suspended = 0")
            params.append(state)
        sql = (
            "SELECT c.id, c.key, c.question, d.name AS deck, s.state, s.due, s.stability, s.lapses, s.suspended "
            f"FROM cards c JOIN decks d ON d.id = c.deck_id JOIN card_state s ON s.card_id = c.id {join} "
            f"WHERE {' AND '.join(where)} ORDER BY c.file, c.line, c.ord LIMIT ?"
        )
        return [
            BrowseRow(
                id=r["id"], key=r["key"], question=r["question"], deck=r["deck"], state=r["state"],
                due=from_db(r["due"]), stability=r["stability"], lapses=r["lapses"], suspended=bool(r["suspended"]),
            )
            for r in self._rows(sql, [*params, limit])
        ]
