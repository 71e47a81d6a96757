"""The write-ahead log's upkeep, done beside a review session instead of inside its ratings:
the file grown once to the size it reaches anyway, and checkpoints taken every couple of hundred
ratings.

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

Checkpoints: SQLite copies the log back into the database file once it passes its automatic
checkpoint's threshold (1,000 frames unless set), inside whichever commit crossed that line. A
rating writes 6-15 frames, so every 70th to 160th rating waited for a checkpoint (5-25 ms at 10,000
cards, up to 150 ms at 100,000), which set the review loop's p99. The session instead hands out a
job (`WalUpkeep.due`) that the review screen runs on a worker thread while the learner reads: a
PASSIVE checkpoint on a connection of its own, which waits for no one and makes no one wait; the
next commit then starts the log again from its start. It is handed out once the log holds
CHECKPOINT_FRAMES frames, read from the wal-index header (`wal_frames`), and no sooner: the first
commit after a checkpoint, with synchronous=FULL, also syncs the log's new header, one fsync more
for that rating, so checkpoints are kept rare (about one per 200 ratings). The store's connections
raise SQLite's own threshold past that point (AUTOCHECKPOINT_FRAMES), where it stays in place for
anything that never runs the job.
"""

from __future__ import annotations

import os
import sqlite3
import sys
from collections.abc import Callable
from contextlib import closing, suppress
from functools import partial
from pathlib import Path

HEADER = 32  # bytes before the first frame
FRAME_HEADER = 24  # bytes before each frame's page
SPARE_FRAMES = 64  # a commit may carry the log past the checkpoint threshold by a few frames
CHUNK = 1 << 20
# A checkpoint aside once the log holds this many frames (~6 MB): late, since each costs the next
# rating an fsync, and well before SQLite's own, which the store's connections set at 2,000 (~8 MB).
CHECKPOINT_FRAMES = 1500
AUTOCHECKPOINT_FRAMES = 2000
# Ratings between checkpoints when the log's frame count cannot be read, and at least between any two.
CHECKPOINT_EVERY = 32
MIN_RATINGS_BETWEEN = 8
UPKEEP_WAIT_SECONDS = 1.0  # the write lock for growing the log; a rating holds it for well under that


def grow_wal(conn: sqlite3.Connection, path: Path) -> int:
    """Extend the store's WAL file with zeros to the size a session's checkpoints let it reach;
    call inside a write transaction. Returns the bytes added. Best effort: a WAL that cannot grow
    (a full disk, another file system's rules) is left as it was, and the commit that follows
    grows it as it always did or reports the disk as full."""
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    target = HEADER + (CHECKPOINT_FRAMES + SPARE_FRAMES) * (FRAME_HEADER + page_size)
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
                # On disk now, so that the first rating's fdatasync does not write these zeros too.
                getattr(os, "fdatasync", os.fsync)(file.fileno())
            except OSError:
                file.truncate(start)  # only the zeros written here go
                return 0
            return target - start
    except OSError:
        return 0


def wal_frames(path: Path) -> int | None:
    """The frames in the store's log now, as SQLite's wal-index header holds them (the `-shm` file:
    two copies of a 48-byte header, `mxFrame` a 32-bit number at byte 16 in the machine's byte
    order; sqlite.org/walformat.html). None when the file cannot be read or the copies differ (a
    writer is updating them)."""
    try:
        with open(str(path) + "-shm", "rb") as file:
            header = file.read(96)
    except OSError:
        return None
    if len(header) < 96 or header[:48] != header[48:96]:
        return None
    return int.from_bytes(header[16:20], sys.byteorder)


class WalUpkeep:
    """When a session's log upkeep is due: growing the log before its first ratings, then a
    checkpoint once the log holds CHECKPOINT_FRAMES frames (every CHECKPOINT_EVERY ratings when
    that cannot be read). Asked on the session's thread; the job it hands out touches nothing but
    the store's path, so it may run on any thread."""

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
        if self._written < MIN_RATINGS_BETWEEN:
            return None
        frames = wal_frames(self.path)
        if (frames is None and self._written >= CHECKPOINT_EVERY) or (frames is not None and frames >= CHECKPOINT_FRAMES):
            self._written = 0
            return partial(tend, self.path, grow=False)
        return None


def tend(path: Path, grow: bool = False) -> None:
    """Grow the log (`grow`) or checkpoint it, on a connection of this call's own. Best effort:
    whatever fails here leaves the log as SQLite keeps it anyway, so nothing is raised."""
    # mode=rw: a store moved away meanwhile is not created afresh, empty, at its old path.
    uri = Path(path).resolve().as_uri() + "?mode=rw"
    with suppress(sqlite3.Error, OSError), closing(
        sqlite3.connect(uri, uri=True, timeout=UPKEEP_WAIT_SECONDS, isolation_level=None)
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
