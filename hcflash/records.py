"""Domain records: plain frozen dataclasses shared by parsing, the store, scheduling and the UI.

They hold data only. Deciding functions live beside the noun they decide about (`cards`, `queue`,
`schedule`, `sync`); the store turns rows into these records and back.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any, Literal

from hcflash.issue_codes import DeckIssue
from hcflash.timeutil import from_db, to_db

CardKind = Literal["basic", "reverse", "cloze"]
StateName = Literal["new", "learning", "review", "relearning"]
ChangeKind = Literal["fact", "wording"]


@dataclass(frozen=True)
class SpecRef:
    """A specification and the version a card was checked against (`mCSD 4.0.0`), or the current
    version a deck declares. `pinned` marks a card that is about that version on purpose."""

    name: str
    version: str
    pinned: bool = False

    @property
    def version_key(self) -> tuple[int, ...]:
        """Numbers of the version for ordering: `R4` → (4,), `4.0.1` → (4, 0, 1), `R2.1` → (2, 1)."""
        return tuple(int(n) for n in re.findall(r"\d+", self.version))

    def __str__(self) -> str:
        return f"{self.name} {self.version}" + (" (pinned)" if self.pinned else "")


@dataclass(frozen=True)
class CardChange:
    """Why a card last changed, as its author said: a fact that changed in the world (with a dated
    reason the learner is shown) or a wording fix that keeps the schedule."""

    kind: ChangeKind
    on: date
    reason: str = ""


@dataclass(frozen=True)
class DeckHeader:
    """What a deck file's front matter says about the whole file."""

    name: str
    id_prefix: str | None = None
    tags: tuple[str, ...] = ()
    reverse: bool = False
    description: str = ""
    specs: tuple[SpecRef, ...] = ()  # the current version of each specification the deck cites
    require_verified: bool = False  # every card must carry a Verified: date (check --strict fails otherwise)


@dataclass(frozen=True)
class Note:
    """One `##` heading and its answer: the unit an author writes and an id names.

    A note yields one or more cards (a reversed twin, or one card per cloze number).
    """

    id: str | None
    question: str
    answer: str
    sources: tuple[str, ...]
    tags: tuple[str, ...]
    line: int
    reverse: bool | None = None
    replaces: tuple[str, ...] = ()
    cloze_numbers: tuple[int, ...] = ()
    verified: date | None = None
    specs: tuple[SpecRef, ...] = ()
    valid_from: date | None = None
    valid_until: date | None = None
    change: CardChange | None = None

    @property
    def is_cloze(self) -> bool:
        return bool(self.cloze_numbers)


@dataclass(frozen=True)
class DeckFile:
    """A parsed deck file; `issues` holds everything wrong with it, errors and warnings."""

    path: Path
    header: DeckHeader
    notes: tuple[Note, ...]
    issues: tuple[DeckIssue, ...] = ()


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

    def to_dict(self) -> dict[str, Any]:
        return {
            "card_id": self.card_id,
            "state": self.state,
            "step": self.step,
            "stability": self.stability,
            "difficulty": self.difficulty,
            "due": to_db(self.due),
            "last_review": to_db(self.last_review),
            "reps": self.reps,
            "lapses": self.lapses,
            "suspended": int(self.suspended),
            "buried_until": to_db(self.buried_until),
            "leech": int(self.leech),
        }

    @classmethod
    def from_dict(cls, row: dict[str, Any]) -> CardState:
        return cls(
            card_id=int(row["card_id"]),
            state=row["state"],
            step=row["step"],
            stability=row["stability"],
            difficulty=row["difficulty"],
            due=from_db(row["due"]),
            last_review=from_db(row["last_review"]),
            reps=int(row["reps"]),
            lapses=int(row["lapses"]),
            suspended=bool(row["suspended"]),
            buried_until=from_db(row["buried_until"]),
            leech=bool(row["leech"]),
        )


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
class DeckCounts:
    """A deck-list row, like Anki's: cards to study today in this deck and its sub-decks."""

    name: str
    new: int
    learning: int
    due: int
    total: int


@dataclass(frozen=True)
class SyncReport:
    added: int = 0
    changed: int = 0
    moved: int = 0
    retired: int = 0
    revived: int = 0
    unchanged: int = 0
    carried: int = 0
    files_parsed: int = 0
    files_skipped: int = 0
    warnings: tuple[DeckIssue, ...] = field(default_factory=tuple)

    @property
    def nothing_changed(self) -> bool:
        return not (self.added or self.changed or self.moved or self.retired or self.revived or self.carried)

    def summary(self) -> str:
        text = (
            f"{self.added} added, {self.changed} changed, {self.moved} moved, "
            f"{self.retired} retired, {self.revived} revived, {self.unchanged} unchanged"
        )
        return text + (f"; history carried to {self.carried} replacing card(s)" if self.carried else "")


@dataclass(frozen=True)
class LoggedReview:
    """A review as an export needs it: rating, duration and the times around it in epoch
    milliseconds, without the full JSON snapshots (an export reads every review)."""

    card_id: int
    rating: int
    reviewed_ms: int
    duration_ms: int | None
    before_state: StateName
    before_due_ms: int | None
    before_last_review_ms: int | None
    after_state: StateName
    after_due_ms: int | None


@dataclass(frozen=True)
class ExportCard:
    """A card with everything an export needs: content, schedule and full history."""

    card: StoredCard
    state: CardState
    reviews: tuple[LoggedReview, ...]


@dataclass(frozen=True)
class ExportSummary:
    notes: int
    cards: int
    reviews: int
    path: Path
