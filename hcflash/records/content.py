"""What the decks define for each card: its content as sync writes it, and the card row as the
store holds it. A review's first card needs neither (it reads `records.card` and `records.study`)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime

from hcflash.records.card import CardKind
from hcflash.records.provenance import CardChange, SpecRef


@dataclass(frozen=True)
class CardContent:
    """One schedulable card as the decks define it: what sync writes to the store.

    `key` is the card's identity across edits and moves: the note id, plus `#reverse` or `#cN`.
    """

    key: str
    note_id: str
    kind: CardKind
    ord: int
    deck: str
    question: str
    answer: str
    sources: tuple[str, ...]
    tags: tuple[str, ...]
    file: str
    line: int
    content_hash: str
    replaces: tuple[str, ...] = ()
    verified: date | None = None
    specs: tuple[SpecRef, ...] = ()
    valid_from: date | None = None
    valid_until: date | None = None
    change: CardChange | None = None

    @property
    def provenance(self) -> str:
        """The provenance lines as one comparable text: a change here updates the card without
        touching what the learner reads or the schedule."""
        return provenance_key(self.verified, self.specs, self.valid_from, self.valid_until, self.change)

    def expired_on(self, today: date) -> bool:
        """True once the card's validity window has closed (it held until yesterday or before)."""
        return self.valid_until is not None and self.valid_until < today


def provenance_key(
    verified: date | None, specs: tuple[SpecRef, ...], valid_from: date | None, valid_until: date | None, change: CardChange | None,
) -> str:
    return json.dumps([
        verified.isoformat() if verified else None,
        [[s.name, s.version, s.pinned] for s in specs],
        valid_from.isoformat() if valid_from else None,
        valid_until.isoformat() if valid_until else None,
        [change.kind, change.on.isoformat(), change.reason] if change else None,
    ])


@dataclass(frozen=True)
class StoredCard:
    """A card row as the store holds it, with its integer id (the fsrs `card_id`)."""

    id: int
    key: str
    note_id: str
    kind: CardKind
    ord: int
    deck: str
    question: str
    answer: str
    sources: tuple[str, ...]
    tags: tuple[str, ...]
    file: str
    line: int
    content_hash: str
    added_at: datetime
    updated_at: datetime
    content_changed_at: datetime | None = None
    retired_at: datetime | None = None
    previous_question: str | None = None
    previous_answer: str | None = None
    verified: date | None = None
    specs: tuple[SpecRef, ...] = ()
    valid_from: date | None = None
    valid_until: date | None = None
    change: CardChange | None = None
    retire_reason: str | None = None  # "removed" from the decks, or "expired" (its validity window closed)
