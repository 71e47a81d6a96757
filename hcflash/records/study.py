"""What a review session shows: a card ready to review, what changed on it, rating previews, the
queue's counts, an undo step, a custom study (the other screens' records are in `records.overview`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from hcflash.records.card import RATING_NAMES, CardState, ReviewEntry
from hcflash.records.provenance import CardChange
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
    note_id: str = ""
    ord: int = 0
    fact_change: CardChange | None = None  # the fact changed in the world since the learner studied it
    upcoming: date | None = None  # the rule takes effect on this day, after today


@dataclass(frozen=True)
class ContentChange:
    """What changed in a card since the learner last reviewed it: the question's diff is for the
    question side, the answer's for after the reveal (either may be empty)."""

    question: str
    answer: str


@dataclass(frozen=True)
class UndoStep:
    """One learner action that `u` can take back: the card states before it (the card, and siblings a
    rating buried), and the log row or flag it added."""

    action: Literal["rating", "bury", "suspend", "flag", "reset"]
    card_id: int
    states: tuple[CardState, ...]
    log_id: int | None = None
    flag_id: int | None = None
    entry: ReviewEntry | None = None
    deck: str = ""

    @property
    def label(self) -> str:
        return {"rating": "Rating", "bury": "Bury", "suspend": "Suspend", "flag": "Flag", "reset": "Reset"}[self.action] + " undone."


@dataclass(frozen=True)
class CustomStudy:
    """Anki's "study more today": review ahead, forgotten cards, or a cram session that leaves the
    schedule alone (Anki's filtered deck with rescheduling off)."""

    kind: Literal["ahead", "forgotten", "cram"]
    decks: tuple[str, ...] | None = None
    days: int = 1
    tag: str | None = None

    @property
    def reschedules(self) -> bool:
        return self.kind != "cram"

    @property
    def title(self) -> str:
        if self.kind == "ahead":
            return f"Review ahead: {self.days} day(s)"
        if self.kind == "forgotten":
            return f"Forgotten in the last {self.days} day(s)"
        return "Cram (the schedule is not changed)" + (f": tag {self.tag}" if self.tag else "")


@dataclass(frozen=True)
class Preview:
    """What one rating would do to the card on screen, worked out at the reveal so that the rating
    bar can show it and the rating itself has nothing left to compute."""

    rating: int
    state: CardState
    interval: timedelta

    @property
    def label(self) -> str:
        return f"{RATING_NAMES[self.rating]} {format_interval(self.interval)}"


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
