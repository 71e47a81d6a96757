"""What an Anki export reads: every active card with its state, and every review, as light rows.

An export reads the whole store, so these reads skip what it does not need: no full `StoredCard`
(its dozen dates and provenance fields), and no review snapshots: SQLite pulls the few fields an
Anki revlog row needs out of the JSON, turns the times into epoch milliseconds, and writes the
reviews, the most numerous rows, straight into the export's scratch file.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

from hcflash.errors import StoreError
from hcflash.records import MAX_ANSWER_MS, CardKind, CardState
from hcflash.store.base import Table, deck_filter, raise_store_failure, readonly_uri
from hcflash.store.cards import _json_tuple
from hcflash.store.codec import STATE_COLUMNS, state_from_values


class ExportRow(NamedTuple):
    """One active card as an export needs it; the content fields are named as on `StoredCard`, so
    the renderer takes either."""

    id: int
    note_id: str
    kind: CardKind
    ord: int
    deck: str
    content_hash: str
    tags: tuple[str, ...]
    updated_secs: int  # the card's last edit, whole epoch seconds (an Anki note's mtime)
    question: str
    answer: str
    sources_json: str
    state_columns: tuple

    @property
    def sources(self) -> tuple[str, ...]:
        """Parsed only when the card is rendered (the render cache usually answers first)."""
        return _json_tuple(self.sources_json)

    @property
    def state(self) -> CardState:
        """Parsed where it is used: the export works out Anki's schedules on a second thread."""
        return state_from_values(self.state_columns)


def _ms(expr: str) -> str:
    return f"CAST(ROUND((julianday({expr}) - 2440587.5) * 86400000) AS INTEGER)"


_DAY_MS, _HALF_DAY_MS = 86_400_000, 43_200_000


def _ivl(state: str, due: str, at: str) -> str:
    """Anki's revlog interval, in SQL: 0 for a new card or no due date; whole days for a review
    card, at least 1, a half day rounded to even (as Python's round() did here before; only a
    span above zero can round above 1); minus whole seconds, at least 1, for (re)learning."""
    span = f"({due} - {at})"
    days = (f"({span} / {_DAY_MS} + CASE WHEN {span} % {_DAY_MS} > {_HALF_DAY_MS} THEN 1 "
            f"WHEN {span} % {_DAY_MS} = {_HALF_DAY_MS} THEN ({span} / {_DAY_MS}) % 2 ELSE 0 END)")
    return (f"CASE WHEN {state} = 'new' OR {due} IS NULL THEN 0 WHEN {state} = 'review' THEN max(1, {days}) "
            f"ELSE -max(1, {span} / 1000) END")


_STATE = ", ".join(f"s.{name}" for name in STATE_COLUMNS.split(", "))


class ExportReads(Table):
    """Read-only queries over `cards`, `card_state` and `review_log` for `hcflash anki export`."""

    def cards(self, decks: Sequence[str] | None = None) -> list[ExportRow]:
        """The active cards of `decks` (None: all) with their states, in deck-file order."""
        deck_sql, params = deck_filter(decks)
        rows = self._query(
            "SELECT c.id, c.note_id, c.kind, c.ord, d.name, c.content_hash, c.tags, "
            "CAST(strftime('%s', c.updated_at) AS INTEGER), c.question, "
            f"c.answer, c.sources, {_STATE} FROM cards c JOIN decks d ON d.id = c.deck_id "
            f"JOIN card_state s ON s.card_id = c.id WHERE c.retired_at IS NULL AND {deck_sql} ORDER BY c.file, c.line, c.ord",
            params,
        )
        return [
            ExportRow(
                r[0], r[1], r[2], r[3], r[4], r[5], _json_tuple(r[6]), r[7], r[8], r[9], r[10], r[11:],
            )
            for r in rows
        ]

    def revlog_into(self, target: Path) -> int:
        """Write every review as the values of an Anki revlog row into a new SQLite file at `target`,
        table `revlog` (card_id, id, ivl, last_ivl, packed: ease + 10 × type + 100 × time), in the
        order of its id (the review's time in milliseconds) and then of the log's; returns how many
        reviews share their millisecond with an earlier one (Anki needs unique ids:
        `export_rows.unique_revlog_ids` moves those on).

        What Anki's revlog holds, worked out in SQL (tests/test_anki_export_rows.py spells it out).
        No review passes through Python, and none through a JSON text: the export's collection
        attaches `target` and copies the rows, typed, which takes half the time of parsing them
        out of JSON (0.65 against 1.25 s for 500,000 reviews). This runs on a connection of its
        own, beside the export's other reads and Anki's work, without Python's lock; the store is
        attached read-only."""
        before_due, before_last, after_due = (
            _ms("json_extract(state_before, '$.due')"),
            _ms("json_extract(state_before, '$.last_review')"),
            _ms("json_extract(state_after, '$.due')"),
        )
        values = (
            f"SELECT id, card_id, rating, duration_ms, {_ms('reviewed_at')} AS at, "
            "json_extract(state_before, '$.state') AS before, json_extract(state_after, '$.state') AS after, "
            f"{before_due} AS before_due, {before_last} AS before_last, {after_due} AS after_due FROM store.review_log"
        )
        kind = "CASE before WHEN 'review' THEN 1 WHEN 'relearning' THEN 2 ELSE 0 END"
        # Materialized: each snapshot's JSON is read once per review, not once per use of a value.
        rows = (
            f"WITH v AS MATERIALIZED ({values}) "
            f"SELECT card_id, at, {_ivl('after', 'after_due', 'at')}, "
            f"{_ivl('before', 'before_due', 'COALESCE(before_last, at)')}, "
            f"rating + 10 * ({kind}) + 100 * min(COALESCE(duration_ms, 0), {MAX_ANSWER_MS}) "
            "FROM v ORDER BY at, id"
        )
        try:
            conn = sqlite3.connect(target, isolation_level=None, uri=True)  # a plain path: `uri` is for the ATTACH
        except sqlite3.Error as exc:
            raise StoreError(f"{target}: cannot write the export's scratch file ({exc})") from exc
        try:
            # A scratch file in the export's temporary folder, deleted with it: nothing to journal or sync.
            conn.execute("PRAGMA journal_mode = OFF")
            conn.execute("PRAGMA synchronous = OFF")
            conn.execute("CREATE TABLE revlog (card_id INTEGER, id INTEGER, ivl INTEGER, last_ivl INTEGER, packed INTEGER)")
            conn.execute("ATTACH DATABASE ? AS store", [readonly_uri(self.path)])  # a WAL reader waits only on recovery
            conn.execute(f"INSERT INTO revlog {rows}")
            return int(conn.execute("SELECT COUNT(*) - COUNT(DISTINCT id) FROM revlog").fetchone()[0])
        except sqlite3.Error as exc:
            if "full" in str(exc).lower():  # the store is only read: the scratch folder's disk is the full one
                raise StoreError(f"{target.parent}: the disk is full; the export stopped (free some space and try again)") from exc
            raise_store_failure(self.path, exc)
            raise
        finally:
            conn.close()
