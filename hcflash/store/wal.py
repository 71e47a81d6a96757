"""The write-ahead log's upkeep, done beside a review session instead of inside its ratings:
the file grown once to the size it reaches anyway, and checkpoints taken every few dozen ratings.

Why: every rating is committed with `synchronous=FULL`, which ends in an fdatasync of the WAL file.
While that file is still growing, the sync must also record its new length in the filesystem's
journal, which on ext4 costs about as much again as the sync itself (a small commit took 0.21 ms
while the file grew and 0.14 ms once it had its size). SQLite deletes the WAL when the last
connection closes, so without this the first ~120 ratings of every session paid that price, until
the automatic checkpoint let SQLite reuse the file from its start.

Bytes past the last valid frame are what SQLite expects to find in a WAL it reuses: every frame
carries the log's salt and a running checksum, and recovery stops at the first frame that does not
match, so zeros there are never read as data. They are written only while this connection holds
the write lock (inside a write transaction), so no other writer is appending to the file.

Checkpoints: SQLite copies the log back into the database file once it passes 1,000 frames, inside
whichever commit crossed that line. A review session's rating writes about nine frames, so every
~110th rating waited for a checkpoint (5-25 ms at 10,000 cards, more at 100,000), which set the
review loop's p99. The session instead hands out a job (`WalUpkeep.due`) that the review screen runs
on a worker thread while the learner reads: a PASSIVE checkpoint on a connection of its own, which
waits for no one and makes no one wait; the next commit then starts the log again from its start.
SQLite's own checkpoint stays in place for anything that never runs the job.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from contextlib import closing, suppress
from functools import partial
from pathlib import Path

HEADER = 32  # bytes before the first frame
FRAME_HEADER = 24  # bytes before each frame's page
SPARE_FRAMES = 64  # a commit may carry the log past the checkpoint threshold by a few frames
CHUNK = 1 << 20
# Ratings between checkpoints taken aside: ~290 frames, well before SQLite's own at 1,000.
CHECKPOINT_EVERY = 32
UPKEEP_WAIT_SECONDS = 1.0  # the write lock for growing the log; a rating holds it for well under that


def grow_wal(conn: sqlite3.Connection, path: Path) -> int:
    """Extend the store's WAL file with zeros to the size the automatic checkpoint lets it reach;
    call inside a write transaction. Returns the bytes added. Best effort: a WAL that cannot grow
    (a full disk, another file system's rules) is left as it was, and the commit that follows
    grows it as it always did or reports the disk as full."""
    frames = conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0]
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    if frames <= 0:
        return 0  # no automatic checkpoint: the log has no natural size
    target = HEADER + (frames + SPARE_FRAMES) * (FRAME_HEADER + page_size)
    wal = Path(str(path) + "-wal")
    try:
        with wal.open("r+b") as file:
            start = file.seek(0, os.SEEK_END)
            if start >= target:
                return 0
            try:
                zeros = bytes(CHUNK)
                size = start
                while size < target:
                    size += file.write(zeros[: min(CHUNK, target - size)])
                file.flush()
            except OSError:
                file.truncate(start)  # only the zeros written here go
                return 0
            return target - start
    except OSError:
        return 0


class WalUpkeep:
    """When a session's log upkeep is due: growing the log before its first ratings, then a
    checkpoint every CHECKPOINT_EVERY ratings. Counts on the session's thread; the job it hands
    out touches nothing but the store's path, so it may run on any thread."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._grown = False
        self._written = 0

    def wrote(self) -> None:
        self._written += 1

    def due(self) -> Callable[[], None] | None:
        if not self._grown:
            self._grown = True
            return partial(tend, self.path, grow=True)
        if self._written >= CHECKPOINT_EVERY:
            self._written = 0
            return partial(tend, self.path, grow=False)
        return None


def tend(path: Path, grow: bool = False) -> None:
    """Grow the log (`grow`) or checkpoint it, on a connection of this call's own. Best effort:
    whatever fails here leaves the log as SQLite keeps it anyway, so nothing is raised."""
    with suppress(sqlite3.Error, OSError), closing(
        sqlite3.connect(str(path), timeout=UPKEEP_WAIT_SECONDS, isolation_level=None)
    ) as conn:
        conn.execute("PRAGMA synchronous = FULL")
        if grow:
            conn.execute("BEGIN IMMEDIATE")
            try:
                grow_wal(conn, path)
            finally:
                conn.execute("COMMIT")
        else:
            conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
