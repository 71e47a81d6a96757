"""What every table group shares: the connection, one way to write (a transaction that takes the
write lock first), read helpers, the deck filter, and the one place SQLite's and the disk's faults
become a `StoreError` in the learner's words."""

from __future__ import annotations

import errno
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any

from hcflash.errors import StoreError

DAMAGE_WORDS = ("malformed", "not a database", "corrupt", "encrypted")


class StoreDamaged(StoreError):
    """The store file fails SQLite's own checks: it must be restored from a backup, not written to."""


def readonly_uri(path: Path) -> str:
    """A `file:` URI that opens `path` read-only, whatever its name holds (`?`, `#`, `%`, spaces)."""
    return Path(path).resolve().as_uri() + "?mode=ro"


def store_failure(path: Path, exc: BaseException) -> StoreError | None:
    """The learner's words for a fault SQLite or the disk reported on the store at `path`, or None
    for a fault that is a bug. Every path that touches the store (open, migrations, reads, writes,
    backups, restore) goes through here, so a busy, full, read-only or damaged store reads the same
    everywhere and never as a traceback."""
    if isinstance(exc, StoreError):
        return exc
    if isinstance(exc, OSError):
        if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
            return StoreError(f"{path}: the disk is full; nothing was changed (free some space and try again)")
        if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
            return StoreError(f"{path}: the store or its folder is read-only ({exc.strerror}); nothing was changed")
        return StoreError(f"{path}: {exc.strerror or exc}; nothing was changed")
    if not isinstance(exc, sqlite3.Error):
        return None
    text = str(exc).lower()
    if "locked" in text or "busy" in text:
        return StoreError(f"{path}: the store is busy in another hcflash process; nothing was changed, try again")
    if "full" in text:
        return StoreError(f"{path}: the disk is full; nothing was changed (free some space and try again)")
    if "readonly" in text or "read-only" in text:
        return StoreError(f"{path}: the store is read-only; nothing was changed")
    if "disk i/o error" in text or "unable to open" in text:
        return StoreError(f"{path}: the disk refused a read or write ({exc}); nothing was changed (is it full or read-only?)")
    if any(word in text for word in DAMAGE_WORDS) or type(exc) is sqlite3.DatabaseError:
        return StoreDamaged(f"{path}: the store is damaged ({exc}); nothing was changed. {damage_advice(path)}")
    return None


def damage_advice(path: Path) -> str:
    """What to do about a damaged store: the newest good backup and the command that restores it."""
    from hcflash.store.copies import damage_advice as advice  # copies imports this module

    return advice(path)


def raise_store_failure(path: Path, exc: BaseException) -> None:
    """Re-raise `exc` as the learner's StoreError when it is one of the faults a learner can meet."""
    failure = store_failure(path, exc)
    if failure is not None and failure is not exc:
        raise failure from exc


@contextmanager
def transaction(conn: sqlite3.Connection, path: Path) -> Iterator[None]:
    """One transaction that takes the write lock at its start (BEGIN IMMEDIATE), so a second writer
    waits the busy timeout for it instead of failing half-way when its read snapshot goes stale.
    Nested use is a savepoint. A busy, full, read-only or damaged store becomes a StoreError and
    nothing is changed."""
    if conn.in_transaction:
        name = f"hcflash_{id(conn)}_{id(path)}"
        conn.execute(f"SAVEPOINT {name}")
        try:
            yield
        except BaseException:
            if conn.in_transaction:
                conn.execute(f"ROLLBACK TO SAVEPOINT {name}")
                conn.execute(f"RELEASE SAVEPOINT {name}")
            raise
        conn.execute(f"RELEASE SAVEPOINT {name}")
        return
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.Error as exc:
        raise_store_failure(path, exc)
        raise
    try:
        yield
        conn.execute("COMMIT")
    except BaseException as exc:
        if conn.in_transaction:
            try:
                conn.execute("ROLLBACK")
            except sqlite3.Error:
                pass  # the failure that got us here is the one worth reporting
        raise_store_failure(path, exc)
        raise


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


class StoreDB:
    """The store's one connection and the one helper the table groups share (`execute`).

    sqlite-utils' `Database` is kept for the schema steps only (`schema.apply_steps`): building one
    imports click, dateutil and pluggy and scans every installed package's entry points for
    plugins, which cost ~50 ms before the first card of every session."""

    __slots__ = ("conn", "gate")

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        # What must pass before this connection's first write: a quick check still running on a
        # thread of its own (`store/soundness.py`), or None. It raises to refuse the write.
        self.gate: Callable[[], None] | None = None
        # As sqlite-utils' Database sets it: a REPLACE that deletes a card fires the search triggers.
        conn.execute("PRAGMA recursive_triggers = on")

    def write(self, path: Path) -> AbstractContextManager[None]:
        """One write transaction (`transaction`), once the gate, if there is one, has let it through.
        Every write of the store's table groups comes through here."""
        if self.gate is not None:
            self.gate()
        return transaction(self.conn, path)

    def execute(self, sql: str, parameters: Sequence[Any] | dict[str, Any] | None = None) -> sqlite3.Cursor:
        return self.conn.execute(sql) if parameters is None else self.conn.execute(sql, parameters)

    def stamp(self) -> Stamp:
        """What the store's content was when this is asked: equal stamps mean no row changed in
        between, by another process (SQLite's data_version moves when another connection commits)
        or by this one (its count of changed rows). A review session keeps its queue in memory
        while the stamp holds, instead of asking SQLite again for every card."""
        return self.conn.execute("PRAGMA data_version").fetchone()[0], self.conn.total_changes


Stamp = tuple[int, int]


class Table:
    """One group of tables, over the store's one connection."""

    def __init__(self, db: StoreDB, path: Path) -> None:
        self.db = db
        self.path = path

    def _write(self) -> AbstractContextManager[None]:
        """One transaction; a busy, full, read-only or damaged store becomes a StoreError and changes nothing."""
        return self.db.write(self.path)

    # Reads go straight to the sqlite3 connection: the review loop runs a handful of them per card
    # and sqlite-utils' query wrapper costs more than the queries. Writes go through _write().
    def _query(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> list[tuple[Any, ...]]:
        try:
            return self.db.conn.execute(sql, params).fetchall()
        except sqlite3.Error as exc:
            raise_store_failure(self.path, exc)
            raise

    def _rows(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> list[dict[str, Any]]:
        try:
            cursor = self.db.conn.execute(sql, params)
            names = [column[0] for column in cursor.description]
            return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
        except sqlite3.Error as exc:
            raise_store_failure(self.path, exc)
            raise

    def _scalar(self, sql: str, params: Sequence[Any] = ()) -> Any:
        rows = self._query(sql, params)
        return rows[0][0] if rows else None
