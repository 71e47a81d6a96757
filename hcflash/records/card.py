"""Cards and their schedule: what sync stores, the FSRS state of each card, and its review log."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any, Literal

from hcflash.records.provenance import CardChange, SpecRef

CardKind = Literal["basic", "reverse", "cloze"]
StateName = Literal["new", "learning", "review", "relearning"]
RATING_NAMES = {1: "Again", 2: "Hard", 3: "Good", 4: "Easy"}
MAX_ANSWER_MS = 60_000  # like Anki's "maximum answer seconds": a card left open doesn't skew stats


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


@dataclass(frozen=True)
class CardState:
    """A card's scheduling state: FSRS memory plus the queue flags Anki users expect."""

    card_id: int
    state: StateName = "new"
    step: int | None = None
    stability: float | None = None
    difficulty: float | None = None
    due: datetime | None = None
    last_review: datetime | None = None
    reps: int = 0
    lapses: int = 0
    suspended: bool = False
    buried_until: datetime | None = None
    leech: bool = False

    def with_changes(self, **changes: Any) -> CardState:
        return replace(self, **changes)
