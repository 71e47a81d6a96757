"""The review session: which card comes next, what each rating would do, and the actions a learner
takes on a card (rate, bury, suspend, reset, flag), each of which `undo` takes back, latest first.

Every action is written to the store before it returns, so the next card is only ever chosen from
what is on disk. As in Anki, answering a card buries its siblings (the other cards of its note)
until the next study day, so the first answer does not give the others away.
"""

from __future__ import annotations

import random
from collections.abc import Container, Sequence
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from hcflash import records
from hcflash.cards import front_and_back
from hcflash.errors import ReviewError
from hcflash.limits import NEW, REVIEW
from hcflash.queue_memory import Entry, QueueMemory
from hcflash.records import MAX_ANSWER_MS, RATING_NAMES, CardState, QueueCounts, ReviewCard
from hcflash.store import StateChanged
from hcflash.timeutil import next_study_day_start

if TYPE_CHECKING:
    # Made once the learner acts (`records.X(...)` loads each on first use): not before the first card.
    from hcflash.records import CustomStudy, Preview, ReviewEntry, SessionSummary, UndoStep
    from hcflash.service import StudyService
    from hcflash.store.cards import ReviewRow
    from hcflash.store.codec import EncodedRating

LEARNING = ("learning", "relearning")
CUSTOM_LIMIT = 1000  # cards gathered into one custom study session, as Anki's filtered decks cap them


class ReviewSession:
    def __init__(self, col: StudyService) -> None:
        self.col = col
        # card id → (its state, the state each rating gives, those in the form the store writes)
        self._previews: dict[int, tuple[CardState, dict[int, CardState], dict[int, EncodedRating]]] = {}
        self._shown_at: dict[int, datetime] = {}
        self._decks: dict[int, str] = {}  # card id → deck, for the limits' usage
        self._undo: list[UndoStep] = []
        self._session: dict[int, ReviewEntry] = {}  # this session's ratings by log id, for its summary
        self.custom: CustomStudy | None = None
        self._custom_queue: list[int] = []
        self._memory = QueueMemory(col.store)  # the queue, states and siblings while nothing else writes
        self._selection: Sequence[str] | None = None  # the decks of the last next_card

    def forget_previews(self, card_id: int | None = None) -> None:
        """Drop cached rating previews (of one card, or all) after anything that changes a schedule."""
        if card_id is None:
            self._previews.clear()
            self._memory.forget()
        else:
            self._previews.pop(card_id, None)

    def forget_session(self) -> None:
        self._undo.clear()

    # -- the queue --------------------------------------------------------------------------

    def queue_counts(self, decks: Sequence[str] | None = None) -> QueueCounts:
        """The review header's counts, after every card: the learning count from the memory."""
        now = self.col.now()
        self._check_memory(now)
        learn_until = now + timedelta(minutes=self.col.settings.learn_ahead_minutes)
        learning = self._memory.count_due(LEARNING, decks, now, learn_until)
        if self.custom is not None:
            return QueueCounts(0, learning if self.custom.reschedules else 0, 0, custom=len(self._custom_queue))
        return count_queue(self.col, decks, now, learning)

    def next_card(self, decks: Sequence[str] | None = None) -> ReviewCard | None:
        """The card to show now: learning cards due, then reviews due today, then new cards, within
        the daily limits of the selected deck and of each sub-deck; then learning cards due within
        the learn-ahead window. In a custom study session, its cards instead. None when done.

        The queues come from the session's memory (`queue_memory.py`), which reads the store again
        only when something other than this session's ratings changed it."""
        now = self.col.now()
        self._check_memory(now)
        self._selection = decks
        found = self._choose(decks, now)
        if found is None:
            return None
        card = self._card(found[1])
        self._shown_at[card.id] = now
        return card

    def _choose(self, decks: Sequence[str] | None, now: datetime, skip: Container[int] = ()) -> Entry | None:
        """next_card's choice from the memory (checked by the caller), passing over the `skip` ids."""
        memory, limits = self._memory, self.col.limits
        day_start, day_end = limits.day_bounds(now)
        found = memory.first_due(LEARNING, None, decks, now, skip=skip, due_now=True)
        if self.custom is not None:
            if found is None or not self.custom.reschedules:
                found = next(((None, i, None) for i in self._custom_queue if i not in skip), None)
        else:
            if found is None:
                found = self._drawable(limits.drawable(decks, REVIEW, day_start), decks, lambda ds, exact: memory.first_due(
                    ("review",), day_end, ds, now, exact=exact, skip=skip))
            if found is None:
                found = self._drawable(limits.drawable(decks, NEW, day_start), decks, lambda ds, exact: memory.first_new(
                    ds, now, exact=exact, skip=skip))
        if found is None and (self.custom is None or self.custom.reschedules):
            ahead = now + timedelta(minutes=self.col.settings.learn_ahead_minutes)
            found = memory.first_due(LEARNING, None, decks, now, before=ahead, skip=skip)
        return found

    def _check_memory(self, now: datetime) -> None:
        """Empty the memory unless the store and the study day are those it was filled under."""
        self._memory.check(self.col.limits.day_bounds(now)[0])

    @staticmethod
    def _drawable(allowed: list[str] | None, decks: Sequence[str] | None, first) -> Entry | None:  # noqa: ANN001
        if allowed is None:
            return first(decks, False)
        return first(allowed, True) if allowed else None

    def review_card(self, card_id: int) -> ReviewCard:
        self._check_memory(self.col.now())
        return self._card(card_id)

    def _card(self, card_id: int) -> ReviewCard:
        """The card as the screen shows it, from the memory (checked by the caller) when it was read
        ahead at the previous card's reveal (`preview`)."""
        card = self._memory.cards.get(card_id)
        if card is None:
            row = self.col.store.cards.for_review(card_id)
            card = self._memory.cards[card_id] = screen_card(row, self.col.limits.today())
            self._memory.states[card_id] = row.state
            self._decks[card_id] = row.deck
        return card

    # -- custom study -----------------------------------------------------------------------

    def start_custom(self, study: CustomStudy) -> int:
        """Gather a custom study session (Anki's "study more today"); returns how many cards it holds."""
        store, now = self.col.store, self.col.now()
        _, day_end = self.col.limits.day_bounds(now)
        decks = list(study.decks) if study.decks else None
        if study.kind == "ahead":
            ids = store.queue.due_ids(("review",), day_end + timedelta(days=study.days), now, decks, CUSTOM_LIMIT)
        elif study.kind == "forgotten":
            ids = store.log.forgotten_since(now - timedelta(days=study.days), decks)[:CUSTOM_LIMIT]
        else:
            rows = store.cards.search(None, decks, study.tag, None, CUSTOM_LIMIT)
            ids = [r.id for r in rows if not r.suspended]
            random.shuffle(ids)  # cram in random order, as Anki's cram mode does
        self.custom = study
        self._custom_queue = list(ids)
        return len(ids)

    def end_custom(self) -> None:
        self.custom = None
        self._custom_queue = []

    # -- rating -----------------------------------------------------------------------------

    def _outcomes(self, state: CardState, now: datetime) -> tuple[dict[int, CardState], dict[int, EncodedRating]]:
        """The state each rating gives, computed once per card state: fsrs fuzzes at random, so the
        outcome the learner was shown is kept and stored as it was shown. With each, the form the
        store writes, worked out here (at the reveal) rather than while the learner waits."""
        cached = self._previews.get(state.card_id)
        if cached is None or (cached[0] is not state and cached[0] != state):
            from hcflash import schedule  # fsrs loads on first use: start-up stays short

            settings = self.col.settings
            outcomes = schedule.preview(schedule.make_scheduler(settings), state, now, settings)
            cached = (state, outcomes, self.col.store.log.encode(state, outcomes))
            self._previews[state.card_id] = cached
        return cached[1], cached[2]

    def preview(self, card_id: int) -> dict[int, Preview]:
        """What each rating would do, as intervals; `rate` stores exactly these results. The card's
        siblings, which rating buries, and the card likely to come next are read here too, while
        the learner reads the answer."""
        now = self.col.now()
        self._check_memory(now)
        outcomes, _ = self._outcomes(self._memory.state(card_id), now)
        # The card likely to follow this one is read now too, so that the rating waits for no read.
        skip = {card_id, *(s.card_id for s in self._memory.siblings(card_id))}
        after_this = self._choose(self._selection, now, skip)
        if after_this is not None:
            self._card(after_this[1])
        return {
            rating: records.Preview(rating, after, (after.due or now) - (after.last_review or now))
            for rating, after in outcomes.items()
        }

    def rate(self, card_id: int, rating: int, duration_ms: int | None = None) -> ReviewEntry:
        """Record a rating and bury the card's siblings; committed to disk before this returns. In a
        cram session nothing is written: the card goes to the back of the session on Again."""
        if rating not in RATING_NAMES:
            raise ReviewError(f"rating must be 1 (Again) to 4 (Easy), not {rating}")
        if self.custom is not None and not self.custom.reschedules:
            return self._cram(card_id, rating)
        now = self.col.now()
        if duration_ms is None and card_id in self._shown_at:
            duration_ms = int((now - self._shown_at[card_id]).total_seconds() * 1000)
        if duration_ms is not None:
            duration_ms = max(0, min(duration_ms, MAX_ANSWER_MS))
        memory, day_start = self._memory, self.col.limits.day_bounds(now)[0]
        for attempt in range(3):
            if memory.stamp is None or attempt:
                memory.check(day_start)  # a retry starts from the store as it now is
            # The card's state and its siblings' as the memory holds them, under its stamp. The
            # store writes only if that stamp still holds inside the write transaction (else
            # StateChanged, and this tries again afresh); the last try compares the card's state
            # itself, so a busy second session cannot make a rating fail.
            before = memory.state(card_id)
            outcomes, encoded = self._outcomes(before, now)
            after = outcomes[rating]  # the outcome previewed, if from this state
            reviewed_at = after.last_review or now
            siblings = self._siblings_to_bury(card_id, now)
            try:
                log_id, written = self.col.store.log.record(
                    card_id, rating, reviewed_at, duration_ms, before, after, also=[s for _, s in siblings],
                    unchanged_since=memory.stamp if attempt < 2 else None, encoded=encoded[rating],
                )
                break
            except StateChanged:
                # Another process wrote first (it may have rated this card): work it out again.
                memory.forget()
                if attempt == 2:
                    raise
        deck = self._deck_of(card_id)
        memory.rated(written, after, deck, [s for _, s in siblings])
        self._previews.pop(card_id, None)
        self._shown_at.pop(card_id, None)
        if card_id in self._custom_queue:
            self._custom_queue.remove(card_id)
        entry = records.ReviewEntry(log_id, card_id, rating, reviewed_at, duration_ms, before, after)
        self._undo.append(records.UndoStep("rating", card_id, (before, *(b for b, _ in siblings)), log_id=log_id, entry=entry, deck=deck))
        self._session[log_id] = entry
        self.col.limits.count(deck, before.state, reviewed_at, +1)
        return entry

    def _cram(self, card_id: int, rating: int) -> ReviewEntry:
        state = self.col.store.states.get(card_id)
        if card_id in self._custom_queue:
            self._custom_queue.remove(card_id)
            if rating == 1:
                self._custom_queue.append(card_id)  # Again: see it once more before the session ends
        self._shown_at.pop(card_id, None)
        return records.ReviewEntry(0, card_id, rating, self.col.now(), None, state, state, origin="cram")

    def _siblings_to_bury(self, card_id: int, now: datetime) -> list[tuple[CardState, CardState]]:
        """(before, after) for each sibling this answer buries: new, review and interday learning
        siblings, as the settings say (Anki's three burying options); intraday learning ones stay."""
        s = self.col.settings
        if not (s.bury_new or s.bury_reviews or s.bury_interday):
            return []
        _, day_end = self.col.limits.day_bounds(now)
        buried = []
        for sibling in self._memory.siblings(card_id):
            if sibling.suspended or (sibling.buried_until is not None and sibling.buried_until >= day_end):
                continue
            interday = sibling.state in LEARNING and sibling.due is not None and sibling.due >= day_end
            if (sibling.state == "new" and s.bury_new) or (sibling.state == "review" and s.bury_reviews) or (interday and s.bury_interday):
                buried.append((sibling, sibling.with_changes(buried_until=day_end)))
        return buried

    def _deck_of(self, card_id: int) -> str:
        if card_id not in self._decks:
            self._decks[card_id] = self.col.store.cards.get(card_id).deck
        return self._decks[card_id]

    # -- other actions on a card, each undoable ---------------------------------------------------

    def bury(self, card_id: int) -> None:
        """Hide until the next study day (Anki's bury)."""
        _, day_end = self.col.limits.day_bounds()
        self._change(records.UndoStep("bury", card_id, (self.col.store.states.get(card_id),)), buried_until=day_end)

    def suspend(self, card_id: int) -> None:
        self._change(records.UndoStep("suspend", card_id, (self.col.store.states.get(card_id),)), suspended=True)

    def reset(self, card_id: int) -> None:
        """Start the card over as new (its review history stays in the log)."""
        before = self.col.store.states.get(card_id)
        self.col.store.states.save(CardState(card_id=card_id, suspended=before.suspended))
        self._previews.pop(card_id, None)
        self._undo.append(records.UndoStep("reset", card_id, (before,)))

    def _change(self, step: UndoStep, suspended: bool | None = None, buried_until: datetime | None = None) -> None:
        """Bury or suspend, keeping the state before for undo."""
        self.col.store.states.set_flags(step.card_id, suspended=suspended, buried_until=buried_until or "keep")
        self._previews.pop(step.card_id, None)
        if step.card_id in self._custom_queue:
            self._custom_queue.remove(step.card_id)
        self._undo.append(step)

    def unsuspend(self, card_id: int) -> None:
        """Unsuspend; a leech keeps its tag but comes back to the queue."""
        self.col.store.states.set_flags(card_id, suspended=False)

    def flag(self, card_id: int, note: str = "") -> None:
        """Record that a card looks wrong, for the deck authors (`hcflash flags` lists them)."""
        flag_id = self.col.store.flags.add(card_id, note.strip(), self.col.now())
        self._undo.append(records.UndoStep("flag", card_id, (), flag_id=flag_id))

    def undo(self) -> UndoStep:
        """Take back the last action of this session (a rating, bury, suspend, reset or flag); the
        step names the card to show again."""
        if not self._undo:
            raise ReviewError("nothing to undo in this session")
        step = self._undo.pop()
        self.col.store.log.take_back(step.states, log_id=step.log_id, flag_id=step.flag_id)
        for state in step.states:
            self._previews.pop(state.card_id, None)
        if step.entry is not None:
            self._session.pop(step.entry.id, None)
            self.col.limits.count(step.deck, step.entry.before.state, step.entry.reviewed_at, -1)
        if self.custom is not None and step.card_id not in self._custom_queue:
            self._custom_queue.insert(0, step.card_id)
        return step

    def summary(self) -> SessionSummary:
        from hcflash.records import SessionSummary  # the other screens' records load with those screens, not before the first card

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


def screen_card(card: ReviewRow, today: date) -> ReviewCard:
    """The card as the review screen shows it, from its row in the store."""
    state = card.state
    front, back = front_and_back(card.kind, card.ord, card.question, card.answer)
    edited = bool(card.content_changed_at and state.last_review and card.content_changed_at > state.last_review)
    tags = card.tags + (("leech",) if state.leech and "leech" not in card.tags else ())
    fact = card.change if edited and card.change is not None and card.change.kind == "fact" else None
    return ReviewCard(
        id=card.id, key=card.key, deck=card.deck, kind=card.kind, front=front, back=back,  # type: ignore[arg-type]
        sources=card.sources, tags=tags, file=card.file, line=card.line, state=state,
        edited_since_review=edited, note_id=card.note_id, ord=card.ord, fact_change=fact,
        upcoming=card.valid_from if card.valid_from is not None and card.valid_from > today else None,
    )


def count_queue(col: StudyService, decks: Sequence[str] | None, now: datetime, learning: int) -> QueueCounts:
    """The review header's counts: `learning` (cards due within the learn-ahead window), and the new
    and review cards left today within the daily limits of each deck and sub-deck, counted in SQL
    only up to each limit."""
    store, limits = col.store, col.limits
    day_start, day_end = limits.day_bounds(now)

    def own_new(deck: str, cap: int) -> int:
        return store.queue.count_new(now, [deck], cap=cap, exact=True)

    def own_due(deck: str, cap: int) -> int:
        return store.queue.count_due(("review",), day_end, now, [deck], cap=cap, exact=True)

    if limits.uniform():
        roots = limits.selected(decks)
        new = sum(store.queue.count_new(now, None if r == "" else [r], cap=limits.remaining(r, day_start)[NEW]) for r in roots)
        review = sum(
            store.queue.count_due(("review",), day_end, now, None if r == "" else [r], cap=limits.remaining(r, day_start)[REVIEW])
            for r in roots
        )
    else:
        new = limits.capped_total(decks, NEW, day_start, own_new)
        review = limits.capped_total(decks, REVIEW, day_start, own_due)
    return QueueCounts(new=new, learning=learning, review=review)
