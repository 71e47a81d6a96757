"""The card browser's search: the learner's words as a safe full-text query, plus filters."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from hcflash.records import BrowseRow
from hcflash.store import Store


def fts_query(text: str) -> str | None:
    """A user's words as a safe FTS5 query: each word quoted and matched as a prefix, all required."""
    words = [w.replace('"', "") for w in text.split()]
    terms = [f'"{w}"*' for w in words if w]
    return " ".join(terms) or None


def browse(
    store: Store, query: str = "", decks: Sequence[str] | None = None, tag: str | None = None,
    state: str | None = None, limit: int = 500, now: datetime | None = None, after_id: int = 0,
) -> list[BrowseRow]:
    """Cards matching a full-text query (every word, as a prefix) and filters, in the order they were
    added, a page of `limit` at a time after card `after_id`."""
    return store.cards.search(fts_query(query), decks, tag or None, state or None, limit, now, after_id)
