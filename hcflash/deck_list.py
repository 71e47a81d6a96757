"""The deck list, as Anki shows it: every deck and its parents, with what today's limits let you study."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from hcflash.limits import parent_of, within
from hcflash.text_safety import plain_text

if TYPE_CHECKING:
    from hcflash.records import DeckCounts
    from hcflash.service import StudyService


def tree_label(name: str) -> str:
    """A deck's row label in a deck list: its last name part, indented two spaces per level, as
    plain text (a deck name is shown as written, never read as markup or terminal codes)."""
    return "  " * name.count("::") + plain_text(name.split("::")[-1])


class DeckList:
    def __init__(self, col: StudyService) -> None:
        self.col = col

    def counts(self) -> list[DeckCounts]:
        """Every deck and its parents in tree order. Like Anki's v3 deck list, each deck shows what
        studying it would give today: its own cards plus its sub-decks', each capped by that deck's
        remaining limits (the limits of decks above it do not apply when it is selected)."""
        from hcflash.records import DeckCounts  # the other screens' records load with those screens, not before the first card

        limits, now = self.col.limits, self.col.now()
        day_start, day_end = limits.day_bounds(now)
        learn_until = now + timedelta(minutes=self.col.settings.learn_ahead_minutes)
        own = {row.name: row for row in self.col.store.queue.deck_rows(day_end, learn_until, now)}
        names = sorted({*own, *limits.decks()}, key=lambda n: n.split("::"))
        children: dict[str, list[str]] = {}
        for name in names:
            children.setdefault(parent_of(name), []).append(name)
        shown: dict[str, tuple[int, int, int, int]] = {}

        def visit(deck: str) -> tuple[int, int, int, int]:
            new_left, reviews_left = limits.remaining(deck, day_start)
            row = own.get(deck)
            new, learning, due, total = (row.new, row.learning, row.due, row.total) if row else (0, 0, 0, 0)
            for child in children.get(deck, []):
                c_new, c_learning, c_due, c_total = visit(child)
                new, learning, due, total = new + c_new, learning + c_learning, due + c_due, total + c_total
            shown[deck] = (min(new, new_left), learning, min(due, reviews_left), total)
            return shown[deck]

        for top in children.get("", []):
            visit(top)
        return [DeckCounts(name, *shown[name]) for name in names if name in shown]

    def waiting_elsewhere(self, selection: list[str] | None) -> list[DeckCounts]:
        """The decks outside the selection with cards to study today (the lowest ones in the tree),
        so "nothing due" can say where the learner's cards are."""
        rows = [r for r in self.counts() if r.new or r.learning or r.due]
        names = {r.name for r in rows}

        def selected(name: str) -> bool:
            return selection is None or any(within(name, deck) for deck in selection)

        def has_busy_child(name: str) -> bool:
            return any(other.startswith(name + "::") for other in names)

        return [r for r in rows if not selected(r.name) and not has_busy_child(r.name)]

    def held_back(self, selection: list[str] | None) -> tuple[int, int]:
        """(new, reviews) waiting in the selection today beyond its daily limits."""
        now = self.col.now()
        _, day_end = self.col.limits.day_bounds(now)
        queue = self.col.store.queue
        shown = self.col.review.queue_counts(selection)
        new = queue.count_new(now, selection, cap=-1)
        due = queue.count_due(("review",), day_end, now, selection)
        return max(0, new - shown.new), max(0, due - shown.review)
