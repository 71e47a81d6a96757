"""The reads behind the review queue and the deck list: which cards are due, in what order, how many."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from hcflash.store.base import Table, deck_filter
from hcflash.store.quick import active_cards
from hcflash.store.timecodec import to_db

if TYPE_CHECKING:
    from hcflash.records import DeckRow


class QueueQueries(Table):
    """Which cards are due, in what order, and how many: the reads behind the review queue and the deck list."""

    _ACTIVE = active_cards("?")

    def _due_where(
        self, states: Sequence[str], due_before: datetime, now: datetime, decks: Sequence[str] | None, exact: bool = False
    ) -> tuple[str, list[Any]]:
        deck_sql, deck_params = deck_filter(decks, exact=exact)
        marks = ", ".join("?" for _ in states)
        where = f"s.state IN ({marks}) AND s.due < ? AND {self._ACTIVE} AND {deck_sql}"
        return where, [*states, to_db(due_before), to_db(now), *deck_params]

    def _new_where(self, now: datetime, decks: Sequence[str] | None, exact: bool = False) -> tuple[str, list[Any]]:
        deck_sql, deck_params = deck_filter(decks, exact=exact)
        return f"s.state = 'new' AND {self._ACTIVE} AND {deck_sql}", [to_db(now), *deck_params]

    _QUEUE_FROM = "FROM card_state s JOIN cards c ON c.id = s.card_id JOIN decks d ON d.id = c.deck_id"

    def due_ids(
        self, states: Sequence[str], due_before: datetime, now: datetime, decks: Sequence[str] | None, limit: int,
        exact: bool = False,
    ) -> list[int]:
        """Active cards in `states` due before a moment, earliest first.

        One indexed query per state, merged here: with `state IN (...)` SQLite would read and sort
        every due card of both states to return the first few."""
        found: list[tuple[str, int]] = []
        for state in states:
            where, params = self._due_where((state,), due_before, now, decks, exact)
            sql = f"SELECT s.due, s.card_id {self._QUEUE_FROM} WHERE {where} ORDER BY s.due, s.card_id LIMIT ?"
            found.extend(self._query(sql, [*params, limit]))
        return [card_id for _, card_id in sorted(found)[:limit]]

    # The review session's memory of the queue (`hcflash/queue_memory.py`) reads the heads of the
    # queues below: a card's burial is left for it to compare with the clock as the clock moves, so
    # what it holds stays right all day. Each entry is only its order, its id and its burial; the
    # review screen's columns are read for the one card about to be shown (`cards.for_review`).

    def due_head(
        self, state: str, due_before: datetime | None, decks: Sequence[str] | None, limit: int, exact: bool = False,
    ) -> list[tuple[str, int, str | None]]:
        """The first `limit` live, unsuspended cards in `state` (due before a moment, if given),
        earliest first, buried or not, as (due, card id, buried until) in the store's time text."""
        deck_sql, deck_params = deck_filter(decks, exact=exact)
        bound, bound_params = ("s.due < ? AND ", [to_db(due_before)]) if due_before is not None else ("", [])
        sql = (
            f"SELECT s.due, s.card_id, s.buried_until {self._QUEUE_FROM} WHERE s.state = ? AND {bound}"
            f"c.retired_at IS NULL AND s.suspended = 0 AND {deck_sql} ORDER BY s.due, s.card_id LIMIT ?"
        )
        return self._query(sql, [state, *bound_params, *deck_params, limit])  # type: ignore[return-value]

    def new_head(self, decks: Sequence[str] | None, limit: int, exact: bool = False) -> list[tuple[int, int, str | None]]:
        """The first `limit` live, unsuspended new cards, buried or not, as (sibling rank, card id,
        buried until), in Anki's default new-card order, "card type, then order gathered": every
        note's first card (basic, first cloze) before any second card (reverse, second cloze), each
        type in the order added (deck-file order within a sync)."""
        deck_sql, deck_params = deck_filter(decks, exact=exact)
        # INDEXED BY: the partial index already holds new cards in this order; without the hint the
        # planner may pick idx_state_due and sort every new card.
        sql = (
            "SELECT s.sibling_rank, s.card_id, s.buried_until FROM card_state s INDEXED BY idx_state_new_order "
            "JOIN cards c ON c.id = s.card_id JOIN decks d ON d.id = c.deck_id WHERE s.state = 'new' "
            f"AND c.retired_at IS NULL AND s.suspended = 0 AND {deck_sql} ORDER BY s.sibling_rank, s.card_id LIMIT ?"
        )
        return self._query(sql, [*deck_params, limit])  # type: ignore[return-value]

    def count_due(
        self, states: Sequence[str], due_before: datetime, now: datetime, decks: Sequence[str] | None, cap: int = -1,
        exact: bool = False,
    ) -> int:
        """Cards due before a moment, counted up to `cap` (-1: all)."""
        where, params = self._due_where(states, due_before, now, decks, exact)
        return int(self._scalar(f"SELECT COUNT(*) FROM (SELECT 1 {self._QUEUE_FROM} WHERE {where} LIMIT ?)", [*params, cap]))

    def count_new(self, now: datetime, decks: Sequence[str] | None, cap: int, exact: bool = False) -> int:
        """New cards available, counted only up to `cap` (the day's remaining limit)."""
        where, params = self._new_where(now, decks, exact)
        return int(self._scalar(f"SELECT COUNT(*) FROM (SELECT 1 {self._QUEUE_FROM} WHERE {where} LIMIT ?)", [*params, cap]))

    def studied_since(self, since: datetime) -> dict[str, tuple[int, int]]:
        """Per deck (own cards): (new cards introduced, reviews of review-state cards) since a
        moment, the daily limits' usage. Decks with none are left out."""
        rows = self._query(
            "SELECT d.name, COALESCE(SUM(json_extract(l.state_before, '$.state') = 'new'), 0), "
            "COALESCE(SUM(json_extract(l.state_before, '$.state') = 'review'), 0) "
            "FROM review_log l JOIN cards c ON c.id = l.card_id JOIN decks d ON d.id = c.deck_id "
            "WHERE l.reviewed_at >= ? GROUP BY d.id",
            [to_db(since)],
        )
        return {name: (int(new), int(reviews)) for name, new, reviews in rows}

    def deck_names(self) -> list[str]:
        """Every deck that holds an active card."""
        return [r[0] for r in self._query(
            "SELECT d.name FROM decks d WHERE EXISTS (SELECT 1 FROM cards c WHERE c.deck_id = d.id AND c.retired_at IS NULL) "
            "ORDER BY d.name"
        )]

    def deck_rows(self, day_end: datetime, learn_until: datetime, now: datetime) -> list[DeckRow]:
        """Per deck (own cards only): total active, new available, learning due, reviews due today."""
        from hcflash.records import DeckRow  # the other screens' records load with those screens, not before the first card

        rows = self._rows(
            "SELECT d.name AS name, COUNT(c.id) AS total, "
            f"COALESCE(SUM(s.state = 'new' AND {self._ACTIVE}), 0) AS new, "
            f"COALESCE(SUM(s.state IN ('learning', 'relearning') AND s.due < ? AND {self._ACTIVE}), 0) AS learning, "
            f"COALESCE(SUM(s.state = 'review' AND s.due < ? AND {self._ACTIVE}), 0) AS due "
            "FROM decks d LEFT JOIN cards c ON c.deck_id = d.id AND c.retired_at IS NULL "
            "LEFT JOIN card_state s ON s.card_id = c.id GROUP BY d.id HAVING total > 0 ORDER BY d.name",
            [to_db(now), to_db(learn_until), to_db(now), to_db(day_end), to_db(now)],
        )
        return [DeckRow(**row) for row in rows]
