"""The deck list, as Anki shows it: every deck and its parents, with what today's limits let you study."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from hcflash.records import DeckCounts

if TYPE_CHECKING:
    from hcflash.service import StudyService


class DeckList:
    def __init__(self, col: StudyService) -> None:
        self.col = col

    def counts(self) -> list[DeckCounts]:
        """Every deck and its parents, with counts summed over sub-decks, in tree order."""
        now = self.col.now()
        day_start, day_end = self.col.limits.day_bounds(now)
        learn_until = now + timedelta(minutes=self.col.settings.learn_ahead_minutes)
        totals: dict[str, list[int]] = {}
        for row in self.col.store.queue.deck_rows(day_end, learn_until, now):
            parts = row.name.split("::")
            for depth in range(1, len(parts) + 1):
                node = totals.setdefault("::".join(parts[:depth]), [0, 0, 0, 0])
                node[0] += row.new
                node[1] += row.learning
                node[2] += row.due
                node[3] += row.total
        # Like Anki, a deck shows what today's limits let you study, not everything that is waiting.
        new_left, reviews_left = self.col.limits.remaining(day_start)
        return [
            DeckCounts(name, min(new, new_left), learning, min(due, reviews_left), total)
            for name, (new, learning, due, total) in sorted(totals.items(), key=lambda kv: kv[0].split("::"))
        ]
