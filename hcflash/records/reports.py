"""What a command amounted to: sync, import, doctor and export reports."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from hcflash.issue_codes import DeckIssue


@dataclass(frozen=True)
class SyncReport:
    added: int = 0
    changed: int = 0
    moved: int = 0
    retired: int = 0
    revived: int = 0
    unchanged: int = 0
    carried: int = 0
    facts: int = 0  # content changes marked `Change: fact`: those cards go back to relearning
    expired: int = 0  # cards whose validity window closed
    files_parsed: int = 0
    files_skipped: int = 0
    warnings: tuple[DeckIssue, ...] = field(default_factory=tuple)

    @property
    def nothing_changed(self) -> bool:
        return not (self.added or self.changed or self.moved or self.retired or self.revived or self.carried or self.expired)

    def summary(self) -> str:
        text = (
            f"{self.added} added, {self.changed} changed, {self.moved} moved, "
            f"{self.retired} retired, {self.revived} revived, {self.unchanged} unchanged"
        )
        return text + (f"; history carried to {self.carried} replacing card(s)" if self.carried else "")

    def changes(self) -> str:
        """Only what changed, for a one-line notice: "12 added, 1 changed"."""
        parts = [f"{n} {what}" for n, what in (
            (self.added, "added"), (self.changed, "changed"), (self.facts, "of them facts to relearn"), (self.moved, "moved"),
            (self.retired, "retired"), (self.expired, "expired"), (self.revived, "revived"), (self.carried, "with carried history"),
        ) if n]
        return ", ".join(parts) or "nothing changed"


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
