"""Card states: each card's FSRS memory state, due date and queue flags."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from hcflash.errors import StoreError
from hcflash.records import CardState
from hcflash.store.base import Table
from hcflash.store.codec import STATE_COLUMNS, state_from_row, state_values
from hcflash.store.timecodec import from_db, to_db


class StateTable(Table):
    """The `card_state` table: each card's FSRS memory state, due date and queue flags."""

    def get(self, card_id: int) -> CardState:
        rows = self._rows("SELECT * FROM card_state WHERE card_id = ?", [card_id])
        if not rows:
            raise StoreError(f"no state for card {card_id}")
        return state_from_row(rows[0])

    def save_all(self, states: list[CardState]) -> None:
        with self._write():
            for state in states:
                self.save(state)

    _UPDATE_STATE = (
        f"UPDATE card_state SET {', '.join(f'{k} = ?' for k in STATE_COLUMNS.split(', ')[1:])} WHERE card_id = ?"
    )

    def save(self, state: CardState) -> None:
        with self._write():
            self.write(state)

    def write(self, state: CardState, values: tuple[Any, ...] | None = None) -> None:
        """The UPDATE alone, for callers already inside a transaction; `values` are the state's
        `state_values`, when the caller has them already."""
        values = values or state_values(state)
        self.db.conn.execute(self._UPDATE_STATE, (*values[1:], values[0]))

    def set_flags(self, card_id: int, *, suspended: bool | None = None, buried_until: datetime | None | str = "keep") -> None:
        with self._write():
            if suspended is not None:
                self.db.execute("UPDATE card_state SET suspended = ? WHERE card_id = ?", [int(suspended), card_id])
            if buried_until != "keep":
                self.db.execute(
                    "UPDATE card_state SET buried_until = ? WHERE card_id = ?",
                    [to_db(buried_until) if isinstance(buried_until, datetime) else None, card_id],
                )

    def siblings(self, card_id: int) -> list[CardState]:
        """The states of the other active cards of this card's note (its reverse, its other clozes)."""
        rows = self._rows(
            "SELECT s.* FROM card_state s JOIN cards c ON c.id = s.card_id "
            "WHERE c.note_id = (SELECT note_id FROM cards WHERE id = ?) AND c.id != ? AND c.retired_at IS NULL",
            [card_id, card_id],
        )
        return [state_from_row(r) for r in rows]

    def all(self) -> dict[int, CardState]:
        return {r["card_id"]: state_from_row(r) for r in self._rows("SELECT * FROM card_state")}

    def due_times_before(self, end: datetime) -> list[datetime]:
        """Due times of active, unsuspended cards already studied, due before `end` (overdue included)."""
        return [from_db(r[0]) for r in self._query(  # type: ignore[misc]
            "SELECT s.due FROM card_state s JOIN cards c ON c.id = s.card_id "
            "WHERE s.state != 'new' AND s.suspended = 0 AND c.retired_at IS NULL AND s.due < ? ORDER BY s.due",
            [to_db(end)],
        )]

    def counts(self) -> dict[str, int]:
        rows = self._query(
            "SELECT CASE WHEN s.suspended THEN 'suspended' ELSE s.state END, COUNT(*) "
            "FROM card_state s JOIN cards c ON c.id = s.card_id WHERE c.retired_at IS NULL GROUP BY 1"
        )
        return {r[0]: r[1] for r in rows}
