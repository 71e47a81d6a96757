"""A card's provenance as its author wrote it: the specification versions it was checked against
and why it last changed. Stored with every card, so a review needs these records and not the rest
of a parsed deck's."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Literal

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
