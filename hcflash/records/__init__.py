"""Domain records: plain frozen dataclasses shared by parsing, the store, scheduling and the UI.

They hold data only. Deciding functions live beside the noun they decide about (`cards`, `queue`,
`schedule`, `sync`); the store turns rows into these records and back.
"""

from hcflash.records.anki import AnkiCollectionLink, AnkiNoteLink, StoreSyncWrites
from hcflash.records.card import (
    MAX_ANSWER_MS,
    RATING_NAMES,
    CardContent,
    CardKind,
    CardState,
    LoggedRating,
    LoggedReview,
    ReviewEntry,
    ReviewStamp,
    StateName,
    StoredCard,
)
from hcflash.records.deck import CardChange, ChangeKind, DeckFile, DeckHeader, Note, SpecRef
from hcflash.records.reports import AnkiSyncReport, DoctorReport, ExportCard, ExportSummary, FlagRow, ImportReport, SyncReport
from hcflash.records.study import BrowseRow, CardInfo, DeckCounts, DeckRow, Preview, QueueCounts, ReviewCard, SessionSummary

__all__ = [
    "MAX_ANSWER_MS",
    "AnkiCollectionLink",
    "AnkiNoteLink",
    "AnkiSyncReport",
    "BrowseRow",
    "CardChange",
    "CardContent",
    "CardInfo",
    "CardKind",
    "CardState",
    "ChangeKind",
    "DeckCounts",
    "DeckRow",
    "DeckFile",
    "DeckHeader",
    "DoctorReport",
    "ExportCard",
    "ExportSummary",
    "FlagRow",
    "ImportReport",
    "LoggedRating",
    "LoggedReview",
    "Note",
    "Preview",
    "QueueCounts",
    "RATING_NAMES",
    "ReviewCard",
    "ReviewEntry",
    "ReviewStamp",
    "SessionSummary",
    "SpecRef",
    "StateName",
    "StoredCard",
    "StoreSyncWrites",
    "SyncReport",
]
