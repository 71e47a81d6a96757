"""A card's schedule in Anki's terms and back: pure conversions both the `.apkg` export and `anki sync`
use, so that Anki shows the due date hcflash shows and hcflash keeps the due date Anki gave.

Anki names review days by number (`col.sched.today` is today) and keeps intraday learning due times in
epoch seconds; hcflash keeps every due date as a UTC moment. `DayFrame` holds both calendars at one
moment: a due moment becomes the number of the study day it falls in, and a day number becomes a moment
inside that study day (at the time of day of the review that set it).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, tzinfo
from functools import cached_property

from hcflash.records import CardState, StateName
from hcflash.settings import Settings
from hcflash.stats import study_day
from hcflash.timeutil import as_utc, study_day_bounds, study_day_start

# Anki's card types and queues (pylib/anki/consts.py).
TYPE_NEW, TYPE_LEARN, TYPE_REVIEW, TYPE_RELEARN = 0, 1, 2, 3
QUEUE_SUSPENDED, QUEUE_NEW, QUEUE_LEARN, QUEUE_REVIEW, QUEUE_DAY_LEARN = -1, 0, 1, 2, 3
# Anki's revlog kinds: what the card was when answered.
REVLOG_LEARN, REVLOG_REVIEW, REVLOG_RELEARN, REVLOG_FILTERED = 0, 1, 2, 3
REVLOG_KIND: dict[StateName, int] = {"new": REVLOG_LEARN, "learning": REVLOG_LEARN, "review": REVLOG_REVIEW, "relearning": REVLOG_RELEARN}
_EPOCH_SECONDS = 1_000_000_000  # Anki tells a learning due time from a day number by its size


@dataclass(frozen=True)
class DayFrame:
    """Study days on both sides at one moment: Anki's number for today, and hcflash's calendar."""

    now: datetime
    anki_today: int
    rollover_hour: int
    tz: tzinfo | None
    # Study days already worked out, by local date and whether before the rollover: an export asks
    # for tens of thousands of due dates that fall on a few hundred days.
    _days: dict[tuple[date, bool], date] = field(default_factory=dict, init=False, repr=False, compare=False)

    @classmethod
    def of(cls, now: datetime, anki_today: int, settings: Settings) -> DayFrame:
        return cls(as_utc(now), anki_today, settings.rollover_hour, settings.tz)

    def day_of(self, moment: datetime) -> date:
        """`stats.study_day`, which depends only on the local date and whether the local time is
        before the rollover hour: worked out once per such pair."""
        try:
            local = moment.astimezone(self.tz) if self.tz is not None else moment.astimezone()
        except (ValueError, OverflowError, OSError):
            return study_day(moment, self.rollover_hour, self.tz)  # raises the error that says how to fix it
        key = (local.date(), local.hour < self.rollover_hour)
        day = self._days.get(key)
        if day is None:
            day = self._days[key] = study_day(moment, self.rollover_hour, self.tz)
        return day

    @cached_property
    def today(self) -> date:
        """hcflash's study day at `now`."""
        return self.day_of(self.now)

    def anki_day(self, moment: datetime) -> int:
        """Anki's number for the study day `moment` falls in."""
        return self.anki_today + (self.day_of(moment) - self.today).days

    def next_day_start(self) -> datetime:
        return self._next_day_start

    @cached_property
    def _next_day_start(self) -> datetime:
        return study_day_bounds(self.today, self.rollover_hour, self.tz)[1]

    def moment_in(self, anki_day: int, like: datetime) -> datetime:
        """A moment inside Anki's study day `anki_day`, as far into it as `like` is into its own day."""
        start, end = study_day_bounds(self.today + timedelta(days=anki_day - self.anki_today), self.rollover_hour, self.tz)
        offset = as_utc(like) - study_day_start(like, self.rollover_hour, self.tz)
        return min(start + offset, end - timedelta(microseconds=1))


@dataclass(frozen=True)
class AnkiSchedule:
    """A card's scheduling columns as Anki keeps them, with its FSRS memory state."""

    type: int
    queue: int
    due: int
    ivl: int
    left: int
    reps: int
    lapses: int
    stability: float | None
    difficulty: float | None
    last_review_secs: int | None


def anki_schedule(state: CardState, frame: DayFrame, settings: Settings, position: int = 0) -> AnkiSchedule:
    """The Anki columns that make Anki show this hcflash state: the same due study day, the same step."""
    memory = (state.reps, state.lapses, state.stability, state.difficulty,
              int(state.last_review.timestamp()) if state.last_review else None)
    if state.state == "new" or state.due is None:
        return AnkiSchedule(TYPE_NEW, QUEUE_SUSPENDED if state.suspended else QUEUE_NEW, position, 0, 0, *memory)
    if state.state == "review":
        since = state.last_review or state.due
        ivl = max(1, (frame.day_of(state.due) - frame.day_of(since)).days)
        kind, queue, due, left = TYPE_REVIEW, QUEUE_REVIEW, frame.anki_day(state.due), 0
    else:
        steps = settings.learning_steps if state.state == "learning" else settings.relearning_steps
        kind = TYPE_LEARN if state.state == "learning" else TYPE_RELEARN
        left = max(1, len(steps) - (state.step or 0))
        ivl = max(1, round(state.stability or 1)) if state.state == "relearning" else 0
        if state.due < frame.next_day_start():
            queue, due = QUEUE_LEARN, int(state.due.timestamp())
        else:  # a step that ends on a later day: Anki's interday learning queue, by day number
            queue, due = QUEUE_DAY_LEARN, frame.anki_day(state.due)
    return AnkiSchedule(kind, QUEUE_SUSPENDED if state.suspended else queue, due, ivl, left, *memory)


def anki_due_moment(card_type: int, queue: int, due: int, frame: DayFrame, last_review: datetime) -> datetime | None:
    """When an Anki card is due, as a moment: epoch seconds for intraday learning, else inside its day."""
    if card_type == TYPE_NEW:
        return None
    if queue == QUEUE_LEARN or (card_type in (TYPE_LEARN, TYPE_RELEARN) and due > _EPOCH_SECONDS):
        return datetime.fromtimestamp(due, UTC)
    return frame.moment_in(due, last_review)


def state_from_anki(replayed: CardState, card_type: int, queue: int, due: int, left: int,
                    frame: DayFrame, settings: Settings) -> CardState:
    """`replayed` (memory and counts from the merged history) with the schedule the Anki card has now."""
    if card_type == TYPE_NEW or replayed.last_review is None:
        return replayed
    name: StateName = {TYPE_LEARN: "learning", TYPE_REVIEW: "review", TYPE_RELEARN: "relearning"}[card_type]
    step = None
    if name != "review":
        steps = settings.learning_steps if name == "learning" else settings.relearning_steps
        step = min(max(0, len(steps) - left % 1000), max(0, len(steps) - 1))
    return replayed.with_changes(state=name, step=step, due=anki_due_moment(card_type, queue, due, frame, replayed.last_review))


def state_after_revlog(replayed: CardState, ivl: int, kind: int, frame: DayFrame) -> CardState:
    """`replayed` with the interval an Anki answer gave (revlog `ivl`: days, or minus seconds)."""
    at = replayed.last_review
    if at is None or ivl == 0:
        return replayed
    if ivl > 0:
        return replayed.with_changes(state="review", step=None, due=frame.moment_in(frame.anki_day(at) + ivl, at))
    name: StateName = "learning" if kind == REVLOG_LEARN else "relearning"
    step = replayed.step if replayed.state == name and replayed.step is not None else 0
    return replayed.with_changes(state=name, step=step, due=at + timedelta(seconds=-ivl))


def revlog_interval(state: CardState, at: datetime, frame: DayFrame) -> int:
    """Anki's revlog interval for the state a review led to: study days, or minus seconds for a step."""
    if state.state == "new" or state.due is None:
        return 0
    if state.state == "review":
        return max(1, frame.anki_day(state.due) - frame.anki_day(at))
    return -max(1, int((state.due - at).total_seconds()))


def revlog_factor(state: CardState) -> int:
    """What Anki writes in a revlog row's factor under FSRS: difficulty on 0.1-1.1, times 1000."""
    if state.difficulty is None:
        return 0
    return round(((state.difficulty - 1) / 9 + 0.1) * 1000)
