"""What every table group shares: the connection, two fast read helpers, and the deck filter."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlite_utils import Database


def deck_filter(decks: Sequence[str] | None, alias: str = "d") -> tuple[str, list[Any]]:
    """SQL matching the named decks and their sub-decks (`A` matches `A` and `A::B`)."""
    if not decks:
        return "1", []
    parts, params = [], []
    for name in decks:
        parts.append(f"({alias}.name = ? OR substr({alias}.name, 1, ?) = ?)")
        params.extend([name, len(name) + 2, name + "::"])
    return "(" + " OR ".join(parts) + ")", params


class Table:
    """One group of tables, over the store's one connection."""

    def __init__(self, db: Database) -> None:
        self.db = db

    # Reads go straight to the sqlite3 connection: the review loop runs a handful of them per card
    # and sqlite-utils' query wrapper costs more than the queries. Writes go through db.atomic().
    def _rows(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> list[dict[str, Any]]:
        cursor = self.db.conn.execute(sql, params)
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    def _scalar(self, sql: str, params: Sequence[Any] = ()) -> Any:
        row = self.db.conn.execute(sql, params).fetchone()
        return row[0] if row else None
