"""The review log: every rating with the card's state before and after it."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hcflash import records
from hcflash.errors import StoreError
from hcflash.records import CardState
from hcflash.store.base import Stamp, StoreDB, Table, deck_filter
from hcflash.store.codec import EncodedRating, encode_ratings, snapshot, state_from_row, state_row
from hcflash.store.states import StateTable
from hcflash.store.timecodec import from_db, to_db

if TYPE_CHECKING:  # made by `records.X(...)`, loaded on first use: a session opens the log before any rating
    from hcflash.records import LoggedRating, ReviewEntry, ReviewStamp


class StateChanged(StoreError):
    """A card's state moved under a rating (another process rated it first)."""


class ReviewLog(Table):
    """The `review_log` table: every rating with the state before and after it."""

    def __init__(self, db: StoreDB, path: Path, states: StateTable) -> None:
        super().__init__(db, path)
        self._states = states

    def record(
        self, card_id: int, rating: int, reviewed_at: datetime, duration_ms: int | None,
        before: CardState, after: CardState, origin: str = "hcflash", also: Sequence[CardState] = (),
        unchanged_since: Stamp | None = None, encoded: EncodedRating | None = None,
    ) -> tuple[int, Stamp | None]:
        """Append to the log and move the card to its new state, committed together before returning;
        `also` are other states written in the same transaction (the siblings the rating buries).
        Returns the log id, and with `unchanged_since` the store's stamp after this write.
        `encoded` is `before` and `after` in their stored forms, from `encode` ahead of the rating.

        Compare-and-set, checked once the write lock is held, so a rating never overwrites one that
        another process gave in between: nothing is written and StateChanged is raised, and the
        caller works the rating out again from the store as it now is.
        - With `unchanged_since` (the stamp under which the caller read `before` and worked out
          `also`), any change to the store since raises, and no read is needed when there is none.
        - Without it, the card's state is read and compared with `before`."""
        conn = self.db.conn
        if encoded is None or encoded.before is not before or encoded.after is not after:
            encoded = encode_ratings(before, {rating: after})[rating]
        values = encoded.after_values
        # The rating's time is the new state's last review (as STATE_COLUMNS places it), nearly always.
        reviewed_text = values[6] if reviewed_at is after.last_review else to_db(reviewed_at)
        with self.db.write(self.path):
            if unchanged_since is not None:
                stamp = self.db.stamp()
                if stamp != unchanged_since:
                    raise StateChanged(f"the store changed while card {card_id} was being rated")
            else:
                row = self._rows("SELECT * FROM card_state WHERE card_id = ?", [card_id])
                if not row or state_from_row(row[0]) != before:
                    raise StateChanged(f"card {card_id} changed while it was being rated")
            cur = conn.execute(
                "INSERT INTO review_log(card_id, rating, reviewed_at, duration_ms, state_before, state_after, origin) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                [card_id, rating, reviewed_text, duration_ms, encoded.before_snapshot, encoded.after_snapshot, origin],
            )
            self._states.write(after, values)
            for state in also:
                self._states.write(state)
        written = (stamp[0], conn.total_changes) if unchanged_since is not None else None
        return int(cur.lastrowid), written  # type: ignore[arg-type]

    @staticmethod
    def encode(before: CardState, outcomes: dict[int, CardState]) -> dict[int, EncodedRating]:
        """Each outcome of a card's state in the form `record` writes, worked out ahead of the rating."""
        return encode_ratings(before, outcomes)

    def _entry(self, row: dict[str, Any]) -> ReviewEntry:
        return records.ReviewEntry(
            id=row["id"], card_id=row["card_id"], rating=row["rating"],
            reviewed_at=from_db(row["reviewed_at"]),  # type: ignore[arg-type]
            duration_ms=row["duration_ms"],
            before=state_from_row(json.loads(row["state_before"])),
            after=state_from_row(json.loads(row["state_after"])),
            origin=row["origin"],
        )

    def entry(self, log_id: int) -> ReviewEntry | None:
        rows = self._rows("SELECT * FROM review_log WHERE id = ?", [log_id])
        return self._entry(rows[0]) if rows else None

    def of_card(self, card_id: int) -> list[ReviewEntry]:
        return [self._entry(r) for r in self._rows("SELECT * FROM review_log WHERE card_id = ? ORDER BY reviewed_at, id", [card_id])]

    def undo(self, entry: ReviewEntry) -> None:
        """Remove a review and put the card back as it was before it, together."""
        self.take_back([entry.before], log_id=entry.id)

    def take_back(self, states: Sequence[CardState], log_id: int | None = None, flag_id: int | None = None) -> None:
        """Undo one action in one transaction: put these card states back, and remove the review or
        the flag the action added."""
        with self._write():
            if log_id is not None:
                self.db.execute("DELETE FROM review_log WHERE id = ?", [log_id])
            if flag_id is not None:
                self.db.execute("DELETE FROM card_flags WHERE id = ?", [flag_id])
            for state in states:
                self._states.write(state)

    def count(self) -> int:
        return int(self._scalar("SELECT COUNT(*) FROM review_log"))

    def all(self) -> dict[int, list[ReviewEntry]]:
        grouped: dict[int, list[ReviewEntry]] = {}
        for row in self._rows("SELECT * FROM review_log ORDER BY reviewed_at, id"):
            entry = self._entry(row)
            grouped.setdefault(entry.card_id, []).append(entry)
        return grouped

    def stamps(self) -> dict[int, list[ReviewStamp]]:
        """Every review without its snapshots, by card, oldest first: cheap enough to read whole."""
        grouped: dict[int, list[ReviewStamp]] = {}
        for log_id, card_id, rating, at in self._query(
            "SELECT id, card_id, rating, reviewed_at FROM review_log ORDER BY reviewed_at, id"
        ):
            grouped.setdefault(card_id, []).append(records.ReviewStamp(log_id, card_id, rating, from_db(at)))  # type: ignore[arg-type]
        return grouped

    def of_cards(self, card_ids: list[int]) -> dict[int, list[ReviewEntry]]:
        """The full reviews of these cards, by card, oldest first."""
        grouped: dict[int, list[ReviewEntry]] = {card_id: [] for card_id in card_ids}
        for start in range(0, len(card_ids), 500):
            chunk = card_ids[start : start + 500]
            marks = ", ".join("?" for _ in chunk)
            for row in self._rows(f"SELECT * FROM review_log WHERE card_id IN ({marks}) ORDER BY reviewed_at, id", chunk):
                grouped[row["card_id"]].append(self._entry(row))
        return grouped

    def merge(self, entries: list[ReviewEntry], states: list[CardState]) -> None:
        """Add reviews that came from elsewhere and set the affected cards' states, all or nothing."""
        with self._write():
            self.db.conn.executemany(
                "INSERT INTO review_log(card_id, rating, reviewed_at, duration_ms, state_before, state_after, origin) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                [
                    (e.card_id, e.rating, to_db(e.reviewed_at), e.duration_ms,
                     snapshot(e.before), snapshot(e.after), e.origin)
                    for e in entries
                ],
            )
            for state in states:
                self._states.save(state)

    def insert(self, entry: ReviewEntry) -> int:
        """One review from elsewhere, for a caller already inside a transaction; returns its log id."""
        cur = self.db.conn.execute(
            "INSERT INTO review_log(card_id, rating, reviewed_at, duration_ms, state_before, state_after, origin) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            [entry.card_id, entry.rating, to_db(entry.reviewed_at), entry.duration_ms,
             snapshot(entry.before), snapshot(entry.after), entry.origin],
        )
        return int(cur.lastrowid)  # type: ignore[arg-type]

    def rewrite_snapshots(self, entries: list[ReviewEntry]) -> None:
        """New state snapshots for existing reviews (an earlier review arrived from elsewhere); the
        rating, its time and its origin never change."""
        self.db.conn.executemany(
            "UPDATE review_log SET state_before = ?, state_after = ? WHERE id = ?",
            [(snapshot(e.before), snapshot(e.after), e.id) for e in entries],
        )

    def moved_since_last_review(self) -> list[int]:
        """Studied cards whose state is not the one their newest review left them in: moved by
        something other than a rating (a fact change sends them back to relearning). Reset cards,
        new again, are not counted."""
        return [r[0] for r in self._query(
            "SELECT s.card_id FROM card_state s JOIN review_log l ON l.card_id = s.card_id JOIN ("
            "  SELECT card_id, MAX(reviewed_at) AS at FROM review_log GROUP BY card_id"
            ") last ON last.card_id = l.card_id AND last.at = l.reviewed_at "
            "WHERE s.state != 'new' AND (s.state != json_extract(l.state_after, '$.state') "
            "OR s.due IS NOT json_extract(l.state_after, '$.due')) ORDER BY s.card_id"
        )]

    def last_states(self) -> dict[int, CardState]:
        """Each reviewed card's state as its newest review recorded it."""
        rows = self._query(
            "SELECT l.card_id, l.state_after FROM review_log l JOIN ("
            "  SELECT card_id, MAX(reviewed_at) AS at FROM review_log GROUP BY card_id"
            ") last ON last.card_id = l.card_id AND last.at = l.reviewed_at ORDER BY l.id"
        )
        return {card_id: state_from_row(json.loads(after)) for card_id, after in rows}

    def forgotten_since(self, since: datetime, decks: Sequence[str] | None) -> list[int]:
        """Active, unsuspended cards rated Again since a moment (Anki's "review forgotten cards"), oldest lapse first."""
        deck_sql, params = deck_filter(decks)
        rows = self._query(
            "SELECT l.card_id FROM review_log l JOIN cards c ON c.id = l.card_id JOIN decks d ON d.id = c.deck_id "
            "JOIN card_state s ON s.card_id = c.id "
            f"WHERE l.rating = 1 AND l.reviewed_at >= ? AND c.retired_at IS NULL AND s.suspended = 0 AND {deck_sql} "
            "GROUP BY l.card_id ORDER BY MIN(l.reviewed_at)",
            [to_db(since), *params],
        )
        return [r[0] for r in rows]

    def between(self, start: datetime, end: datetime) -> list[LoggedRating]:
        """Ratings given in [start, end), oldest first."""
        return [
            records.LoggedRating(from_db(r[0]), r[1], r[2])  # type: ignore[arg-type]
            for r in self._query(
                "SELECT reviewed_at, rating, json_extract(state_before, '$.state') FROM review_log "
                "WHERE reviewed_at >= ? AND reviewed_at < ? ORDER BY reviewed_at",
                [to_db(start), to_db(end)],
            )
        ]

    def times_since(self, start: datetime) -> list[datetime]:
        """When each review since `start` was given, for the heatmap."""
        return [from_db(r[0]) for r in self._query(  # type: ignore[misc]
            "SELECT reviewed_at FROM review_log WHERE reviewed_at >= ? ORDER BY reviewed_at", [to_db(start)]
        )]

    def count_after(self, moment: datetime) -> int:
        """Reviews dated after `moment` (an index lookup: cheap enough to ask at every start)."""
        return int(self._scalar("SELECT COUNT(*) FROM review_log WHERE reviewed_at > ?", [to_db(moment)]))

    def clamp_after(self, limit: datetime, now: datetime) -> int:
        """Reviews dated after `limit` (given while the clock ran ahead) count as given at `now`; the
        states they recorded, and the cards' states, keep their intervals but start from `now`, so a
        corrected clock neither hides those cards for years nor keeps them buried. One transaction;
        returns how many reviews moved."""
        cutoff = to_db(limit)
        bury_cutoff = to_db(now + timedelta(days=2))  # a bury lasts until the next study day, never longer

        def moved(snapshot: dict[str, Any]) -> dict[str, Any]:
            changed = dict(snapshot)
            last = snapshot.get("last_review")
            if last is not None and last > cutoff:
                changed["last_review"] = to_db(now)
                if snapshot.get("due") is not None:
                    changed["due"] = to_db(now + (from_db(snapshot["due"]) - from_db(last)))  # type: ignore[operator]
            if snapshot.get("buried_until") is not None and snapshot["buried_until"] > bury_cutoff:
                changed["buried_until"] = None
            return changed

        rows = self._rows("SELECT id, state_before, state_after FROM review_log WHERE reviewed_at > ? ORDER BY id", [cutoff])
        states = self._rows("SELECT * FROM card_state WHERE last_review > ? OR buried_until > ?", [cutoff, bury_cutoff])
        if not rows and not states:
            return 0
        with self._write():
            self.db.conn.executemany(
                "UPDATE review_log SET reviewed_at = ?, state_before = ?, state_after = ? WHERE id = ?",
                [
                    (to_db(now), json.dumps(moved(json.loads(r["state_before"]))), json.dumps(moved(json.loads(r["state_after"]))), r["id"])
                    for r in rows
                ],
            )
            for row in states:
                self._states.write(state_from_row(moved(state_row(state_from_row(row)))))
        return len(rows)
