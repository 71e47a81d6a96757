"""What deck files say: the front matter, the notes an author writes, and their provenance."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Literal

from hcflash.issue_codes import DeckIssue

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
