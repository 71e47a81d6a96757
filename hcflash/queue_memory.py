"""The review session's memory of the queue: the first cards of each queue it has asked the store
for, the card states it has read or written, and each card's siblings.

Why: asking SQLite afresh for every card cost a rating and the next card five reads around their
one write, more than Anki's whole `answer_card` (docs/performance.md). Anki keeps its queue in
memory; so does a session here, without giving up what the store guarantees:

- The memory is trusted only while the store's stamp (`StoreDB.stamp`) and the study day are the
  ones it was filled under. Another process's commit, or any write of this process other than a
  rating given through the session (a sync, an undo, a bury, a setting), moves the stamp, and the
  memory is emptied before it is next used.
- A rating given through the session is applied to the memory as it is written, so the memory
  stays right without being read again. The store tells whether the rating was the only change
  (`ReviewLog.record` returns the new stamp only then).
- Burials are compared with the clock each time a card is chosen, so a card whose burial ends
  while the session is open comes back as it would from SQL. Times are compared as the store's
  time text, which sorts as time does (`store/timecodec.py`).
"""

from __future__ import annotations

from bisect import bisect_left, insort
from collections.abc import Callable, Container, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from hcflash.records import CardState, ReviewCard
from hcflash.store.timecodec import to_db

if TYPE_CHECKING:
    from hcflash.store import Store
    from hcflash.store.base import Stamp

Entry = tuple[Any, int, str | None]  # (order: due time text or sibling rank, card id, buried until)
# Cards read at once from the head of a queue: as Anki gathers a day's queue at once, so that a
# session's ratings do not pay for a read every few cards (~1 ms for 1,000 ids, at the first card).
HEAD = 1000
WHOLE = 2**62  # a limit no queue reaches: the whole queue, for counting it


@dataclass
class Head:
    """The first entries of one ordered queue as the store gave them; `complete` when it had no more."""

    entries: list[Entry]
    complete: bool
    due_before: str | None = None  # for a due queue read up to a moment: entries at or after it do not belong
    ids: set[int] = field(init=False)  # the entries' card ids, to find a rated card's entry at once
    buried: list[Entry] = field(init=False)  # the entries with a burial, ended or not: few, and counted apart

    def __post_init__(self) -> None:
        self.ids = {entry[1] for entry in self.entries}
        self.buried = [entry for entry in self.entries if entry[2] is not None]

    def remove(self, card_id: int) -> None:
        if card_id in self.ids:
            self.ids.discard(card_id)
            # A rated card is nearly always the first entry: found at once.
            index = next(i for i, entry in enumerate(self.entries) if entry[1] == card_id)
            entry = self.entries.pop(index)
            if entry[2] is not None:
                self.buried.remove(entry)

    def insert(self, entry: Entry) -> None:
        insort(self.entries, entry, key=lambda e: e[:2])
        self.ids.add(entry[1])
        if entry[2] is not None:
            self.buried.append(entry)


class QueueMemory:
    def __init__(self, store: Store) -> None:
        self.store = store
        self.stamp: Stamp | None = None
        self._day: datetime | None = None
        self._heads: dict[tuple[Any, ...], Head] = {}
        self.states: dict[int, CardState] = {}
        self._siblings: dict[int, list[CardState]] = {}
        self.cards: dict[int, ReviewCard] = {}  # cards read for the screen, their states included
        self._now: tuple[datetime | None, str | None] = (None, None)
        self._bound: tuple[datetime | None, str | None] = (None, None)

    def check(self, day_start: datetime) -> Stamp:
        """Empty the memory unless the store and the study day are still the ones it was filled
        under; returns the store's stamp, under which whatever is read next may be remembered."""
        stamp = self.store.db.stamp()
        if stamp != self.stamp or day_start != self._day:
            self.forget()
            self.stamp, self._day = stamp, day_start
        return stamp

    def forget(self) -> None:
        self.stamp = None
        self._heads.clear()
        self.states.clear()
        self._siblings.clear()
        self.cards.clear()

    # -- reads, remembered ---------------------------------------------------------------------

    def state(self, card_id: int) -> CardState:
        if card_id not in self.states:
            self.states[card_id] = self.store.states.get(card_id)
        return self.states[card_id]

    def siblings(self, card_id: int) -> list[CardState]:
        """The states of the other live cards of the card's note."""
        if card_id not in self._siblings:
            self._siblings[card_id] = self.store.states.siblings(card_id)
        return self._siblings[card_id]

    def first_due(
        self, states: Sequence[str], due_before: datetime | None, decks: Sequence[str] | None, now: datetime,
        exact: bool = False, before: datetime | None = None, skip: Container[int] = (), due_now: bool = False,
    ) -> Entry | None:
        """The earliest-due card in `states` (due before `due_before`, as the store reads it, and
        before `before`, as the clock moves, or with `due_now` at or before `now`) that is not
        buried at `now`; ties by card id. The `skip` ids are passed over (the card being answered,
        when the one after it is read ahead)."""
        now_text = self._text(now)
        before_text, through = (now_text, True) if due_now else (to_db(before), False)
        bound = self._bound_text(due_before)
        found: Entry | None = None
        for state in states:
            key, fetch = self._due_queue(state, due_before, bound, decks, exact)
            entry = self._first(key, fetch, now_text, before_text, bound, skip, through)
            if entry is not None and (found is None or entry[:2] < found[:2]):
                found = entry
        return found

    def count_due(self, states: Sequence[str], decks: Sequence[str] | None, now: datetime, before: datetime) -> int:
        """How many cards in `states` are due before `before` and not buried at `now` (the review
        header's learning count), counted in the whole queue, which is read once while the memory
        holds: a count in SQL costs ~14 ms at 100,000 cards (5,500 learning cards), after every card."""
        now_text, before_text = self._text(now), to_db(before)
        total = 0
        for state in states:
            key, fetch = self._due_queue(state, None, None, decks, False)
            head = self._heads.get(key)
            if head is None or not head.complete:
                head = self._heads[key] = self._read(fetch, WHOLE, None)
            end = bisect_left(head.entries, before_text, key=lambda entry: entry[0])
            total += end - sum(1 for entry in head.buried if entry[0] < before_text and entry[2] > now_text)
        return total

    def first_new(
        self, decks: Sequence[str] | None, now: datetime, exact: bool = False, skip: Container[int] = (),
    ) -> Entry | None:
        """The first new card in the store's new-card order that is not buried at `now`."""
        key = ("new", tuple(decks) if decks is not None else None, exact)
        return self._first(key, lambda limit: self.store.queue.new_head(decks, limit, exact), self._text(now), None, None, skip)

    def _due_queue(
        self, state: str, due_before: datetime | None, bound: str | None, decks: Sequence[str] | None, exact: bool,
    ) -> tuple[tuple[Any, ...], Callable[[int], list[Entry]]]:
        """A due queue's key in the memory (`bound` is `due_before` as store text), and how to read
        its head from the store."""
        key = ("due", state, bound, tuple(decks) if decks is not None else None, exact)
        return key, lambda limit: self.store.queue.due_head(state, due_before, decks, limit, exact)

    def _text(self, now: datetime) -> str:
        """`now` as store text, converted once for the several queues one choice looks at."""
        if now is not self._now[0]:
            self._now = (now, to_db(now))
        return self._now[1]  # type: ignore[return-value]

    def _bound_text(self, due_before: datetime | None) -> str | None:
        """A queue's bound as store text, converted once while it stays the same (the study day's
        end, for the review queue, through the day)."""
        if due_before is not self._bound[0]:
            self._bound = (due_before, to_db(due_before))
        return self._bound[1]

    def _first(
        self, key: tuple[Any, ...], fetch: Callable[[int], list[Entry]], now: str | None, before: str | None,
        due_before: str | None, skip: Container[int], through: bool = False,
    ) -> Entry | None:
        """The first entry of the queue at `key` that is due before `before` (or, `through`, at or
        before it) and not buried at `now` or skipped."""
        head = self._heads.get(key)
        if head is None:
            head = self._heads[key] = self._read(fetch, HEAD, due_before)
        while True:
            for entry in head.entries:
                if before is not None and (entry[0] > before if through else entry[0] >= before):
                    return None
                if (entry[2] is None or (now is not None and entry[2] <= now)) and entry[1] not in skip:
                    return entry
            if head.complete:
                return None
            # Every remembered card is buried (or was taken): read further down the queue.
            head = self._heads[key] = self._read(fetch, max(HEAD, 2 * len(head.entries)), due_before)

    @staticmethod
    def _read(fetch: Callable[[int], list[Entry]], limit: int, due_before: str | None) -> Head:
        entries = fetch(limit)
        return Head(entries, complete=len(entries) < limit, due_before=due_before)

    # -- the session's own rating ------------------------------------------------------------------

    def rated(self, stamp: Stamp | None, after: CardState, deck: str, buried: Sequence[CardState]) -> None:
        """Apply a rating the session wrote (the card's new state, its deck, and the siblings it
        buried until the next study day): the memory stays valid under the store's new stamp.
        Without a stamp, something else changed the store too, and the memory is emptied."""
        if stamp is None or self.stamp is None:
            self.forget()
            return
        self.stamp = stamp
        changed = {after.card_id, *(s.card_id for s in buried)}
        for state in (after, *buried):
            self.states[state.card_id] = state
            self.cards.pop(state.card_id, None)
        # The sibling lists that hold the card's old state: its siblings' own (its note's cards).
        held = self._siblings.pop(after.card_id, None)
        if held is None:
            self._siblings.clear()  # which lists hold it is not known; they are read again when asked
        else:
            for sibling in held:
                self._siblings.pop(sibling.card_id, None)
        entry: Entry | None = None
        for key, head in self._heads.items():
            for card_id in changed:
                head.remove(card_id)
            # The rated card may belong to a due queue again (Again puts it back in relearning).
            # A head is the start of its queue: the card joins it only where it falls inside it.
            if key[0] == "due" and key[1] == after.state and after.due is not None and not after.suspended and _holds(
                key[3], key[4], deck
            ):
                entry = entry or (to_db(after.due), after.card_id, to_db(after.buried_until))
                if (head.due_before is None or entry[0] < head.due_before) and (
                    head.complete or (head.entries and entry[:2] < head.entries[-1][:2])
                ):
                    head.insert(entry)


def _holds(decks: tuple[str, ...] | None, exact: bool, deck: str) -> bool:
    """Does a queue over these decks (`store.base.deck_filter`'s rule) hold a card of `deck`?"""
    if decks is None:
        return True
    if exact:
        return deck in decks
    return any(deck == name or deck.startswith(name + "::") for name in decks)
