"""Flags: cards learners marked as wrong, with their notes."""

from __future__ import annotations

import json
from datetime import datetime

from hcflash.records import FlagRow
from hcflash.store.base import Table
from hcflash.store.timecodec import from_db, to_db


class FlagTable(Table):
    """The `card_flags` table: cards learners marked as wrong, with their notes."""

    def add(self, card_id: int, note: str, now: datetime) -> int:
        with self._write():
            cur = self.db.execute(
                "INSERT INTO card_flags(card_id, note, created_at) VALUES (?, ?, ?)", [card_id, note, to_db(now)]
            )
        return int(cur.lastrowid)  # type: ignore[arg-type]

    def open(self) -> list[FlagRow]:
        rows = self._rows(
            "SELECT f.id, f.card_id, f.note, f.created_at, c.key, c.question, c.file, c.line, d.name AS deck, c.sources "
            "FROM card_flags f JOIN cards c ON c.id = f.card_id JOIN decks d ON d.id = c.deck_id "
            "WHERE f.resolved_at IS NULL ORDER BY c.file, c.line, f.id"
        )
        return [FlagRow(**{**row, "created_at": from_db(row["created_at"]), "sources": tuple(json.loads(row["sources"]))}) for row in rows]
