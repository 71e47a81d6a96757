"""What a sync reads and writes: the deck-file index, the cards sync knows, and applying a sync plan
(inserts, edits, moves, retirements, revivals, carried history) in one transaction, with a line in
the change log for each card it changed and relearning for the cards whose fact changed."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hcflash import records
from hcflash.cards import sibling_rank
from hcflash.store.base import StoreDB, Table
from hcflash.store.changes import ChangeLog
from hcflash.store.states import StateTable
from hcflash.store.timecodec import date_from_db, date_to_db, to_db

if TYPE_CHECKING:  # the planner loads only when a deck changed: a no-op sync starts sessions
    from hcflash.records import CardContent
    from hcflash.sync import KnownCard, SyncPlan


# The columns a sync writes for a new card: `_card_values`, `_provenance_values`, then the times
# it was added and updated, and its retirement (a card past its validity window on arrival).
_NEW_CARD_COLUMNS = (
    "key, note_id, kind, ord, deck_id, question, answer, sources, tags, file, line, content_hash, "
    "verified, specs, valid_from, valid_until, change_kind, change_on, change_reason, added_at, updated_at, "
    "retired_at, retire_reason"
)
_NEW_CARD_COLUMN_COUNT = _NEW_CARD_COLUMNS.count(",") + 1


@dataclass(frozen=True)
class FileRecord:
    """What sync remembers of a deck file: size and time say whether to read it again, the content
    hash whether a file read again really changed."""

    path: str
    content_hash: str
    size: int
    mtime_ns: int


class SyncWriter(Table):
    """The `deck_files` index, and the `decks` and `cards` rows a sync writes."""

    def __init__(self, db: StoreDB, path: Path, states: StateTable, changes: ChangeLog) -> None:
        super().__init__(db, path)
        self._states = states
        self._changes = changes

    def file_index(self) -> dict[str, FileRecord]:
        return {
            r["path"]: FileRecord(r["path"], r["content_hash"], r["size"], r["mtime_ns"])
            for r in self._rows("SELECT path, content_hash, size, mtime_ns FROM deck_files")
        }

    def known(self, keys: set[str] | None = None, files: set[str] | None = None) -> dict[str, KnownCard]:
        """Stored cards as sync compares them: those with one of `keys` or in one of `files`, or every
        card when both are None. This read is most of an edit-one-card sync's time, so rows come as
        tuples, and the tags and provenance lines most cards share with many others (a deck's tags,
        one Verified: date) are decoded once per distinct stored text, not once per card."""
        from hcflash.sync import KnownCard

        sql = (
            "SELECT c.id, c.key, d.name, c.file, c.line, c.content_hash, c.tags, c.retired_at, c.retire_reason, "
            "c.verified, c.specs, c.valid_from, c.valid_until, c.change_kind, c.change_on, c.change_reason "
            "FROM cards c JOIN decks d ON d.id = c.deck_id"
        )
        params: list[str] = []
        if keys is not None or files is not None:
            sql += " WHERE c.key IN (SELECT value FROM json_each(?)) OR c.file IN (SELECT value FROM json_each(?))"
            params = [json.dumps(sorted(keys or ())), json.dumps(sorted(files or ()))]
        rows = self._query(sql, params)
        known = {}
        tags_of: dict[str, tuple[str, ...]] = {}
        provenance_of: dict[tuple[Any, ...], str] = {}
        for card_id, key, deck, file, line, content_hash, tags_text, retired_at, retire_reason, *raw in rows:
            tags = tags_of.get(tags_text)
            if tags is None:
                tags = tags_of[tags_text] = tuple(json.loads(tags_text))
            raw_key = tuple(raw)
            provenance = provenance_of.get(raw_key)
            verified, specs, valid_from, valid_until, change_kind, change_on, change_reason = raw
            if provenance is None:
                change = records.CardChange(change_kind, date_from_db(change_on), change_reason or "") if change_kind else None  # type: ignore[arg-type]
                provenance = provenance_of[raw_key] = records.provenance_key(
                    date_from_db(verified), tuple(records.SpecRef(*s) for s in json.loads(specs or "[]")),
                    date_from_db(valid_from), date_from_db(valid_until), change,
                )
            known[key] = KnownCard(
                card_id, key, deck, file, line, content_hash, tags, retired_at is not None, provenance,
                (change_kind, change_on, change_reason or "") if change_kind else None, retire_reason,
            )
        return known

    def _deck_ids(self, names: set[str], now: str) -> dict[str, int]:
        ids = {r["name"]: r["id"] for r in self._rows("SELECT id, name FROM decks")}
        for name in sorted(names - ids.keys()):
            cur = self.db.execute("INSERT INTO decks(name, created_at) VALUES (?, ?)", [name, now])
            ids[name] = int(cur.lastrowid)  # type: ignore[arg-type]
        return ids

    def apply(
        self,
        plan: SyncPlan,
        files: list[FileRecord],
        removed_files: list[str],
        descriptions: dict[str, str],
        now: datetime,
        today: date | None = None,
    ) -> None:
        """Write a sync plan and the new file index in one transaction (all or nothing)."""
        stamp = to_db(now)
        with self._write():
            names = {c.deck for c in plan.inserts} | {u.content.deck for u in plan.updates} | set(descriptions)
            deck_ids = self._deck_ids(names, stamp)  # type: ignore[arg-type]
            for name, text in descriptions.items():
                self.db.execute("UPDATE decks SET description = ? WHERE id = ?", [text, deck_ids[name]])
            self._insert(plan.inserts, deck_ids, stamp, today)  # type: ignore[arg-type]
            for u in plan.updates:
                self._update(u, deck_ids, stamp)  # type: ignore[arg-type]
            self.db.conn.executemany(
                "UPDATE cards SET retired_at = ?, retire_reason = 'removed' WHERE id = ?", [(stamp, i) for i in plan.retire_ids]
            )
            for card_id in plan.retire_ids:
                self._changes.add(card_id, "retired", stamp)  # type: ignore[arg-type]
            for carry in plan.carries:
                self._carry_history(carry.new_key, carry.old_ids)
            self.db.conn.executemany(
                "INSERT INTO deck_files(path, content_hash, size, mtime_ns, synced_at) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT(path) DO UPDATE SET content_hash = excluded.content_hash, size = excluded.size, "
                "mtime_ns = excluded.mtime_ns, synced_at = excluded.synced_at",
                [(f.path, f.content_hash, f.size, f.mtime_ns, stamp) for f in files],
            )
            self.db.conn.executemany("DELETE FROM deck_files WHERE path = ?", [(p,) for p in removed_files])

    def _insert(self, cards: list[CardContent], deck_ids: dict[str, int], stamp: str, today: date | None) -> None:
        """New cards, their states (new) and their lines in the change log (added, or expired), each
        table in one statement from a temporary table, in the order of `cards`. The search index
        (FTS5, kept by the cards' insert trigger) writes out its pending terms at every statement's
        savepoint: inserted card by card, it wrote a segment per card and merged them again,
        ≈60 of the ≈70 µs a new card cost a sync (docs/performance.md)."""
        if not cards:
            return
        conn = self.db.conn
        conn.execute(f"CREATE TEMP TABLE new_cards ({_NEW_CARD_COLUMNS}, sibling_rank, change)")
        conn.executemany(
            f"INSERT INTO temp.new_cards VALUES ({', '.join('?' * (_NEW_CARD_COLUMN_COUNT + 2))})",
            (
                (*self._card_values(card, deck_ids), *self._provenance_values(card), stamp, stamp,
                 stamp if expired else None, "expired" if expired else None,
                 sibling_rank(card.kind, card.ord), "expired" if expired else "added")
                for card in cards
                for expired in (today is not None and card.expired_on(today),)
            ),
        )
        conn.execute(f"INSERT INTO cards({_NEW_CARD_COLUMNS}) SELECT {_NEW_CARD_COLUMNS} FROM temp.new_cards ORDER BY rowid")
        conn.execute(
            "INSERT INTO card_state(card_id, state, sibling_rank) "
            "SELECT c.id, 'new', n.sibling_rank FROM temp.new_cards AS n JOIN cards AS c ON c.key = n.key ORDER BY n.rowid"
        )
        conn.execute(
            "INSERT INTO deck_changes(card_id, kind, reason, synced_at) "
            "SELECT c.id, n.change, '', ? FROM temp.new_cards AS n JOIN cards AS c ON c.key = n.key ORDER BY n.rowid",
            [stamp],
        )
        conn.execute("DROP TABLE temp.new_cards")

    def _update(self, u: Any, deck_ids: dict[str, int], stamp: str) -> None:  # noqa: ANN401 - a sync.CardUpdate
        card = u.content
        noticed = u.change_kind in ("fact", "edit")  # a wording fix keeps the learner's schedule silently
        if u.content_changed:
            previous = self.db.execute("SELECT question, answer FROM cards WHERE id = ?", [u.id]).fetchone()
            change = card.change if u.change_kind in ("fact", "wording") else None
            self._changes.add(u.id, u.change_kind, stamp, change.reason if change else "", change.on if change else None,
                              previous[0], previous[1])
        self.db.execute(
            # Right-hand sides read the row as it was, so previous_* keep the old text.
            "UPDATE cards SET "
            "previous_question = CASE WHEN ? THEN question ELSE previous_question END, "
            "previous_answer = CASE WHEN ? THEN answer ELSE previous_answer END, "
            "key = ?, note_id = ?, kind = ?, ord = ?, deck_id = ?, question = ?, "
            "answer = ?, sources = ?, tags = ?, file = ?, line = ?, content_hash = ?, "
            "verified = ?, specs = ?, valid_from = ?, valid_until = ?, change_kind = ?, change_on = ?, change_reason = ?, "
            "updated_at = ?, "
            "retired_at = CASE WHEN ? THEN COALESCE(retired_at, ?) ELSE NULL END, "
            "retire_reason = CASE WHEN ? THEN 'expired' ELSE NULL END, "
            "content_changed_at = CASE WHEN ? THEN ? ELSE content_changed_at END WHERE id = ?",
            [int(u.content_changed), int(u.content_changed), *self._card_values(card, deck_ids), *self._provenance_values(card),
             stamp, int(u.expired), stamp, int(u.expired), int(noticed), stamp, u.id],
        )
        if u.change_kind == "fact":
            # A fact that changed in the world: everyone who studied the card learns it again.
            self.db.execute(
                "UPDATE card_state SET state = 'relearning', step = 0, due = ?, buried_until = NULL WHERE card_id = ? AND state != 'new'",
                [stamp, u.id],
            )
        if u.revived:
            self._changes.add(u.id, "revived", stamp)
        if u.newly_expired:
            self._changes.add(u.id, "expired", stamp, reason=f"valid until {card.valid_until}")

    def expire(self, today: date, now: datetime) -> int:
        """Retire the active cards whose validity window closed before `today` (history kept);
        returns how many. Runs on every sync, so a window closes on its day even if no file changed."""
        stamp = to_db(now)
        closed = "SELECT id, valid_until FROM cards WHERE valid_until IS NOT NULL AND valid_until < ? AND retired_at IS NULL"
        if not self._query(closed, [today.isoformat()]):
            return 0  # the usual case takes no write lock: a session's start writes nothing
        with self._write():
            rows = self.db.execute(closed, [today.isoformat()]).fetchall()  # again, under the lock
            for card_id, until in rows:
                self.db.execute("UPDATE cards SET retired_at = ?, retire_reason = 'expired' WHERE id = ?", [stamp, card_id])
                self._changes.add(card_id, "expired", stamp, reason=f"valid until {until}")  # type: ignore[arg-type]
        return len(rows)

    def _carry_history(self, new_key: str, old_ids: tuple[int, ...]) -> None:
        """Copy the replaced cards' reviews onto the card that replaces them, each review once: a
        review the card already holds (same time and rating, as after `a → b → a`) is not copied
        again. The card takes the state of whichever card, itself included, was reviewed last (a
        rename carries the state as it was; a merge keeps the freshest; a rename back keeps what was
        learned under the other name)."""
        new_id = self._scalar("SELECT id FROM cards WHERE key = ?", [new_key])
        marks = ", ".join("?" for _ in old_ids)
        self.db.execute(
            "INSERT INTO review_log(card_id, rating, reviewed_at, duration_ms, state_before, state_after, origin) "
            "SELECT ?, o.rating, o.reviewed_at, o.duration_ms, "
            "json_set(o.state_before, '$.card_id', ?), json_set(o.state_after, '$.card_id', ?), o.origin "
            f"FROM review_log o WHERE o.card_id IN ({marks}) AND NOT EXISTS ("
            "  SELECT 1 FROM review_log n WHERE n.card_id = ? AND n.reviewed_at = o.reviewed_at AND n.rating = o.rating"
            ") GROUP BY o.reviewed_at, o.rating ORDER BY o.reviewed_at, MIN(o.id)",
            [new_id, new_id, new_id, *old_ids, new_id],
        )
        latest = self._query(
            f"SELECT card_id FROM card_state WHERE card_id IN ({marks}, ?) AND last_review IS NOT NULL "
            "ORDER BY last_review DESC, card_id = ? DESC LIMIT 1",
            [*old_ids, new_id, new_id],
        )
        if latest and latest[0][0] != new_id:
            self._states.write(self._states.get(latest[0][0]).with_changes(card_id=new_id))

    @staticmethod
    def _card_values(c: CardContent, deck_ids: dict[str, int]) -> tuple[Any, ...]:
        return (
            c.key, c.note_id, c.kind, c.ord, deck_ids[c.deck], c.question, c.answer,
            json.dumps(list(c.sources), ensure_ascii=False), json.dumps(list(c.tags), ensure_ascii=False),
            c.file, c.line, c.content_hash,
        )

    @staticmethod
    def _provenance_values(c: CardContent) -> tuple[Any, ...]:
        change = c.change
        return (
            date_to_db(c.verified), json.dumps([[s.name, s.version, s.pinned] for s in c.specs], ensure_ascii=False),
            date_to_db(c.valid_from), date_to_db(c.valid_until),
            change.kind if change else None, date_to_db(change.on) if change else None, change.reason if change else None,
        )
