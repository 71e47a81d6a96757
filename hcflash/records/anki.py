"""What hcflash remembers about a learner's Anki collection between syncs, and what a sync writes to
hcflash's own store. Plain records: `store/anki_sync.py` reads and writes them, `anki/` decides."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from hcflash.records.card import CardState
from hcflash.records.log import ReviewEntry


@dataclass(frozen=True)
class AnkiNoteLink:
    """What hcflash last set on one of its notes in the collection: the deck it put the cards in, the
    tags it gave (the learner's own tags are the others), and whether it retired the note."""

    note_id: str
    deck: str
    tags: tuple[str, ...]
    retired: bool = False


@dataclass(frozen=True)
class AnkiCollectionLink:
    """A collection hcflash has synced with, by the id kept in its config; `decks` holds each deck
    description as hcflash last wrote it, so a description the learner edited in Anki is kept."""

    id: str
    path: str
    synced_at: datetime
    decks: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class StoreSyncWrites:
    """Everything one Anki sync changes in hcflash's store, written in one transaction.

    `new_reviews` are reviews done in Anki, each with the revlog id it came from; `rewritten` are
    existing log rows whose state snapshots moved because an Anki review now comes before them;
    `links` pair existing reviews with the revlog rows that are the same review."""

    new_reviews: tuple[tuple[ReviewEntry, int], ...] = ()
    rewritten: tuple[ReviewEntry, ...] = ()
    states: tuple[CardState, ...] = ()
    links: tuple[tuple[int, int], ...] = ()
    notes: tuple[AnkiNoteLink, ...] = ()
    decks: dict[str, str] = field(default_factory=dict)
