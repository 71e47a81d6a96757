"""What a command amounted to: import, doctor, export and Anki sync reports, flags and fact changes
(a deck sync's report, which every session start needs, is in `records.sync`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path


@dataclass(frozen=True)
class ImportReport:
    reviews_added: int
    cards_updated: int
    already_known: int
    unknown_notes: tuple[str, ...]
    unknown_cards: tuple[str, ...]


@dataclass(frozen=True)
class DoctorReport:
    integrity: tuple[str, ...]
    orphans: dict[str, int]
    rebuilt_cards: tuple[int, ...]
    fixed: bool
    advice: str = ""  # for a damaged store: the backup to restore, and how

    @property
    def healthy(self) -> bool:
        return not (self.integrity or self.orphans or self.rebuilt_cards)


@dataclass(frozen=True)
class DeckChange:
    """One thing a sync changed about one card, as `hcflash changes` lists it."""

    card_id: int
    key: str
    deck: str
    question: str
    kind: str  # added, fact, wording, edit, retired, expired, revived
    reason: str
    changed_on: date | None  # the date the deck's Change: line gives
    synced_at: datetime
    sources: tuple[str, ...]
    file: str
    line: int
    previous_answer: str | None
    answer: str


@dataclass(frozen=True)
class FlagRow:
    """An open flag, with where its card is written, for the deck authors."""

    id: int
    card_id: int
    note: str
    created_at: datetime
    key: str
    question: str
    file: str
    line: int
    deck: str
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class ExportSummary:
    notes: int
    cards: int
    reviews: int
    path: Path


@dataclass(frozen=True)
class AnkiSyncReport:
    """What `hcflash anki sync` did (or, with --dry-run, would do) on each side."""

    collection: Path
    dry_run: bool = False
    backup: Path | None = None
    notes_added: int = 0
    notes_updated: int = 0
    notes_retired: int = 0
    notes_revived: int = 0
    cards_moved: int = 0
    cards_suspended: int = 0
    notetypes_changed: tuple[str, ...] = ()
    descriptions: int = 0
    reviews_to_anki: int = 0
    reviews_from_anki: int = 0
    reviews_paired: int = 0  # reviews found on both sides that the store had not yet paired
    cards_rescheduled_in_anki: int = 0
    cards_updated_in_hcflash: int = 0
    reviews_of_retired: int = 0
    unknown_cards: tuple[str, ...] = ()
    skipped: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()

    @property
    def nothing_to_do(self) -> bool:
        return not (
            self.notes_added or self.notes_updated or self.notes_retired or self.notes_revived or self.cards_moved
            or self.cards_suspended or self.notetypes_changed or self.descriptions or self.reviews_to_anki
            or self.reviews_from_anki or self.reviews_paired or self.cards_rescheduled_in_anki or self.cards_updated_in_hcflash
        )
