"""The review session: which card comes next, what each rating would do, and the actions a learner
takes on a card (rate, undo, bury, suspend, reset, flag), with this session's undo stack.

Every action is written to the store before it returns, so the next card is only ever chosen from
what is on disk.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from hcflash import schedule
from hcflash.cards import front_and_back
from hcflash.errors import ReviewError
from hcflash.records import MAX_ANSWER_MS, CardInfo, CardState, Preview, QueueCounts, ReviewCard, ReviewEntry, SessionSummary
from hcflash.store import StateChanged
from hcflash.timeutil import next_study_day_start

if TYPE_CHECKING:
    from hcflash.service import StudyService

LEARNING = ("learning", "relearning")


class ReviewSession:
    def __init__(self, col: StudyService) -> None:
        self.col = col
        self._previews: dict[int, tuple[CardState, dict[int, CardState]]] = {}
        self._shown_at: dict[int, datetime] = {}
        self._undo_stack: list[int] = []
        self._session: dict[int, ReviewEntry] = {}  # this session's ratings by log id, for its summary

    def forget_previews(self, card_id: int | None = None) -> None:
        """Drop cached rating previews (of one card, or all) after anything that changes a schedule."""
        if card_id is None:
            self._previews.clear()
        else:
            self._previews.pop(card_id, None)

    def forget_session(self) -> None:
        self._undo_stack.clear()

    # -- the queue --------------------------------------------------------------------------

    def queue_counts(self, decks: Sequence[str] | None = None) -> QueueCounts:
        store, now = self.col.store, self.col.now()
        day_start, day_end = self.col.limits.day_bounds(now)
        new_left, reviews_left = self.col.limits.remaining(day_start)
        learn_until = now + timedelta(minutes=self.col.settings.learn_ahead_minutes)
        return QueueCounts(
            new=store.queue.count_new(now, decks, cap=new_left),
            learning=store.queue.count_due(LEARNING, learn_until, now, decks),
            review=store.queue.count_due(("review",), day_end, now, decks, cap=reviews_left),
        )

    def next_card(self, decks: Sequence[str] | None = None) -> ReviewCard | None:
        """The card to show now: learning cards due, then reviews due today, then new cards, within
        the daily limits; then learning cards due within the learn-ahead window. None when done."""
        queue, now = self.col.store.queue, self.col.now()
        day_start, day_end = self.col.limits.day_bounds(now)
        new_left, reviews_left = self.col.limits.remaining(day_start)
        just_after_now = now + timedelta(microseconds=1)
        ids = queue.due_ids(LEARNING, just_after_now, now, decks, 1)
        if not ids and reviews_left:
            ids = queue.due_ids(("review",), day_end, now, decks, 1)
        if not ids and new_left:
            ids = queue.new_ids(now, decks, 1)
        if not ids:
            ahead = now + timedelta(minutes=self.col.settings.learn_ahead_minutes)
            ids = queue.due_ids(LEARNING, ahead, now, decks, 1)
        if not ids:
            return None
        card = self.review_card(ids[0])
        self._shown_at[card.id] = now
        return card

    def review_card(self, card_id: int) -> ReviewCard:
        card, state = self.col.store.cards.with_state(card_id)
        front, back = front_and_back(card.kind, card.ord, card.question, card.answer)
        edited = bool(
            card.content_changed_at and state.last_review and card.content_changed_at > state.last_review
        )
        tags = card.tags + (("leech",) if state.leech and "leech" not in card.tags else ())
        return ReviewCard(
            id=card.id, key=card.key, deck=card.deck, kind=card.kind, front=front, back=back,
            sources=card.sources, tags=tags, file=card.file, line=card.line, state=state,
            edited_since_review=edited,
        )

    # -- rating -----------------------------------------------------------------------------

    def _outcomes(self, state: CardState, now: datetime) -> dict[int, CardState]:
        """The state each rating gives, computed once per card state: fsrs fuzzes at random, so the
        outcome the learner was shown is kept and stored as it was shown."""
        cached = self._previews.get(state.card_id)
        if cached is None or cached[0] != state:
            settings = self.col.settings
            cached = (state, schedule.preview(schedule.make_scheduler(settings), state, now, settings))
            self._previews[state.card_id] = cached
        return cached[1]

    def preview(self, card_id: int) -> dict[int, Preview]:
        """What each rating would do, as intervals; `rate` stores exactly these results."""
        now = self.col.now()
        outcomes = self._outcomes(self.col.store.states.get(card_id), now)
        return {
            rating: Preview(rating, after, (after.due or now) - (after.last_review or now))
            for rating, after in outcomes.items()
        }

    def rate(self, card_id: int, rating: int, duration_ms: int | None = None) -> ReviewEntry:
        """Record a rating; committed to disk before this returns."""
        if rating not in schedule.RATINGS:
            raise ReviewError(f"rating must be 1 (Again) to 4 (Easy), not {rating}")
        now = self.col.now()
        if duration_ms is None and card_id in self._shown_at:
            duration_ms = int((now - self._shown_at[card_id]).total_seconds() * 1000)
        if duration_ms is not None:
            duration_ms = max(0, min(duration_ms, MAX_ANSWER_MS))
        for attempt in range(3):
            # One read here, and the store's compare-and-set read inside the write transaction.
            before = self.col.store.states.get(card_id)
            after = self._outcomes(before, now)[rating]
            reviewed_at = after.last_review or now
            try:
                log_id = self.col.store.log.record(card_id, rating, reviewed_at, duration_ms, before, after)
                break
            except StateChanged:
                # Another process rated this card first: apply this rating on top of theirs.
                self._previews.pop(card_id, None)
                if attempt == 2:
                    raise
        self._previews.pop(card_id, None)
        self._shown_at.pop(card_id, None)
        self._undo_stack.append(log_id)
        entry = ReviewEntry(log_id, card_id, rating, reviewed_at, duration_ms, before, after)
        self._session[log_id] = entry
        self.col.limits.count(entry, +1)
        return entry

    def undo(self) -> int:
        """Take back the last rating of this session; returns the card id so it can be shown again."""
        while self._undo_stack:
            log_id = self._undo_stack.pop()
            entry = self.col.store.log.entry(log_id)
            self._session.pop(log_id, None)
            if entry is not None:
                self.col.store.log.undo(entry)
                self.col.limits.count(entry, -1)
                self._previews.pop(entry.card_id, None)
                return entry.card_id
        raise ReviewError("nothing to undo in this session")

    # -- other actions on a card ------------------------------------------------------------

    def reset(self, card_id: int) -> None:
        """Start the card over as new (its review history stays in the log)."""
        current = self.col.store.states.get(card_id)
        self.col.store.states.save(CardState(card_id=card_id, suspended=current.suspended))
        self._previews.pop(card_id, None)

    def bury(self, card_id: int) -> None:
        """Hide until the next study day (Anki's bury)."""
        _, day_end = self.col.limits.day_bounds()
        self.col.store.states.set_flags(card_id, buried_until=day_end)
        self._previews.pop(card_id, None)

    def suspend(self, card_id: int) -> None:
        self.col.store.states.set_flags(card_id, suspended=True)
        self._previews.pop(card_id, None)

    def unsuspend(self, card_id: int) -> None:
        """Unsuspend; a leech keeps its tag but comes back to the queue."""
        self.col.store.states.set_flags(card_id, suspended=False)

    def flag(self, card_id: int, note: str = "") -> None:
        """Record that a card looks wrong, for the deck authors (`hcflash flags` lists them)."""
        self.col.store.flags.add(card_id, note.strip(), self.col.now())

    # -- what the learner reads about a card ------------------------------------------------

    def card_change(self, card_id: int) -> str | None:
        """What changed in the card's text since the learner last reviewed it, as a short diff."""
        card, state = self.col.store.cards.with_state(card_id)
        if not (card.content_changed_at and state.last_review and card.content_changed_at > state.last_review):
            return None
        if card.previous_question is None and card.previous_answer is None:
            return None
        old = f"{card.previous_question or ''}\n{card.previous_answer or ''}"
        return content_diff(old, f"{card.question}\n{card.answer}") or None

    def card_info(self, card_id: int) -> CardInfo:
        card, state = self.col.store.cards.with_state(card_id)
        scheduler = schedule.make_scheduler(self.col.settings)
        return CardInfo(
            card=card,
            state=state,
            history=tuple(self.col.store.log.of_card(card_id)),
            retrievability=schedule.retrievability(scheduler, state, self.col.now()),
        )

    def summary(self) -> SessionSummary:
        entries = list(self._session.values())
        now = self.col.now()
        _, day_end = self.col.limits.day_bounds(now)
        settings = self.col.settings
        tomorrow_end = next_study_day_start(day_end, settings.rollover_hour, settings.tz)
        due_tomorrow = self.col.store.queue.count_due(("review", "learning", "relearning"), tomorrow_end, now, None)
        return SessionSummary(
            reviewed=len(entries),
            again=sum(e.rating == 1 for e in entries),
            seconds=sum((e.duration_ms or 0) for e in entries) / 1000,
            due_tomorrow=due_tomorrow,
        )


def content_diff(old: str, new: str, max_lines: int = 12) -> str:
    """The changed lines between two versions of a card, `-` old and `+` new, at most `max_lines`."""
    import difflib

    lines = [
        line for line in difflib.unified_diff(old.splitlines(), new.splitlines(), lineterm="", n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]
    if len(lines) > max_lines:
        lines = lines[:max_lines] + [f"… {len(lines) - max_lines} more changed line(s)"]
    return "\n".join(lines)
