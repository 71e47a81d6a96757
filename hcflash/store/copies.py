"""Whole-file copies of a store, each checked before it counts: backups, the file a restore puts in
place, and the look at a store or a backup that decides what a restore may do.

A copy is made with SQLite's online backup API (a consistent snapshot even while the store is in
use) into a temporary name, checked with `PRAGMA integrity_check`, and only then renamed into
place, so a killed or damaged copy is never taken for a backup. Files are opened read-only through
escaped `file:` URIs, so any name (`a?b.db`, `#`, `%`) means that file and nothing else.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from hcflash.backups import BackupFile, backups_of, partial_path, stale_partials
from hcflash.errors import StoreError
from hcflash.store.base import StoreDamaged, raise_store_failure, readonly_uri
from hcflash.store.schema import applied_steps, apply_steps, unknown_steps

REQUIRED_TABLES = {"cards", "card_state", "review_log", "_sqlite_migrations"}


def _problems(conn: sqlite3.Connection, pragma: str = "integrity_check") -> list[str]:
    """SQLite's own check; damage so deep that the check cannot run is a problem too, not an error."""
    try:
        return [r[0] for r in conn.execute(f"PRAGMA {pragma}").fetchall() if r[0] != "ok"]
    except sqlite3.DatabaseError as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            raise
        return [str(exc)]


def _fsync_folder(folder: Path) -> None:
    with contextlib.suppress(OSError):  # not every platform lets a folder be opened for fsync
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _remove_copy(path: Path) -> None:
    """A copy that failed, with the journal SQLite may have left beside it: never left to look like one."""
    for leftover in (path, Path(f"{path}-journal")):
        with contextlib.suppress(OSError):
            leftover.unlink(missing_ok=True)


def write_checked_copy(conn: sqlite3.Connection, store_path: Path, target: Path) -> Path:
    """Copy the open database to `target`: written under a temporary name, checked, then renamed.
    A copy that fails the check is deleted and the store reported damaged; nothing half-written
    ever carries a backup's name."""
    folder = target.parent
    temp = partial_path(target)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for stale in stale_partials(store_path):
            stale.unlink(missing_ok=True)
        dest = sqlite3.connect(str(temp))
        try:
            conn.backup(dest)
            dest.execute("PRAGMA journal_mode = DELETE")  # a backup is one self-contained file, readable read-only
            problems = _problems(dest)
        finally:
            dest.close()
        if problems:
            raise StoreDamaged(f"{store_path}: the store is damaged ({problems[0]}); the backup was not taken. " + damage_advice(store_path))
        with open(temp, "rb") as handle:
            os.fsync(handle.fileno())
        os.replace(temp, target)
        _fsync_folder(folder)
    except BaseException as exc:
        _remove_copy(temp)
        raise_store_failure(store_path, exc)
        raise
    return target


def check_file(path: Path) -> list[str]:
    """Why a file cannot be restored as a store; empty if it can. Opens it read-only."""
    if not Path(path).is_file():
        return [f"{path} does not exist"]
    try:
        conn = sqlite3.connect(readonly_uri(path), uri=True)
    except sqlite3.Error as exc:
        return [f"cannot open: {exc}"]
    try:
        check = _problems(conn)
        if check:
            return [f"damaged: {'; '.join(check[:3])}"]
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        missing = REQUIRED_TABLES - tables
        if missing:
            return [f"not an hcflash store (no {', '.join(sorted(missing))} table)"]
        unknown = unknown_steps(applied_steps(conn))
        if unknown:
            return [f"written by a newer hcflash (schema {', '.join(unknown)})"]
        return []
    except sqlite3.Error as exc:
        return [f"not a usable SQLite database ({exc})"]
    finally:
        conn.close()


def newest_good_backup(store_path: Path, now: datetime | None = None) -> Path | None:
    """The newest backup of this store that passes the check (backups can be damaged later too)."""
    candidates: list[BackupFile] = backups_of(store_path, now)
    for backup in reversed(candidates):
        if not check_file(backup.path):
            return backup.path
    return None


def damage_advice(store_path: Path) -> str:
    """The newest good backup and the command that puts it back, for a store found damaged."""
    newest = newest_good_backup(store_path)
    if newest is None:
        return "No good backup was found; `hcflash doctor --check-only` shows the damage."
    return f"The newest good backup is {newest}; `hcflash restore {newest}` puts it back (the damaged file is kept aside)."


@dataclass(frozen=True)
class StoreCondition:
    """What a look at the store file (read-only, nothing written) found."""

    exists: bool
    problems: tuple[str, ...] = ()
    busy: bool = False
    page_size: int | None = None

    @property
    def sound(self) -> bool:
        return self.exists and not self.problems and not self.busy


def probe_store(path: Path) -> StoreCondition:
    """Is the store there, in use, sound? Read-only: a damaged store is not opened for writing."""
    if not Path(path).exists():
        return StoreCondition(exists=False)
    try:
        conn = sqlite3.connect(readonly_uri(path), uri=True, timeout=1.0)
    except sqlite3.Error as exc:
        return StoreCondition(exists=True, problems=(str(exc),))
    try:
        problems = _problems(conn, "quick_check")
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if not problems and REQUIRED_TABLES - tables:
            problems = ["not an hcflash store"]
        page_size = int(conn.execute("PRAGMA page_size").fetchone()[0])
        return StoreCondition(exists=True, problems=tuple(problems), page_size=page_size)
    except sqlite3.Error as exc:
        text = str(exc)
        if "locked" in text or "busy" in text:
            return StoreCondition(exists=True, busy=True)
        return StoreCondition(exists=True, problems=(text,))
    finally:
        conn.close()


def build_restored_copy(source: Path, target: Path, store_path: Path, page_size: int | None) -> None:
    """Write the backup `source` to `target` as this version's store: migrated to the current
    schema, in the page size of the store it will go into (SQLite copies into a WAL store only
    between equal page sizes), and checked."""
    try:
        src = sqlite3.connect(readonly_uri(source), uri=True)
        dest = sqlite3.connect(str(target))
        try:
            src.backup(dest)
            dest.execute("PRAGMA journal_mode = DELETE")
            current = int(dest.execute("PRAGMA page_size").fetchone()[0])
            if page_size and page_size != current:
                dest.execute(f"PRAGMA page_size = {int(page_size)}")
                dest.execute("VACUUM")
            apply_steps(dest)  # an older backup catches up with this version's schema
            problems = _problems(dest)
        finally:
            src.close()
            dest.close()
        if problems:
            raise StoreError(f"{source}: cannot restore: the copy failed its check ({problems[0]}); the store was not changed")
    except BaseException as exc:
        _remove_copy(target)
        raise_store_failure(store_path, exc)
        raise


def replace_store_file(store_path: Path, restored: Path) -> Path | None:
    """Put `restored` in place of a store that is damaged or missing. The damaged file (and its
    -wal, -shm or -journal, which must never be applied to the restored file) is kept aside under
    `<name>.damaged-<UTC time>`; returns that path. The store's name always points at one whole
    file: the old one until the rename, the restored one after it."""
    aside: Path | None = None
    try:
        if store_path.exists():
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
            aside = store_path.with_name(f"{store_path.name}.damaged-{stamp}")
            try:
                os.link(store_path, aside)
            except OSError:
                shutil.copy2(store_path, aside)
        for suffix in ("-wal", "-shm", "-journal"):
            side = Path(f"{store_path}{suffix}")
            if side.exists():
                if aside is not None:
                    os.replace(side, Path(f"{aside}{suffix}"))
                else:
                    side.unlink()
        os.replace(restored, store_path)
        _fsync_folder(store_path.parent)
    except OSError as exc:
        raise_store_failure(store_path, exc)
        raise
    return aside
