"""The store's front: opening (pragmas, locking, migrations), closing, backup and restore, and one
object per table group (`store.cards`, `store.states`, `store.queue`, `store.log`, ...), the way
Anki's collection hands out `col.decks` and `col.sched`."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from sqlite_utils import Database

from hcflash.backups import backup_database, backup_dir, newest_backup
from hcflash.errors import StoreError
from hcflash.store.anki_sync import AnkiSyncTable
from hcflash.store.cards import CardTable
from hcflash.store.changes import ChangeLog
from hcflash.store.flags import FlagTable
from hcflash.store.html_cache import HtmlCache
from hcflash.store.integrity import IntegrityChecks
from hcflash.store.log import ReviewLog
from hcflash.store.queue import QueueQueries
from hcflash.store.schema import MIGRATION_SET, migrations
from hcflash.store.settings import SettingsTable
from hcflash.store.states import StateTable
from hcflash.store.sync_writes import SyncWriter

SESSION_WAIT_SECONDS = 5.0  # how long to wait for a store another process is writing to


class Store:
    """A learner's store. Open with `Store.open(path)`; close when done (or use as a context manager)."""

    def __init__(self, db: Database, path: Path) -> None:
        self.db = db
        self.path = path
        self.settings = SettingsTable(db, path)
        self.states = StateTable(db, path)
        self.changes = ChangeLog(db, path)
        self.sync = SyncWriter(db, path, self.states, self.changes)
        self.cards = CardTable(db, path)
        self.queue = QueueQueries(db, path)
        self.log = ReviewLog(db, path, self.states)
        self.flags = FlagTable(db, path)
        self.html = HtmlCache(db, path)
        self.integrity = IntegrityChecks(db, path)
        self.anki = AnkiSyncTable(db, path, self.log, self.states)

    @classmethod
    def open(cls, path: Path) -> Store:
        """Open (creating if needed) and migrate a store.

        WAL mode and no exclusive lock, so readers never wait: `hcflash status`, `decks`, `stats` or
        any SQLite tool in another terminal reads every committed rating while a review is open.
        Writers take turns; a rating is compare-and-set (`ReviewLog.record`), so two sessions
        rating the same card both count, one on top of the other.
        """
        path = Path(path)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            # check_same_thread off: the TUI reads from worker threads; writes stay on one thread.
            conn = sqlite3.connect(str(path), timeout=SESSION_WAIT_SECONDS, check_same_thread=False)
            db = Database(conn)
            db.execute("PRAGMA foreign_keys = ON")
            db.execute("PRAGMA journal_mode = WAL")
            # FULL: a rating acknowledged on screen survives a power cut, not only a crash.
            db.execute("PRAGMA synchronous = FULL")
            cls._check_version(db, path)
            if migrations.pending(db) and migrations.applied(db):
                # An existing store about to change shape: keep a copy from before, as Anki does.
                backup_database(conn, backup_dir(path), label="pre-migration")
            migrations.apply(db)
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                raise StoreError(
                    f"{path}: another hcflash process is writing to this store (a sync or a restore?); "
                    "it did not finish within a few seconds: try again when it has"
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

    def backup_to(self, folder: Path, label: str = "manual", now: datetime | None = None) -> Path:
        return backup_database(self.db.conn, folder, label, now)
