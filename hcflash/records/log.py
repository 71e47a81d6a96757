"""The review log's records: a rating with the states around it, and the thinner forms that
comparing logs and counting the day's reviews read. A review session makes them only once the
learner rates, so they load then, not before the first card."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from hcflash.records.card import CardState, StateName


@dataclass(frozen=True)
class ReviewEntry:
    """One rating, with the state before and after: enough to undo it, rebuild from it, export it."""

    id: int
    card_id: int
    rating: int
    reviewed_at: datetime
    duration_ms: int | None
    before: CardState
    after: CardState
    origin: str = "hcflash"


@dataclass(frozen=True)
class ReviewStamp:
    """A review without its state snapshots: enough to tell whether another log holds it too."""

    id: int
    card_id: int
    rating: int
    reviewed_at: datetime


@dataclass(frozen=True)
class LoggedRating:
    """A rating and when it was given, with the card's state before it: what the stats count."""

    reviewed_at: datetime
    rating: int
    state_before: StateName
