"""What a deck sync amounted to: the one report every session start reads."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the codes load with the first issue, not with every sync's report
    from hcflash.issue_codes import DeckIssue


@dataclass(frozen=True)
class SyncReport:
    """How many cards a sync added, changed, moved, retired, revived or left alone, and the deck
    warnings it met: what `hcflash sync` prints and the review screen's first line says."""

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
