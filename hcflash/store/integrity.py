"""SQLite's own checks, and rows that lost their card."""

from __future__ import annotations

from hcflash.store.base import StoreDamaged, Table


class IntegrityChecks(Table):
    """SQLite's own checks and the rows that lost their card."""

    def problems(self) -> list[str]:
        """SQLite's own integrity check and foreign-key check; empty when the file is sound. Damage so
        deep that the check itself cannot run is reported as a problem too, not raised."""
        try:
            problems = [r[0] for r in self._query("PRAGMA integrity_check") if r[0] != "ok"]
        except StoreDamaged as exc:
            return [str(exc.__cause__ or exc)]
        if problems:
            return problems
        try:
            return [f"row {r[1]} of {r[0]} points to a missing {r[2]}" for r in self._query("PRAGMA foreign_key_check")]
        except StoreDamaged as exc:
            return [str(exc.__cause__ or exc)]

    def orphans(self) -> dict[str, list[int]]:
        """Rows that lost their card, and cards that lost their state."""
        q = self._query
        return {
            "card_state without a card": [r[0] for r in q("SELECT card_id FROM card_state WHERE card_id NOT IN (SELECT id FROM cards)")],
            "review_log without a card": [r[0] for r in q("SELECT id FROM review_log WHERE card_id NOT IN (SELECT id FROM cards)")],
            "card_flags without a card": [r[0] for r in q("SELECT id FROM card_flags WHERE card_id NOT IN (SELECT id FROM cards)")],
            "cards without a state": [r[0] for r in q("SELECT id FROM cards WHERE id NOT IN (SELECT card_id FROM card_state)")],
        }

    def fix_orphans(self, found: dict[str, list[int]]) -> None:
        with self._write():
            conn = self.db.conn
            conn.executemany("DELETE FROM card_state WHERE card_id = ?", [(i,) for i in found["card_state without a card"]])
            conn.executemany("DELETE FROM review_log WHERE id = ?", [(i,) for i in found["review_log without a card"]])
            conn.executemany("DELETE FROM card_flags WHERE id = ?", [(i,) for i in found["card_flags without a card"]])
            conn.executemany("INSERT INTO card_state(card_id, state) VALUES (?, 'new')", [(i,) for i in found["cards without a state"]])
