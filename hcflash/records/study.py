"""What a review session shows first: a card ready to review and the queue's counts (what it makes
once the learner acts is in `records.session`; the other screens' records are in `records.overview`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from hcflash.records.card import CardState
from hcflash.records.provenance import CardChange


@dataclass(frozen=True)
class ReviewCard:
    """A card ready to show: rendered front/back Markdown plus what the learner should know about it."""

    id: int
    key: str
    deck: str
    kind: str
    front: str
    back: str
    sources: tuple[str, ...]
    tags: tuple[str, ...]
    file: str
    line: int
    state: CardState
    edited_since_review: bool
    note_id: str = ""
    ord: int = 0
    fact_change: CardChange | None = None  # the fact changed in the world since the learner studied it
    upcoming: date | None = None  # the rule takes effect on this day, after today


@dataclass(frozen=True)
class QueueCounts:
    """The review header's counts, capped by the day's limits as Anki caps them."""

    new: int
    learning: int
    review: int
    custom: int = 0  # cards left in a custom study session

    @property
    def total(self) -> int:
        return self.new + self.learning + self.review + self.custom
