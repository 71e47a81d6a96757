"""The study day and its daily limits, with Anki's v3 semantics.

Each deck has the new-cards/day and reviews/day of its preset (Default: the global settings), plus
what "study more today" added for today. A deck's limit counts the cards studied today in it and
its sub-decks. When a deck is selected for study, its limit caps the whole session and each
sub-deck's limit caps what is drawn from that sub-deck; the limits of decks above the selected one
do not apply (Anki's default; "limits start from the top" is not offered). Studying every deck at
once selects a virtual root with the Default preset's limits.

Today's usage is read from the review log once per study day and then kept up to date as ratings
are given and undone, so choosing the next card costs no scan of the log.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING

from hcflash.timeutil import next_study_day_start, study_day_start

if TYPE_CHECKING:
    from hcflash.service import StudyService

ROOT = ""  # the virtual deck above every top-level deck: "study all"
NEW, REVIEW = 0, 1


def parent_of(deck: str) -> str:
    return deck.rsplit("::", 1)[0] if "::" in deck else ROOT


def within(deck: str, root: str) -> bool:
    """Is `deck` the deck `root` or one of its sub-decks?"""
    return root == ROOT or deck == root or deck.startswith(root + "::")


class DailyLimits:
    def __init__(self, col: StudyService) -> None:
        self.col = col
        self._usage: tuple[datetime, dict[str, list[int]]] | None = None  # study day start, deck → [new, reviews]
        self._decks: list[str] | None = None
        self._bounds: tuple[tuple[int, str], datetime, datetime] | None = None  # (rollover, zone), start, end
        self._day: tuple[datetime, str, date] | None = None  # start, zone, the day's date

    # -- the study day ------------------------------------------------------------------------

    def day_bounds(self, now: datetime | None = None) -> tuple[datetime, datetime]:
        """The study day containing `now`. Kept from the last call while `now` stays inside it: each
        rating and next card asks several times, and the zone arithmetic is most of their Python time."""
        now = now or self.col.now()
        s = self.col.settings
        rule = (s.rollover_hour, s.timezone)
        cached = self._bounds
        if cached is not None and cached[0] == rule and cached[1] <= now < cached[2]:
            return cached[1], cached[2]
        start, end = study_day_start(now, s.rollover_hour, s.tz), next_study_day_start(now, s.rollover_hour, s.tz)
        self._bounds = (rule, start, end)
        return start, end

    def today(self, now: datetime | None = None) -> date:
        """The study day's date in the learner's zone: what validity windows are compared with.
        Kept with the day's bounds: every card shown asks."""
        start = self.day_bounds(now)[0]
        if self._day is None or self._day[0] != start or self._day[1] != self.col.settings.timezone:
            self._day = (start, self.col.settings.timezone, date.fromisoformat(self.day_name(start)))
        return self._day[2]

    def day_name(self, day_start: datetime) -> str:
        """The study day as YYYY-MM-DD in the learner's zone, the key of today-only limits."""
        tz = self.col.settings.tz
        return (day_start.astimezone(tz) if tz is not None else day_start.astimezone()).date().isoformat()

    # -- usage ----------------------------------------------------------------------------------

    def _today(self, day_start: datetime) -> dict[str, list[int]]:
        if self._usage is None or self._usage[0] != day_start:
            studied = self.col.store.queue.studied_since(day_start)
            self._usage = (day_start, {deck: [new, reviews] for deck, (new, reviews) in studied.items()})
        return self._usage[1]

    def count(self, deck: str, before_state: str, reviewed_at: datetime, sign: int) -> None:
        """Count a rating given (+1) or taken back (-1) against today's usage of its deck."""
        if self._usage is None or reviewed_at < self._usage[0]:
            return
        used = self._usage[1].setdefault(deck, [0, 0])
        used[NEW] += sign * (before_state == "new")
        used[REVIEW] += sign * (before_state == "review")

    def forget(self) -> None:
        """Read usage and the deck tree afresh (settings, a sync, a restore or an import changed them)."""
        self._usage = None
        self._decks = None

    # -- limits -----------------------------------------------------------------------------

    def decks(self) -> list[str]:
        """Every deck with active cards, and every deck above one."""
        if self._decks is None:
            names: set[str] = set()
            for name in self.col.store.queue.deck_names():
                parts = name.split("::")
                names.update("::".join(parts[:i]) for i in range(1, len(parts) + 1))
            self._decks = sorted(names, key=lambda n: n.split("::"))
        return self._decks

    def remaining(self, deck: str, day_start: datetime) -> tuple[int, int]:
        """(new, reviews) the deck may still give today, counting its sub-decks' usage."""
        s = self.col.settings
        new_limit, review_limit = (s.new_per_day, s.reviews_per_day) if deck == ROOT else s.deck_limits(deck)
        # Today's extra cards on a deck lift it and every deck below it ("study more" on a deck
        # means more cards from anywhere in it, whatever its sub-decks' own limits say).
        day = self.day_name(day_start)
        extra_new = extra_reviews = 0
        for holder in self._ancestors(deck):
            more_new, more_reviews = s.extra_today(holder, day)
            extra_new, extra_reviews = extra_new + more_new, extra_reviews + more_reviews
        used = [0, 0]
        for name, (new, reviews) in self._today(day_start).items():
            if within(name, deck):
                used[NEW] += new
                used[REVIEW] += reviews
        return max(0, new_limit + extra_new - used[NEW]), max(0, review_limit + extra_reviews - used[REVIEW])

    @staticmethod
    def _ancestors(deck: str) -> list[str]:
        """The deck, every deck above it, and the virtual root."""
        found = [deck]
        while deck != ROOT:
            deck = parent_of(deck)
            found.append(deck)
        return found

    def uniform(self) -> bool:
        """True when no deck has limits of its own, so the selected deck's limit is the only one that binds."""
        s = self.col.settings
        return not (s.deck_presets or s.extra_new_today or s.extra_reviews_today)

    def selected(self, selection: Sequence[str] | None) -> list[str]:
        """The decks a study session is about: the named ones, or the virtual root."""
        return list(selection) if selection else [ROOT]

    def drawable(self, selection: Sequence[str] | None, kind: int, day_start: datetime) -> list[str] | None:
        """Decks (exact names) from which a new (kind NEW) or review card may be drawn now: every
        deck between the selected deck and it must have room left. None means every selected deck."""
        roots = self.selected(selection)
        if self.uniform():
            open_roots = [r for r in roots if self.remaining(r, day_start)[kind] > 0]
            return None if len(open_roots) == len(roots) else self._expand(open_roots)
        room: dict[str, bool] = {}

        def open_(deck: str) -> bool:
            if deck not in room:
                room[deck] = self.remaining(deck, day_start)[kind] > 0
            return room[deck]

        allowed: list[str] = []
        for root in roots:
            for deck in self.decks():
                if not within(deck, root):
                    continue
                chain, node = [deck], deck
                while node != root and node != ROOT:
                    node = parent_of(node)
                    chain.append(node)
                if all(open_(d) for d in chain):
                    allowed.append(deck)
        return allowed

    def _expand(self, roots: list[str]) -> list[str]:
        return [d for d in self.decks() if any(within(d, r) for r in roots)]

    def capped_total(
        self, selection: Sequence[str] | None, kind: int, day_start: datetime, own: Callable[[str, int], int]
    ) -> int:
        """How many cards of a kind the selection will show today: Anki's v3 count, where each deck
        gives at most its remaining limit of its own cards plus what its sub-decks give.
        `own(deck, cap)` counts a deck's own available cards, up to `cap`."""
        total = 0
        for root in self.selected(selection):
            total += self._deck_total(root, kind, day_start, own)
        return total

    def _deck_total(self, deck: str, kind: int, day_start: datetime, own: Callable[[str, int], int]) -> int:
        cap = self.remaining(deck, day_start)[kind]
        if cap == 0:
            return 0
        children = [d for d in self.decks() if parent_of(d) == deck and d != deck]
        found = own(deck, cap) if deck != ROOT else 0
        for child in children:
            if found >= cap:
                break
            found += self._deck_total(child, kind, day_start, own)
        return min(found, cap)
