"""A card's schedule: the FSRS state of each card and the names its states and ratings go by (what
the decks define, as sync and the store hold it, is in `records.content`)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, Literal

CardKind = Literal["basic", "reverse", "cloze"]
StateName = Literal["new", "learning", "review", "relearning"]
RATING_NAMES = {1: "Again", 2: "Hard", 3: "Good", 4: "Easy"}
MAX_ANSWER_MS = 60_000  # like Anki's "maximum answer seconds": a card left open doesn't skew stats


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
