"""What the other screens show: the deck list's rows and counts, a session's summary, a card's info
and history, the browser's rows. Apart from the review's records, so that a session starts without
creating them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from hcflash.records.card import CardState
from hcflash.records.content import StoredCard
from hcflash.records.log import ReviewEntry


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
    buried_until: datetime | None = None

    @property
    def card(self) -> str:
        """Which card of its note: "" for the basic card, "rev" for the reversed one, "c2" for cloze 2."""
        suffix = self.key.rpartition("#")[2] if "#" in self.key else ""
        return "rev" if suffix == "reverse" else suffix

    def shown_state(self, now: datetime) -> str:
        """Suspended and buried first (they are why a card is not shown), then its FSRS state."""
        if self.suspended:
            return "suspended"
        if self.buried_until is not None and self.buried_until > now:
            return "buried"
        return self.state
