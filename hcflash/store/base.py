"""What every table group shares: the connection, two fast read helpers, and the deck filter."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from hcflash.errors import StoreError


def write_failure(path: Path, exc: sqlite3.OperationalError) -> StoreError | None:
    """The learner's words for a write SQLite refused, or None for a fault that is a bug."""
    text = str(exc)
    if "locked" in text or "busy" in text:
        return StoreError(f"{path}: the store is busy in another hcflash process; nothing was changed, try again")
    if "full" in text:
        return StoreError(f"{path}: the disk is full; nothing was changed (free some space and try again)")
    if "readonly" in text or "read-only" in text:
        return StoreError(f"{path}: the store is read-only; nothing was changed")
    return None


def deck_filter(decks: Sequence[str] | None, alias: str = "d", exact: bool = False) -> tuple[str, list[Any]]:
    """SQL matching the named decks and their sub-decks (`A` matches `A` and `A::B`), or with
    `exact` the named decks only. None means every deck; an empty list matches none."""
    if decks is None:
        return "1", []
    if exact or not decks:
        return f"{alias}.name IN ({', '.join('?' for _ in decks)})" if decks else "0", list(decks)
    parts, params = [], []
    for name in decks:
        parts.append(f"({alias}.name = ? OR substr({alias}.name, 1, ?) = ?)")
        params.extend([name, len(name) + 2, name + "::"])
    return "(" + " OR ".join(parts) + ")", params


class Table:
    """One group of tables, over the store's one connection."""

    def __init__(self, db: Database, path: Path) -> None:
        self.db = db
        self.path = path

    @contextmanager
    def _write(self) -> Iterator[None]:
        """One transaction; a busy, full or read-only store becomes a StoreError and changes nothing."""
        try:
            with self.db.atomic():
                yield
        except sqlite3.OperationalError as exc:
            failure = write_failure(self.path, exc)
            if failure is None:
                raise
            raise failure from exc

    # Reads go straight to the sqlite3 connection: the review loop runs a handful of them per card
    # and sqlite-utils' query wrapper costs more than the queries. Writes go through _write().
    def _rows(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> list[dict[str, Any]]:
        cursor = self.db.conn.execute(sql, params)
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    def _scalar(self, sql: str, params: Sequence[Any] = ()) -> Any:
        row = self.db.conn.execute(sql, params).fetchone()
        return row[0] if row else None
