"""What the study screens show: a card ready to review, rating previews, counts, card info, browse rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from hcflash.records.card import RATING_NAMES, CardState, ReviewEntry, StoredCard
from hcflash.timeutil import format_interval


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


@dataclass(frozen=True)
class Preview:
    rating: int
    state: CardState
    interval: timedelta

    @property
    def label(self) -> str:
        return f"{RATING_NAMES[self.rating]} {format_interval(self.interval)}"


@dataclass(frozen=True)
class QueueCounts:
    new: int
    learning: int
    review: int

    @property
    def total(self) -> int:
        return self.new + self.learning + self.review


@dataclass(frozen=True)
class DeckRow:
    """One deck's own cards (sub-decks not included): active, new, learning due now, reviews due today."""

    name: str
    total: int
    new: int
    learning: int
    due: int


@dataclass(frozen=True)
class DeckCounts:
    """A deck-list row, like Anki's: cards to study today in this deck and its sub-decks."""

    name: str
    new: int
    learning: int
    due: int
    total: int


@dataclass(frozen=True)
class SessionSummary:
    """What a study session amounted to, for the summary screen."""

    reviewed: int
    again: int
    seconds: float
    due_tomorrow: int

    @property
    def again_rate(self) -> float | None:
        return self.again / self.reviewed if self.reviewed else None


@dataclass(frozen=True)
class CardInfo:
    card: StoredCard
    state: CardState
    history: tuple[ReviewEntry, ...]
    retrievability: float | None


@dataclass(frozen=True)
class BrowseRow:
    id: int
    key: str
    question: str
    deck: str
    state: str
    due: datetime | None
    stability: float | None
    lapses: int
    suspended: bool
