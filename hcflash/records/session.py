"""A review session's records once the learner acts: what changed on a card since they last saw it,
what each rating would do, a step `u` can take back, a custom study. None is needed before the
first card is on screen, so they load after it (`records.study` holds what the first card needs)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Literal

from hcflash.records.card import RATING_NAMES, CardState
from hcflash.records.log import ReviewEntry
from hcflash.timeutil import format_interval


@dataclass(frozen=True)
class ContentChange:
    """What changed in a card since the learner last reviewed it: the question's diff is for the
    question side, the answer's for after the reveal (either may be empty)."""

    question: str
    answer: str


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
