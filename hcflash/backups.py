"""Copies of the store: taken before schema migrations, once a day, and on request.

SQLite's online backup API makes each copy a consistent snapshot even while the store is open.
Backups live in a `backups/` folder beside the store; the newest few are kept.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from hcflash.errors import StoreError

PREFIX = "hcflash-"


def backup_dir(db_path: Path) -> Path:
    return Path(db_path).parent / "backups"


def backups(folder: Path) -> list[Path]:
    """Backups in `folder`, oldest first (names sort by their UTC time)."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.glob(f"{PREFIX}*.db") if p.is_file())


def newest_backup(folder: Path) -> Path | None:
    found = backups(folder)
    return found[-1] if found else None


def backup_database(conn: sqlite3.Connection, folder: Path, label: str, now: datetime | None = None) -> Path:
    """Write a consistent copy of the open database to `folder` and return its path."""
    moment = (now or datetime.now(UTC)).astimezone(UTC)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{PREFIX}{moment:%Y%m%dT%H%M%S%fZ}-{label}.db"
    dest = sqlite3.connect(str(target))
    try:
        conn.backup(dest)
    except sqlite3.Error as exc:
        dest.close()
        target.unlink(missing_ok=True)
        raise StoreError(f"{target}: backup failed ({exc})") from exc
    dest.close()
    return target


def prune(folder: Path, keep: int) -> list[Path]:
    """Delete all but the newest `keep` backups; returns what was deleted."""
    found = backups(folder)
    doomed = found[: max(0, len(found) - keep)]
    for path in doomed:
        path.unlink(missing_ok=True)
    return doomed


def backed_up_today(folder: Path, day_start: datetime) -> bool:
    newest = newest_backup(folder)
    if newest is None:
        return False
    stamp = newest.name[len(PREFIX) : len(PREFIX) + 22]
    try:
        taken = datetime.strptime(stamp, "%Y%m%dT%H%M%S%fZ").replace(tzinfo=UTC)
    except ValueError:
        return False
    return taken >= day_start
