"""The write-ahead log's file, grown once per session to the size it reaches anyway.

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
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

HEADER = 32  # bytes before the first frame
FRAME_HEADER = 24  # bytes before each frame's page
SPARE_FRAMES = 64  # a commit may carry the log past the checkpoint threshold by a few frames
CHUNK = 1 << 20


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
