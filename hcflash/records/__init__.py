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
    ReviewEntry,
    ReviewStamp,
    StateName,
    StoredCard,
    provenance_key,
)
from hcflash.records.deck import CardChange, ChangeKind, DeckFile, DeckHeader, Note, SpecRef
from hcflash.records.reports import AnkiSyncReport, DeckChange, DoctorReport, ExportSummary, FlagRow, ImportReport, SyncReport
from hcflash.records.study import (
    BrowseRow,
    CardInfo,
    ContentChange,
    CustomStudy,
    DeckCounts,
    DeckRow,
    Preview,
    QueueCounts,
    ReviewCard,
    SessionSummary,
    UndoStep,
)

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
    "ContentChange",
    "CustomStudy",
    "ChangeKind",
    "DeckChange",
    "DeckCounts",
    "DeckRow",
    "DeckFile",
    "DeckHeader",
    "DoctorReport",
    "ExportSummary",
    "FlagRow",
    "ImportReport",
    "LoggedRating",
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
    "UndoStep",
    "provenance_key",
    "SyncReport",
]
