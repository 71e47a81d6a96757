"""What hcflash remembers about each Anki collection it syncs with: which review is which revlog row,
what it last set on each note, and the deck descriptions it wrote. A sync reads and writes here, in the
review log and in the card states inside one transaction that holds the store's write lock."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from hcflash.records.anki import AnkiCollectionLink, AnkiNoteLink, StoreSyncWrites
from hcflash.store.base import StoreDB, Table
from hcflash.store.codec import from_db, to_db
from hcflash.store.log import ReviewLog
from hcflash.store.states import StateTable


class AnkiSyncTable(Table):
    """The `anki_collections`, `anki_review_links` and `anki_note_links` tables."""

    def __init__(self, db: StoreDB, path: Path, log: ReviewLog, states: StateTable) -> None:
        super().__init__(db, path)
        self._log = log
        self._states = states

    @contextmanager
    def locked(self) -> Iterator[None]:
        """One transaction for a whole sync, with the write lock taken first: what the sync reads is
        what it writes over (no rating from another process slips in between), and a failure anywhere
        inside rolls everything back. A sync that writes nothing commits nothing."""
        with self.db.write(self.path):
            yield

    def collection(self, sync_id: str) -> AnkiCollectionLink | None:
        rows = self._rows("SELECT id, path, synced_at, decks FROM anki_collections WHERE id = ?", [sync_id])
        if not rows:
            return None
        row = rows[0]
        return AnkiCollectionLink(row["id"], row["path"], from_db(row["synced_at"]), json.loads(row["decks"]))  # type: ignore[arg-type]

    def review_links(self, sync_id: str) -> dict[int, int]:
        """hcflash review id → revlog id, for every review already synced with this collection."""
        return dict(self._query(
            "SELECT review_id, revlog_id FROM anki_review_links WHERE collection_id = ?", [sync_id]
        ))

    def note_links(self, sync_id: str) -> dict[str, AnkiNoteLink]:
        return {
            r[0]: AnkiNoteLink(r[0], r[1], tuple(json.loads(r[2])), bool(r[3]))
            for r in self._query(
                "SELECT note_id, deck, tags, retired FROM anki_note_links WHERE collection_id = ?", [sync_id]
            )
        }

    def write(self, sync_id: str, path: str, now: datetime, writes: StoreSyncWrites) -> None:
        """Apply one sync's changes (inside `locked()`, so they commit or roll back with the sync)."""
        stamp = to_db(now)
        conn = self.db.conn
        with self._write():
            conn.execute(
                "INSERT INTO anki_collections(id, path, synced_at, decks) VALUES (?, ?, ?, ?) "
                "ON CONFLICT(id) DO UPDATE SET path = excluded.path, synced_at = excluded.synced_at, "
                "decks = excluded.decks",
                [sync_id, path, stamp, json.dumps(writes.decks, ensure_ascii=False, sort_keys=True)],
            )
            links = list(writes.links)
            for entry, revlog_id in writes.new_reviews:
                links.append((self._log.insert(entry), revlog_id))
            self._log.rewrite_snapshots(list(writes.rewritten))
            for state in writes.states:
                self._states.write(state)
            conn.executemany(
                "INSERT OR REPLACE INTO anki_review_links(collection_id, review_id, revlog_id, synced_at) VALUES (?, ?, ?, ?)",
                [(sync_id, review_id, revlog_id, stamp) for review_id, revlog_id in links],
            )
            conn.executemany(
                "INSERT OR REPLACE INTO anki_note_links(collection_id, note_id, deck, tags, retired) VALUES (?, ?, ?, ?, ?)",
                [(sync_id, n.note_id, n.deck, json.dumps(list(n.tags), ensure_ascii=False), int(n.retired)) for n in writes.notes],
            )
