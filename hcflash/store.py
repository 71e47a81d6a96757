"""The SQLite store: the only module that speaks SQL.

One file per learner, WAL mode, foreign keys on, schema versioned with sqlite-utils' Migrations.
Every write that belongs together runs in one `atomic()` block, so a crash or a bad deck leaves the
store as it was. Rows go in and out as the records in `hcflash.records`.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from hcflash.backups import backup_database, backup_dir, newest_backup
from hcflash.errors import StoreError
from hcflash.records import CardContent, CardState, LoggedReview, ReviewEntry, StoredCard
from hcflash.sync import KnownCard, SyncPlan
from hcflash.timeutil import from_db, to_db

MIGRATION_SET = "hcflash"
SESSION_WAIT_SECONDS = 5.0  # how long to wait for a store another process is writing to
migrations = Migrations(MIGRATION_SET)


@migrations()
def m001_initial(db: Database) -> None:
    db.execute(
        """CREATE TABLE decks (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            description TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL
        )"""
    )
    db.execute(
        """CREATE TABLE deck_files (
            path TEXT PRIMARY KEY,
            content_hash TEXT NOT NULL,
            size INTEGER NOT NULL,
            mtime_ns INTEGER NOT NULL,
            synced_at TEXT NOT NULL
        )"""
    )
    db.execute(
        """CREATE TABLE cards (
            id INTEGER PRIMARY KEY,
            key TEXT NOT NULL UNIQUE,
            note_id TEXT NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('basic', 'reverse', 'cloze')),
            ord INTEGER NOT NULL DEFAULT 0,
            deck_id INTEGER NOT NULL REFERENCES decks(id),
            question TEXT NOT NULL,
            answer TEXT NOT NULL,
            sources TEXT NOT NULL,
            tags TEXT NOT NULL,
            file TEXT NOT NULL,
            line INTEGER NOT NULL,
            content_hash TEXT NOT NULL,
            added_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            content_changed_at TEXT,
            retired_at TEXT
        )"""
    )
    db.execute("CREATE INDEX idx_cards_deck ON cards(deck_id)")
    db.execute("CREATE INDEX idx_cards_order ON cards(file, line, ord)")
    db.execute(
        """CREATE TABLE card_state (
            card_id INTEGER PRIMARY KEY REFERENCES cards(id),
            state TEXT NOT NULL CHECK (state IN ('new', 'learning', 'review', 'relearning')),
            step INTEGER,
            stability REAL,
            difficulty REAL,
            due TEXT,
            last_review TEXT,
            reps INTEGER NOT NULL DEFAULT 0,
            lapses INTEGER NOT NULL DEFAULT 0,
            suspended INTEGER NOT NULL DEFAULT 0,
            buried_until TEXT,
            leech INTEGER NOT NULL DEFAULT 0
        )"""
    )
    db.execute("CREATE INDEX idx_state_due ON card_state(state, due)")
    db.execute(
        """CREATE TABLE review_log (
            id INTEGER PRIMARY KEY,
            card_id INTEGER NOT NULL REFERENCES cards(id),
            rating INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 4),
            reviewed_at TEXT NOT NULL,
            duration_ms INTEGER,
            state_before TEXT NOT NULL,
            state_after TEXT NOT NULL,
            origin TEXT NOT NULL DEFAULT 'hcflash'
        )"""
    )
    db.execute("CREATE INDEX idx_log_card ON review_log(card_id, reviewed_at)")
    db.execute("CREATE INDEX idx_log_time ON review_log(reviewed_at)")
    db.execute("CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)")


@migrations()
def m002_search_and_flags(db: Database) -> None:
    # Full-text search for the browser, kept current by triggers on every card write.
    db["cards"].enable_fts(["question", "answer", "sources", "tags"], create_triggers=True, tokenize="porter")
    db.execute(
        """CREATE TABLE card_flags (
            id INTEGER PRIMARY KEY,
            card_id INTEGER NOT NULL REFERENCES cards(id),
            note TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,
            resolved_at TEXT
        )"""
    )
    db.execute("CREATE INDEX idx_flags_card ON card_flags(card_id)")


@migrations()
def m003_previous_content(db: Database) -> None:
    # What a card said before its last material edit, so the next review can show what changed.
    db.execute("ALTER TABLE cards ADD COLUMN previous_question TEXT")
    db.execute("ALTER TABLE cards ADD COLUMN previous_answer TEXT")


@migrations()
def m004_rendered_html(db: Database) -> None:
    # Anki fields rendered from card Markdown, by content: rendering is the slow part of an export.
    db.execute("CREATE TABLE card_html (content_key TEXT PRIMARY KEY, fields TEXT NOT NULL)")


class StateChanged(StoreError):
    """A card's state moved under a rating (another process rated it first)."""


@dataclass(frozen=True)
class FileRecord:
    path: str
    content_hash: str
    size: int
    mtime_ns: int


def _deck_filter(decks: Sequence[str] | None, alias: str = "d") -> tuple[str, list[Any]]:
    """SQL matching the named decks and their sub-decks (`A` matches `A` and `A::B`)."""
    if not decks:
        return "1", []
    parts, params = [], []
    for name in decks:
        parts.append(f"({alias}.name = ? OR substr({alias}.name, 1, ?) = ?)")
        params.extend([name, len(name) + 2, name + "::"])
    return "(" + " OR ".join(parts) + ")", params


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


class Store:
    """A learner's store. Open with `Store.open(path)`; close when done (or use as a context manager)."""

    def __init__(self, db: Database, path: Path) -> None:
        self.db = db
        self.path = path

    @classmethod
    def open(cls, path: Path, exclusive: bool = False) -> Store:
        """Open (creating if needed) and migrate a store.

        `exclusive` is for review sessions: like Anki, the session holds the store for itself until
        it closes, which makes each committed rating cheaper (no shared-memory locking) and lets a
        second session say plainly that the store is in use instead of racing the first.
        """
        path = Path(path)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            # check_same_thread off: the TUI reads from worker threads; writes stay on one thread.
            conn = sqlite3.connect(str(path), timeout=SESSION_WAIT_SECONDS, check_same_thread=False)
            db = Database(conn)
            db.execute("PRAGMA foreign_keys = ON")
            if exclusive:
                db.execute("PRAGMA locking_mode = EXCLUSIVE")
            db.execute("PRAGMA journal_mode = WAL")
            # FULL: a rating acknowledged on screen survives a power cut, not only a crash.
            db.execute("PRAGMA synchronous = FULL")
            if exclusive:
                db.execute("BEGIN EXCLUSIVE")  # take the lock now, so a second session fails at once
                db.execute("COMMIT")
            cls._check_version(db, path)
            if migrations.pending(db) and migrations.applied(db):
                # An existing store about to change shape: keep a copy from before, as Anki does.
                backup_database(conn, backup_dir(path), label="pre-migration")
            migrations.apply(db)
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                raise StoreError(
                    f"{path}: another hcflash session has this store open (a review in another terminal?); "
                    "close it and try again"
                ) from exc
            raise StoreError(f"{path}: not a usable hcflash store ({exc})") from exc
        except sqlite3.DatabaseError as exc:
            newest = newest_backup(backup_dir(path))
            hint = f" The newest backup is {newest}; `hcflash restore {newest}` puts it back." if newest else ""
            raise StoreError(f"{path}: not a usable hcflash store ({exc}).{hint}") from exc
        except OSError as exc:
            raise StoreError(f"{path}: cannot open store ({exc.strerror})") from exc
        return cls(db, path)

    @staticmethod
    def inspect_file(path: Path) -> list[str]:
        """Why a file cannot be restored as a store; empty if it can. Opens it read-only."""
        if not Path(path).is_file():
            return [f"{path} does not exist"]
        try:
            conn = sqlite3.connect(f"file:{Path(path).resolve()}?mode=ro", uri=True)
        except sqlite3.Error as exc:
            return [f"cannot open: {exc}"]
        try:
            check = [r[0] for r in conn.execute("PRAGMA integrity_check").fetchall()]
            if check != ["ok"]:
                return [f"damaged: {'; '.join(check[:3])}"]
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            missing = {"cards", "card_state", "review_log", "_sqlite_migrations"} - tables
            if missing:
                return [f"not an hcflash store (no {', '.join(sorted(missing))} table)"]
            applied = {r[0] for r in conn.execute("SELECT name FROM _sqlite_migrations WHERE migration_set = ?", [MIGRATION_SET])}
            unknown = applied - {m.name for m in migrations._migrations}
            if unknown:
                return [f"written by a newer hcflash (schema {', '.join(sorted(unknown))})"]
            return []
        except sqlite3.DatabaseError as exc:
            return [f"not a usable SQLite database ({exc})"]
        finally:
            conn.close()

    def restore_from(self, path: Path) -> None:
        """Replace this store's content with the file's (checked first with `inspect_file`)."""
        source = sqlite3.connect(f"file:{Path(path).resolve()}?mode=ro", uri=True)
        try:
            source.backup(self.db.conn)
        finally:
            source.close()
        migrations.apply(self.db)  # an older backup catches up with this version's schema

    @staticmethod
    def _check_version(db: Database, path: Path) -> None:
        known = {m.name for m in migrations._migrations}
        applied = {m.name for m in migrations.applied(db)}
        unknown = applied - known
        if unknown:
            raise StoreError(
                f"{path}: written by a newer hcflash (schema {', '.join(sorted(unknown))}); "
                "upgrade hcflash to use it. The file was left untouched."
            )

    def close(self) -> None:
        self.db.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def atomic(self) -> Iterator[None]:
        with self.db.atomic():
            yield

    # Reads go straight to the sqlite3 connection: the review loop runs a handful of them per card
    # and sqlite-utils' query wrapper costs more than the queries. Writes go through db.atomic().
    def _rows(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> list[dict[str, Any]]:
        cursor = self.db.conn.execute(sql, params)
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    def _scalar(self, sql: str, params: Sequence[Any] = ()) -> Any:
        row = self.db.conn.execute(sql, params).fetchone()
        return row[0] if row else None

    # -- settings ---------------------------------------------------------------------------

    def load_settings_values(self) -> dict[str, Any]:
        return {r["key"]: json.loads(r["value"]) for r in self._rows("SELECT key, value FROM settings")}

    def save_settings_values(self, values: dict[str, Any]) -> None:
        with self.db.atomic():
            for key, value in values.items():
                self.db.execute(
                    "INSERT INTO settings(key, value) VALUES (?, ?) "
                    "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                    [key, json.dumps(value)],
                )

    # -- sync -------------------------------------------------------------------------------

    def file_index(self) -> dict[str, FileRecord]:
        return {
            r["path"]: FileRecord(r["path"], r["content_hash"], r["size"], r["mtime_ns"])
            for r in self._rows("SELECT path, content_hash, size, mtime_ns FROM deck_files")
        }

    def known_cards(self) -> dict[str, KnownCard]:
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
        with self.db.atomic():
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
            self.save_state(self.state(latest[0]).with_changes(card_id=new_id))

    @staticmethod
    def _card_values(c: CardContent, deck_ids: dict[str, int]) -> tuple[Any, ...]:
        return (
            c.key, c.note_id, c.kind, c.ord, deck_ids[c.deck], c.question, c.answer,
            json.dumps(list(c.sources), ensure_ascii=False), json.dumps(list(c.tags), ensure_ascii=False),
            c.file, c.line, c.content_hash,
        )

    # -- cards and states -------------------------------------------------------------------

    def card(self, card_id: int) -> StoredCard:
        rows = self._rows(f"SELECT {_CARD_COLUMNS} FROM cards c JOIN decks d ON d.id = c.deck_id WHERE c.id = ?", [card_id])
        if not rows:
            raise StoreError(f"no card with id {card_id}")
        return _card_from_row(rows[0])

    def card_by_key(self, key: str) -> StoredCard | None:
        rows = self._rows(f"SELECT {_CARD_COLUMNS} FROM cards c JOIN decks d ON d.id = c.deck_id WHERE c.key = ?", [key])
        return _card_from_row(rows[0]) if rows else None

    def state(self, card_id: int) -> CardState:
        rows = self._rows("SELECT * FROM card_state WHERE card_id = ?", [card_id])
        if not rows:
            raise StoreError(f"no state for card {card_id}")
        return CardState.from_dict(rows[0])

    def save_states(self, states: list[CardState]) -> None:
        with self.db.atomic():
            for state in states:
                self.save_state(state)

    _STATE_COLUMNS = [k for k in CardState(card_id=0).to_dict() if k != "card_id"]
    _UPDATE_STATE = f"UPDATE card_state SET {', '.join(f'{k} = ?' for k in _STATE_COLUMNS)} WHERE card_id = ?"

    def save_state(self, state: CardState) -> None:
        with self.db.atomic():
            self._write_state(state)

    def _write_state(self, state: CardState) -> None:
        """The UPDATE alone, for callers already inside a transaction."""
        values = state.to_dict()
        self.db.conn.execute(self._UPDATE_STATE, [values[k] for k in self._STATE_COLUMNS] + [state.card_id])

    def card_and_state(self, card_id: int) -> tuple[StoredCard, CardState]:
        """Both in one query: what the review screen needs for each card."""
        rows = self._rows(
            f"SELECT {_CARD_COLUMNS}, s.* FROM cards c JOIN decks d ON d.id = c.deck_id "
            "JOIN card_state s ON s.card_id = c.id WHERE c.id = ?",
            [card_id],
        )
        if not rows:
            raise StoreError(f"no card with id {card_id}")
        return _card_from_row(rows[0]), CardState.from_dict(rows[0])

    # -- queue ------------------------------------------------------------------------------

    _ACTIVE = "c.retired_at IS NULL AND s.suspended = 0 AND (s.buried_until IS NULL OR s.buried_until <= ?)"

    def _due_where(self, states: Sequence[str], due_before: datetime, now: datetime, decks: Sequence[str] | None) -> tuple[str, list[Any]]:
        deck_sql, deck_params = _deck_filter(decks)
        marks = ", ".join("?" for _ in states)
        where = f"s.state IN ({marks}) AND s.due < ? AND {self._ACTIVE} AND {deck_sql}"
        return where, [*states, to_db(due_before), to_db(now), *deck_params]

    def _new_where(self, now: datetime, decks: Sequence[str] | None) -> tuple[str, list[Any]]:
        deck_sql, deck_params = _deck_filter(decks)
        return f"s.state = 'new' AND {self._ACTIVE} AND {deck_sql}", [to_db(now), *deck_params]

    _QUEUE_FROM = "FROM card_state s JOIN cards c ON c.id = s.card_id JOIN decks d ON d.id = c.deck_id"

    def due_ids(self, states: Sequence[str], due_before: datetime, now: datetime, decks: Sequence[str] | None, limit: int) -> list[int]:
        """Active cards in `states` due before a moment, earliest first.

        One indexed query per state, merged here: with `state IN (...)` SQLite would read and sort
        every due card of both states to return the first few."""
        found: list[tuple[str, int]] = []
        for state in states:
            where, params = self._due_where((state,), due_before, now, decks)
            sql = f"SELECT s.due, s.card_id {self._QUEUE_FROM} WHERE {where} ORDER BY s.due, s.card_id LIMIT ?"
            found.extend(self.db.conn.execute(sql, [*params, limit]).fetchall())
        return [card_id for _, card_id in sorted(found)[:limit]]

    def count_due(
        self, states: Sequence[str], due_before: datetime, now: datetime, decks: Sequence[str] | None, cap: int = -1
    ) -> int:
        """Cards due before a moment, counted up to `cap` (-1: all)."""
        where, params = self._due_where(states, due_before, now, decks)
        return int(self._scalar(f"SELECT COUNT(*) FROM (SELECT 1 {self._QUEUE_FROM} WHERE {where} LIMIT ?)", [*params, cap]))

    def new_ids(self, now: datetime, decks: Sequence[str] | None, limit: int) -> list[int]:
        """Active new cards in the order they were added (Anki's default), which is deck-file order
        within a sync. Ordering by (due, card_id) walks idx_state_due: new cards have no due date,
        so no sort of every new card is needed."""
        where, params = self._new_where(now, decks)
        sql = f"SELECT s.card_id {self._QUEUE_FROM} WHERE {where} ORDER BY s.due, s.card_id LIMIT ?"
        return [r[0] for r in self.db.conn.execute(sql, [*params, limit]).fetchall()]

    def count_new(self, now: datetime, decks: Sequence[str] | None, cap: int) -> int:
        """New cards available, counted only up to `cap` (the day's remaining limit)."""
        where, params = self._new_where(now, decks)
        return int(self._scalar(f"SELECT COUNT(*) FROM (SELECT 1 {self._QUEUE_FROM} WHERE {where} LIMIT ?)", [*params, cap]))

    def studied_since(self, since: datetime, decks: Sequence[str] | None = None) -> tuple[int, int]:
        """(new cards introduced, reviews of review-state cards) since a moment: the daily limits' usage."""
        deck_sql, deck_params = _deck_filter(decks)
        row = self.db.execute(
            "SELECT COALESCE(SUM(json_extract(l.state_before, '$.state') = 'new'), 0), "
            "COALESCE(SUM(json_extract(l.state_before, '$.state') = 'review'), 0) "
            "FROM review_log l JOIN cards c ON c.id = l.card_id JOIN decks d ON d.id = c.deck_id "
            f"WHERE l.reviewed_at >= ? AND {deck_sql}",
            [to_db(since), *deck_params],
        ).fetchone()
        return int(row[0]), int(row[1])

    def deck_rows(self, day_end: datetime, learn_until: datetime, now: datetime) -> list[dict[str, Any]]:
        """Per deck (own cards only): total active, new available, learning due, reviews due today."""
        return self._rows(
            "SELECT d.name AS name, COUNT(c.id) AS total, "
            f"COALESCE(SUM(s.state = 'new' AND {self._ACTIVE}), 0) AS new, "
            f"COALESCE(SUM(s.state IN ('learning', 'relearning') AND s.due < ? AND {self._ACTIVE}), 0) AS learning, "
            f"COALESCE(SUM(s.state = 'review' AND s.due < ? AND {self._ACTIVE}), 0) AS due "
            "FROM decks d LEFT JOIN cards c ON c.deck_id = d.id AND c.retired_at IS NULL "
            "LEFT JOIN card_state s ON s.card_id = c.id GROUP BY d.id HAVING total > 0 ORDER BY d.name",
            [to_db(now), to_db(learn_until), to_db(now), to_db(day_end), to_db(now)],
        )

    def set_flags(self, card_id: int, *, suspended: bool | None = None, buried_until: datetime | None | str = "keep") -> None:
        with self.db.atomic():
            if suspended is not None:
                self.db.execute("UPDATE card_state SET suspended = ? WHERE card_id = ?", [int(suspended), card_id])
            if buried_until != "keep":
                self.db.execute(
                    "UPDATE card_state SET buried_until = ? WHERE card_id = ?",
                    [to_db(buried_until) if isinstance(buried_until, datetime) else None, card_id],
                )

    # -- review log -------------------------------------------------------------------------

    def record_review(
        self, card_id: int, rating: int, reviewed_at: datetime, duration_ms: int | None,
        before: CardState, after: CardState, origin: str = "hcflash",
    ) -> int:
        """Append to the log and move the card to its new state, committed together before returning.

        The write lock is taken first and the card's state compared with `before`: if another process
        rated the card in between, nothing is written and StateChanged is raised, so the caller can
        rate again from the fresh state instead of overwriting it."""
        conn = self.db.conn
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise StoreError(f"{self.path}: the store is busy in another process ({exc}); the rating was not saved") from exc
        try:
            row = self._rows("SELECT * FROM card_state WHERE card_id = ?", [card_id])
            if not row or CardState.from_dict(row[0]) != before:
                raise StateChanged(f"card {card_id} changed while it was being rated")
            cur = conn.execute(
                "INSERT INTO review_log(card_id, rating, reviewed_at, duration_ms, state_before, state_after, origin) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                [card_id, rating, to_db(reviewed_at), duration_ms,
                 json.dumps(before.to_dict()), json.dumps(after.to_dict()), origin],
            )
            self._write_state(after)
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        return int(cur.lastrowid)  # type: ignore[arg-type]

    def _entry(self, row: dict[str, Any]) -> ReviewEntry:
        return ReviewEntry(
            id=row["id"], card_id=row["card_id"], rating=row["rating"],
            reviewed_at=from_db(row["reviewed_at"]),  # type: ignore[arg-type]
            duration_ms=row["duration_ms"],
            before=CardState.from_dict(json.loads(row["state_before"])),
            after=CardState.from_dict(json.loads(row["state_after"])),
            origin=row["origin"],
        )

    def review_entry(self, log_id: int) -> ReviewEntry | None:
        rows = self._rows("SELECT * FROM review_log WHERE id = ?", [log_id])
        return self._entry(rows[0]) if rows else None

    def reviews_of(self, card_id: int) -> list[ReviewEntry]:
        return [self._entry(r) for r in self._rows("SELECT * FROM review_log WHERE card_id = ? ORDER BY reviewed_at, id", [card_id])]

    def undo_review(self, entry: ReviewEntry) -> None:
        """Remove a review and put the card back as it was before it, together."""
        with self.db.atomic():
            self.db.execute("DELETE FROM review_log WHERE id = ?", [entry.id])
            self.save_state(entry.before)

    def review_count(self) -> int:
        return int(self._scalar("SELECT COUNT(*) FROM review_log"))

    def card_count(self, include_retired: bool = False) -> int:
        where = "" if include_retired else " WHERE retired_at IS NULL"
        return int(self._scalar("SELECT COUNT(*) FROM cards" + where))

    # -- flags ------------------------------------------------------------------------------

    def add_flag(self, card_id: int, note: str, now: datetime) -> int:
        with self.db.atomic():
            cur = self.db.execute(
                "INSERT INTO card_flags(card_id, note, created_at) VALUES (?, ?, ?)", [card_id, note, to_db(now)]
            )
        return int(cur.lastrowid)  # type: ignore[arg-type]

    def open_flags(self) -> list[dict[str, Any]]:
        return self._rows(
            "SELECT f.id, f.card_id, f.note, f.created_at, c.key, c.question, c.file, c.line, d.name AS deck "
            "FROM card_flags f JOIN cards c ON c.id = f.card_id JOIN decks d ON d.id = c.deck_id "
            "WHERE f.resolved_at IS NULL ORDER BY c.file, c.line, f.id"
        )

    # -- browse and stats -------------------------------------------------------------------

    def search_cards(
        self, match: str | None, decks: Sequence[str] | None, tag: str | None, state: str | None, limit: int
    ) -> list[dict[str, Any]]:
        """Rows for the card browser: FTS5 match (already escaped by the caller), plus filters."""
        deck_sql, params = _deck_filter(decks)
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
        return self._rows(sql, [*params, limit])

    def reviews_between(self, start: datetime, end: datetime) -> list[tuple[str, int, str]]:
        """(reviewed_at, rating, state before) for reviews in [start, end)."""
        return [
            (r[0], r[1], r[2])
            for r in self.db.execute(
                "SELECT reviewed_at, rating, json_extract(state_before, '$.state') FROM review_log "
                "WHERE reviewed_at >= ? AND reviewed_at < ? ORDER BY reviewed_at",
                [to_db(start), to_db(end)],
            ).fetchall()
        ]

    def review_days(self, start: datetime) -> list[str]:
        """Timestamps of every review since `start`, for the heatmap."""
        return [r[0] for r in self.db.execute(
            "SELECT reviewed_at FROM review_log WHERE reviewed_at >= ? ORDER BY reviewed_at", [to_db(start)]
        ).fetchall()]

    def due_times_before(self, end: datetime) -> list[str]:
        """Due times of active, unsuspended cards already studied, due before `end` (overdue included)."""
        return [r[0] for r in self.db.execute(
            "SELECT s.due FROM card_state s JOIN cards c ON c.id = s.card_id "
            "WHERE s.state != 'new' AND s.suspended = 0 AND c.retired_at IS NULL AND s.due < ? ORDER BY s.due",
            [to_db(end)],
        ).fetchall()]

    def state_counts(self) -> dict[str, int]:
        rows = self.db.execute(
            "SELECT CASE WHEN s.suspended THEN 'suspended' ELSE s.state END, COUNT(*) "
            "FROM card_state s JOIN cards c ON c.id = s.card_id WHERE c.retired_at IS NULL GROUP BY 1"
        ).fetchall()
        return {r[0]: r[1] for r in rows}

    # -- export and import ------------------------------------------------------------------

    def active_cards(self, decks: Sequence[str] | None = None) -> list[StoredCard]:
        deck_sql, params = _deck_filter(decks)
        rows = self._rows(
            f"SELECT {_CARD_COLUMNS} FROM cards c JOIN decks d ON d.id = c.deck_id "
            f"WHERE c.retired_at IS NULL AND {deck_sql} ORDER BY c.file, c.line, c.ord",
            params,
        )
        return [_card_from_row(r) for r in rows]

    def all_states(self) -> dict[int, CardState]:
        return {r["card_id"]: CardState.from_dict(r) for r in self._rows("SELECT * FROM card_state")}

    def all_reviews(self) -> dict[int, list[ReviewEntry]]:
        grouped: dict[int, list[ReviewEntry]] = {}
        for row in self._rows("SELECT * FROM review_log ORDER BY reviewed_at, id"):
            entry = self._entry(row)
            grouped.setdefault(entry.card_id, []).append(entry)
        return grouped

    def logged_reviews(self) -> dict[int, list[LoggedReview]]:
        """Every review, light: SQLite pulls the few state fields out of the JSON snapshots and turns
        the stored UTC times into epoch milliseconds."""

        def ms(expr: str) -> str:
            return f"CAST(ROUND((julianday({expr}) - 2440587.5) * 86400000) AS INTEGER)"

        before_due, before_last, after_due = (
            ms("json_extract(state_before, '$.due')"),
            ms("json_extract(state_before, '$.last_review')"),
            ms("json_extract(state_after, '$.due')"),
        )
        grouped: dict[int, list[LoggedReview]] = {}
        rows = self.db.conn.execute(
            f"SELECT card_id, rating, {ms('reviewed_at')}, duration_ms, json_extract(state_before, '$.state'), "
            f"{before_due}, {before_last}, json_extract(state_after, '$.state'), {after_due} "
            "FROM review_log ORDER BY reviewed_at, id"
        ).fetchall()
        for row in rows:
            grouped.setdefault(row[0], []).append(LoggedReview(*row))
        return grouped

    def cached_html(self) -> dict[str, dict[str, str]]:
        return {key: json.loads(fields) for key, fields in self.db.conn.execute("SELECT content_key, fields FROM card_html")}

    def save_html(self, rendered: dict[str, dict[str, str]]) -> None:
        with self.db.atomic():
            self.db.conn.executemany(
                "INSERT OR REPLACE INTO card_html(content_key, fields) VALUES (?, ?)",
                [(key, json.dumps(fields, ensure_ascii=False)) for key, fields in rendered.items()],
            )

    def merge_reviews(self, entries: list[ReviewEntry], states: list[CardState]) -> None:
        """Add reviews that came from elsewhere and set the affected cards' states, all or nothing."""
        with self.db.atomic():
            self.db.conn.executemany(
                "INSERT INTO review_log(card_id, rating, reviewed_at, duration_ms, state_before, state_after, origin) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                [
                    (e.card_id, e.rating, to_db(e.reviewed_at), e.duration_ms,
                     json.dumps(e.before.to_dict()), json.dumps(e.after.to_dict()), e.origin)
                    for e in entries
                ],
            )
            for state in states:
                self.save_state(state)

    # -- integrity ----------------------------------------------------------------------------

    def integrity_problems(self) -> list[str]:
        """SQLite's own integrity check and foreign-key check; empty when the file is sound."""
        problems = [r[0] for r in self.db.conn.execute("PRAGMA integrity_check").fetchall() if r[0] != "ok"]
        problems += [f"row {r[1]} of {r[0]} points to a missing {r[2]}" for r in self.db.conn.execute("PRAGMA foreign_key_check")]
        return problems

    def orphans(self) -> dict[str, list[int]]:
        """Rows that lost their card, and cards that lost their state."""
        q = self.db.conn.execute
        return {
            "card_state without a card": [r[0] for r in q("SELECT card_id FROM card_state WHERE card_id NOT IN (SELECT id FROM cards)")],
            "review_log without a card": [r[0] for r in q("SELECT id FROM review_log WHERE card_id NOT IN (SELECT id FROM cards)")],
            "card_flags without a card": [r[0] for r in q("SELECT id FROM card_flags WHERE card_id NOT IN (SELECT id FROM cards)")],
            "cards without a state": [r[0] for r in q("SELECT id FROM cards WHERE id NOT IN (SELECT card_id FROM card_state)")],
        }

    def fix_orphans(self, found: dict[str, list[int]]) -> None:
        with self.db.atomic():
            conn = self.db.conn
            conn.executemany("DELETE FROM card_state WHERE card_id = ?", [(i,) for i in found["card_state without a card"]])
            conn.executemany("DELETE FROM review_log WHERE id = ?", [(i,) for i in found["review_log without a card"]])
            conn.executemany("DELETE FROM card_flags WHERE id = ?", [(i,) for i in found["card_flags without a card"]])
            conn.executemany("INSERT INTO card_state(card_id, state) VALUES (?, 'new')", [(i,) for i in found["cards without a state"]])

    def last_logged_states(self) -> dict[int, CardState]:
        """Each reviewed card's state as its newest review recorded it."""
        rows = self.db.conn.execute(
            "SELECT l.card_id, l.state_after FROM review_log l JOIN ("
            "  SELECT card_id, MAX(reviewed_at) AS at FROM review_log GROUP BY card_id"
            ") last ON last.card_id = l.card_id AND last.at = l.reviewed_at ORDER BY l.id"
        ).fetchall()
        return {card_id: CardState.from_dict(json.loads(after)) for card_id, after in rows}

    def backup_to(self, folder: Path, label: str = "manual", now: datetime | None = None) -> Path:
        return backup_database(self.db.conn, folder, label, now)
