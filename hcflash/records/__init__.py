"""Domain records: plain frozen dataclasses shared by parsing, the store, scheduling and the UI.

They hold data only. Deciding functions live beside the noun they decide about (`cards`, `queue`,
`schedule`, `sync`); the store turns rows into these records and back.

The names below load on first use (PEP 562), each from the module that holds it: a review session
needs the card and study records, not the Anki or command reports, and at ≈0.5 ms a frozen
dataclass, importing all of them would cost the first card ≈20 ms.
"""

from __future__ import annotations

from importlib import import_module

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from hcflash.records.anki import AnkiCollectionLink, AnkiNoteLink, StoreSyncWrites
    from hcflash.records.card import MAX_ANSWER_MS, RATING_NAMES, CardKind, CardState, StateName
    from hcflash.records.content import CardContent, StoredCard, provenance_key
    from hcflash.records.deck import DeckFile, DeckHeader, Note
    from hcflash.records.log import LoggedRating, ReviewEntry, ReviewStamp
    from hcflash.records.overview import BrowseRow, CardInfo, DeckCounts, DeckRow, SessionSummary
    from hcflash.records.provenance import CardChange, ChangeKind, SpecRef
    from hcflash.records.reports import AnkiSyncReport, DeckChange, DoctorReport, ExportSummary, FlagRow, ImportReport
    from hcflash.records.session import ContentChange, CustomStudy, Preview, UndoStep
    from hcflash.records.study import QueueCounts, ReviewCard
    from hcflash.records.sync import SyncReport

_EXPORTS = {
    "AnkiCollectionLink": "hcflash.records.anki",
    "AnkiNoteLink": "hcflash.records.anki",
    "AnkiSyncReport": "hcflash.records.reports",
    "BrowseRow": "hcflash.records.overview",
    "CardChange": "hcflash.records.provenance",
    "CardContent": "hcflash.records.content",
    "CardInfo": "hcflash.records.overview",
    "CardKind": "hcflash.records.card",
    "CardState": "hcflash.records.card",
    "ChangeKind": "hcflash.records.provenance",
    "ContentChange": "hcflash.records.session",
    "CustomStudy": "hcflash.records.session",
    "DeckChange": "hcflash.records.reports",
    "DeckCounts": "hcflash.records.overview",
    "DeckFile": "hcflash.records.deck",
    "DeckHeader": "hcflash.records.deck",
    "DeckRow": "hcflash.records.overview",
    "DoctorReport": "hcflash.records.reports",
    "ExportSummary": "hcflash.records.reports",
    "FlagRow": "hcflash.records.reports",
    "ImportReport": "hcflash.records.reports",
    "LoggedRating": "hcflash.records.log",
    "MAX_ANSWER_MS": "hcflash.records.card",
    "Note": "hcflash.records.deck",
    "Preview": "hcflash.records.session",
    "QueueCounts": "hcflash.records.study",
    "RATING_NAMES": "hcflash.records.card",
    "ReviewCard": "hcflash.records.study",
    "ReviewEntry": "hcflash.records.log",
    "ReviewStamp": "hcflash.records.log",
    "SessionSummary": "hcflash.records.overview",
    "SpecRef": "hcflash.records.provenance",
    "StateName": "hcflash.records.card",
    "StoreSyncWrites": "hcflash.records.anki",
    "StoredCard": "hcflash.records.content",
    "SyncReport": "hcflash.records.sync",
    "UndoStep": "hcflash.records.session",
    "provenance_key": "hcflash.records.content",
}

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


def __getattr__(name: str) -> Any:  # noqa: ANN401 - whatever the named module holds
    if name not in _EXPORTS:
        raise AttributeError(f"module 'hcflash.records' has no attribute {name!r}")
    value = getattr(import_module(_EXPORTS[name]), name)
    globals()[name] = value  # the next lookup is a plain module attribute
    return value
