"""The change log: one line for each card a sync added, changed (a fact, a wording fix, a plain
edit), retired, expired or revived, so a learner can read what moved under them and when."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import TYPE_CHECKING

from hcflash.store.base import Table
from hcflash.store.timecodec import date_from_db, date_to_db, from_db, to_db

if TYPE_CHECKING:
    from hcflash.records import DeckChange


class ChangeLog(Table):
    """The `deck_changes` table."""

    def add(
        self, card_id: int, kind: str, synced_at: str, reason: str = "", changed_on: date | None = None,
        previous_question: str | None = None, previous_answer: str | None = None,
    ) -> None:
        """One line, inside the sync's own transaction."""
        self.db.conn.execute(
            "INSERT INTO deck_changes(card_id, kind, reason, changed_on, synced_at, previous_question, previous_answer) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            [card_id, kind, reason or "", date_to_db(changed_on), synced_at, previous_question, previous_answer],
        )

    def since(self, moment: datetime) -> list[DeckChange]:
        """Every change synced at or after a moment, grouped by kind in the order the deck files give."""
        from hcflash.records import DeckChange  # the command reports load when read, not with every store

        rows = self._rows(
            "SELECT x.card_id, c.key, d.name AS deck, c.question, x.kind, x.reason, x.changed_on, x.synced_at, c.sources, "
            "c.file, c.line, x.previous_answer, c.answer FROM deck_changes x JOIN cards c ON c.id = x.card_id "
            "JOIN decks d ON d.id = c.deck_id WHERE x.synced_at >= ? ORDER BY c.file, c.line, c.ord, x.id",
            [to_db(moment)],
        )
        return [
            DeckChange(
                card_id=r["card_id"], key=r["key"], deck=r["deck"], question=r["question"], kind=r["kind"], reason=r["reason"],
                changed_on=date_from_db(r["changed_on"]), synced_at=from_db(r["synced_at"]),  # type: ignore[arg-type]
                sources=tuple(json.loads(r["sources"])), file=r["file"], line=r["line"],
                previous_answer=r["previous_answer"], answer=r["answer"],
            )
            for r in rows
        ]

    def latest_fact_changes(self) -> dict[int, datetime]:
        """Per card, when the newest fact change reached it: the moment a sync sent it to relearning."""
        rows = self._query("SELECT card_id, MAX(synced_at) FROM deck_changes WHERE kind = 'fact' GROUP BY card_id")
        return {card_id: from_db(at) for card_id, at in rows}  # type: ignore[misc]

    def last_sync_with_changes(self) -> datetime | None:
        """When the latest sync that changed anything ran."""
        return from_db(self._scalar("SELECT MAX(synced_at) FROM deck_changes"))

    def fact_changes_waiting(self) -> int:
        """Active cards whose fact changed since the learner last reviewed them (and who had studied them)."""
        return int(self._scalar(
            "SELECT COUNT(*) FROM cards c JOIN card_state s ON s.card_id = c.id "
            "WHERE c.change_kind = 'fact' AND c.retired_at IS NULL AND s.state != 'new' AND s.last_review IS NOT NULL "
            "AND c.content_changed_at > s.last_review"
        ))
