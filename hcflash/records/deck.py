"""What deck files say: the front matter and the notes an author writes (the provenance lines a
stored card keeps are in `records.provenance`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from hcflash.issue_codes import DeckIssue
from hcflash.records.provenance import CardChange, SpecRef


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
