"""The store's front: opening (pragmas, locking, migrations), closing, checked backups and the
content swap of a restore, and one object per table group (`store.cards`, `store.states`,
`store.queue`, `store.log`, ...), the way Anki's collection hands out `col.decks` and `col.sched`."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from hcflash.errors import StoreError
from hcflash.store.base import StoreDB, raise_store_failure, readonly_uri
from hcflash.store.cards import CardTable
from hcflash.store.changes import ChangeLog
from hcflash.store.log import ReviewLog
from hcflash.store.queue import QueueQueries
from hcflash.store.schema import STEP_NAMES, applied_steps, apply_steps, unknown_steps
from hcflash.store.settings import SettingsTable
from hcflash.store.soundness import CheckBeforeWrites, quick_check
from hcflash.store.states import StateTable
from hcflash.store.sync_writes import SyncWriter
from hcflash.store.wal import AUTOCHECKPOINT_FRAMES

if TYPE_CHECKING:
    from hcflash.store.anki_sync import AnkiSyncTable
    from hcflash.store.export_reads import ExportReads
    from hcflash.store.flags import FlagTable
    from hcflash.store.html_cache import HtmlCache
    from hcflash.store.integrity import IntegrityChecks

SESSION_WAIT_SECONDS = 5.0  # how long to wait for a store another process is writing to


class Store:
    """A learner's store. Open with `Store.open(path)`; close when done (or use as a context manager)."""

    def __init__(self, db: StoreDB, path: Path) -> None:
        self.db = db
        self.path = path
        self.settings = SettingsTable(db, path)
        self.states = StateTable(db, path)
        self.changes = ChangeLog(db, path)
        self.sync = SyncWriter(db, path, self.states, self.changes)
        self.cards = CardTable(db, path)
        self.queue = QueueQueries(db, path)
        self.log = ReviewLog(db, path, self.states)

    # The groups no review touches are built on first use: a session starts without importing them.

    @cached_property
    def html(self) -> HtmlCache:
        from hcflash.store.html_cache import HtmlCache

        return HtmlCache(self.db, self.path)

    @cached_property
    def integrity(self) -> IntegrityChecks:
        from hcflash.store.integrity import IntegrityChecks

        return IntegrityChecks(self.db, self.path)

    @cached_property
    def flags(self) -> FlagTable:
        from hcflash.store.flags import FlagTable

        return FlagTable(self.db, self.path)

    @cached_property
    def export(self) -> ExportReads:
        from hcflash.store.export_reads import ExportReads

        return ExportReads(self.db, self.path)

    @cached_property
    def anki(self) -> AnkiSyncTable:
        from hcflash.store.anki_sync import AnkiSyncTable

        return AnkiSyncTable(self.db, self.path, self.log, self.states)

    @classmethod
    def open(cls, path: Path, create_folder: bool = True) -> Store:
        """Open (creating if needed) and migrate a store.

        WAL mode and no exclusive lock, so readers never wait: `hcflash status`, `decks`, `stats` or
        any SQLite tool in another terminal reads every committed rating while a review is open.
        Writers take turns; a rating is compare-and-set (`ReviewLog.record`), so two sessions
        rating the same card both count, one on top of the other. `create_folder` False refuses a
        store whose folder does not exist (a mistyped `--db` must not look like a new, empty
        collection).
        """
        path = Path(path)
        cls._check_location(path, create_folder)
        conn: sqlite3.Connection | None = None
        try:
            # check_same_thread off: the TUI reads from worker threads; writes stay on one thread.
            conn = sqlite3.connect(str(path), timeout=SESSION_WAIT_SECONDS, check_same_thread=False)
            db = StoreDB(conn)
            # The version is read before anything is set: a store from a newer hcflash stays byte for byte.
            applied = applied_steps(conn)
            cls._check_version(applied, path)
            db.execute("PRAGMA foreign_keys = ON")
            db.execute("PRAGMA journal_mode = WAL")
            # FULL: a rating acknowledged on screen survives a power cut, not only a crash.
            db.execute("PRAGMA synchronous = FULL")
            # Past where a review session checkpoints aside (`store/wal.py`), so none waits inside a rating.
            db.execute(f"PRAGMA wal_autocheckpoint = {AUTOCHECKPOINT_FRAMES}")
            if set(STEP_NAMES) - set(applied):
                if applied:
                    # An existing store about to change shape: keep a checked copy from before, as Anki does.
                    from hcflash.backups import backup_path
                    from hcflash.store.copies import write_checked_copy

                    write_checked_copy(conn, path, backup_path(path, datetime.now(UTC), "pre-migration"))
                apply_steps(conn)
        except BaseException as exc:
            if conn is not None:
                with suppress(sqlite3.Error):
                    conn.close()
            if isinstance(exc, sqlite3.OperationalError) and ("locked" in str(exc) or "busy" in str(exc)):
                raise StoreError(
                    f"{path}: another hcflash process is writing to this store (a sync or a restore?); "
                    "it did not finish within a few seconds: try again when it has"
                ) from exc
            raise_store_failure(path, exc)
            if isinstance(exc, sqlite3.Error):
                raise StoreError(f"{path}: not a usable hcflash store ({exc})") from exc
            raise
        return cls(db, path)

    @staticmethod
    def _check_location(path: Path, create_folder: bool) -> None:
        """Refuse, in words, a store the disk will not let hcflash use, before SQLite says it vaguely."""
        folder = path.parent
        if not folder.is_dir():
            if not create_folder:
                raise StoreError(f"{path}: the folder {folder} does not exist (a typo in --db?); create it first to start a new store there")
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise_store_failure(path, exc)
                raise
        if path.exists() and not os.access(path, os.R_OK):
            raise StoreError(f"{path}: the store cannot be read (permission denied)")
        if path.exists() and not os.access(path, os.W_OK):
            raise StoreError(f"{path}: the store is read-only (no write permission); nothing was changed")
        if not os.access(folder, os.W_OK | os.X_OK):
            raise StoreError(f"{path}: the folder {folder} is read-only; hcflash writes its store and SQLite's journal there")

    @staticmethod
    def inspect_file(path: Path) -> list[str]:
        """Why a file cannot be restored as a store; empty if it can. Opens it read-only."""
        from hcflash.store.copies import check_file  # copies load when one is made or checked, not with every store

        return check_file(path)

    @staticmethod
    def known_note_ids(path: Path) -> set[str] | None:
        """Every note id a store has ever held (retired ones too), read without opening it for
        writing; empty when there is no store, None when there is one that cannot be read now
        (in use by a review session, damaged)."""
        if not Path(path).is_file():
            return set()
        try:
            conn = sqlite3.connect(readonly_uri(path), uri=True, timeout=1.0)
        except sqlite3.Error:
            return None
        try:
            return {r[0] for r in conn.execute("SELECT DISTINCT note_id FROM cards")}
        except sqlite3.Error:
            return None
        finally:
            conn.close()

    def quick_check(self) -> list[str]:
        """SQLite's quick check (structure, without comparing every index entry); empty when sound."""
        return quick_check(self.db.conn, self.path)

    def check_before_writes(self) -> None:
        """Guard the store's writes with a quick check run beside the session, which starts when its
        verdict is first asked for (`wait_for_check`, or the first write, which waits for it;
        `soundness.py`)."""
        CheckBeforeWrites(self.db, self.path)

    @property
    def check_pending(self) -> bool:
        """Is a quick check started beside the session still to let the first write through?"""
        return self.db.gate is not None

    def wait_for_check(self) -> None:
        """Start the quick check guarding the session's writes, if it has not started, and block
        until it has passed; StoreDamaged if it failed. At once when there is none."""
        gate = self.db.gate
        if gate is not None:
            gate()

    def page_size(self) -> int:
        return int(self.db.conn.execute("PRAGMA page_size").fetchone()[0])

    def replace_content(self, restored: Path) -> None:
        """Replace this store's content with a file prepared by `copies.build_restored_copy` (same
        page size, current schema), in one step of SQLite's backup API: other readers see the old
        store or the new one."""
        try:
            source = sqlite3.connect(readonly_uri(restored), uri=True)
            try:
                source.backup(self.db.conn)
            finally:
                source.close()
        except sqlite3.Error as exc:
            raise_store_failure(self.path, exc)
            raise

    @staticmethod
    def _check_version(applied: list[str], path: Path) -> None:
        unknown = unknown_steps(applied)
        if unknown:
            raise StoreError(
                f"{path}: written by a newer hcflash (schema {', '.join(unknown)}); "
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
        with self.db.write(self.path):
            yield

    def backup_to(self, target: Path) -> Path:
        """A checked copy of the store at `target` (see `copies.write_checked_copy`)."""
        from hcflash.store.copies import write_checked_copy

        return write_checked_copy(self.db.conn, self.path, target)
