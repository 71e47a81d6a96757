"""Backup files of a store: their names, which ones belong to which store, which one counts as
today's, and which ones pruning may delete. File names only; the copies themselves are made and
checked by `hcflash.store.copies` (SQLite's online backup API, then `PRAGMA integrity_check`).

Backups live in a `backups/` folder beside the store and are named after the store file
(`hcflash.db` → `hcflash-20261124T080000000000Z-daily.db`), so two stores in one folder keep
separate sets. A copy is written under a hidden temporary name and renamed only once checked, so a
killed backup never becomes "the newest backup". Names carry the UTC time they were taken; a name
from a clock that ran ahead (later than now) sorts as the oldest, never as today's or the newest.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

STAMP = "%Y%m%dT%H%M%S%fZ"
CLOCK_TOLERANCE = timedelta(hours=1)  # how far ahead of now a time may be before it counts as "from the future"
PARTIAL_SUFFIX = ".partial"
STALE_PARTIAL_SECONDS = 600  # a temporary copy older than this belongs to a backup that was killed


@dataclass(frozen=True)
class BackupFile:
    """A backup found in the folder, with the time and label its name carries (the name, not the
    file's mtime, which a copy would change)."""

    path: Path
    taken: datetime
    label: str


def backup_dir(db_path: Path) -> Path:
    return Path(db_path).parent / "backups"


def _pattern(db_path: Path) -> re.Pattern[str]:
    return re.compile(rf"^{re.escape(Path(db_path).stem)}-(\d{{8}}T\d{{12}}Z)-([a-z0-9-]+)\.db$")


def _stamp_time(stamp: str) -> datetime:
    """The UTC moment a name's `STAMP` text holds (8 digits, T, 12 digits, Z: `_pattern` matched it),
    read as ISO 8601 rather than by `strptime`, which imports `_strptime` and `calendar` (≈1.2 ms)
    before every writing command, a review's start among them. ValueError for a date or time that
    cannot be."""
    return datetime.fromisoformat(f"{stamp[:15]}.{stamp[15:21]}+00:00")


def backup_path(db_path: Path, moment: datetime, label: str) -> Path:
    """Where a backup of the store at `db_path` taken at `moment` goes."""
    return backup_dir(db_path) / f"{Path(db_path).stem}-{moment.astimezone(UTC):{STAMP}}-{label}.db"


def partial_path(final: Path) -> Path:
    """The hidden name a copy is written under until it has been checked (never matched as a backup)."""
    return final.with_name(f".{final.name}{PARTIAL_SUFFIX}")


def stale_partials(db_path: Path, now_seconds: float | None = None) -> list[Path]:
    """Temporary copies (and their journals) left by backups that were killed."""
    folder = backup_dir(db_path)
    if not folder.is_dir():
        return []
    limit = (now_seconds if now_seconds is not None else time.time()) - STALE_PARTIAL_SECONDS
    found = []
    for path in folder.glob(f".{Path(db_path).stem}-*{PARTIAL_SUFFIX}*"):
        try:
            if path.stat().st_mtime < limit:
                found.append(path)
        except OSError:
            continue
    return found


def _from_future(taken: datetime, now: datetime) -> bool:
    return taken > now + CLOCK_TOLERANCE


def backups_of(db_path: Path, now: datetime | None = None) -> list[BackupFile]:
    """The store's backups, oldest first; names from a clock that ran ahead count as the oldest."""
    folder = backup_dir(db_path)
    if not folder.is_dir():
        return []
    now = now or datetime.now(UTC)
    pattern = _pattern(db_path)
    found = []
    for path in folder.iterdir():
        m = pattern.match(path.name)
        if not m or not path.is_file():
            continue
        try:
            taken = _stamp_time(m.group(1))
        except ValueError:
            continue
        found.append(BackupFile(path, taken, m.group(2)))
    return sorted(found, key=lambda b: (not _from_future(b.taken, now), b.taken, b.path.name))


def newest_backup(db_path: Path, now: datetime | None = None) -> Path | None:
    found = backups_of(db_path, now)
    return found[-1].path if found else None


def prune(db_path: Path, keep: int, protect: Path, now: datetime | None = None) -> list[Path]:
    """Delete all but the newest `keep` backups; `protect` (the copy just taken and checked, so the
    last good one) is never deleted, whatever its name says. Returns what was deleted."""
    found = [b.path for b in backups_of(db_path, now)]
    doomed = [p for p in found[: max(0, len(found) - keep)] if p != protect]
    for path in doomed:
        path.unlink(missing_ok=True)
    return doomed


def backed_up_today(db_path: Path, day_start: datetime, now: datetime) -> bool:
    """Whether a backup was taken in the study day that started at `day_start` (one named in the
    future, from a clock that ran ahead, does not count: daily backups go on once it is corrected)."""
    return any(day_start <= b.taken and not _from_future(b.taken, now) for b in backups_of(db_path, now))
