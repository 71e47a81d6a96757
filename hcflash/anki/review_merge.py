"""One review history from two logs: which reviews each side lacks, and what each card becomes.

Pure functions, no I/O. A review is known on both sides by its time: Anki's revlog id is the answer
time in epoch milliseconds, and hcflash writes its reviews to Anki under their own millisecond (moved
up a millisecond or two only when the revlog already uses it). The store remembers each pairing
(`anki_review_links`); a review not yet paired is paired with an unpaired revlog row of the same card,
rating and time (within a few milliseconds), which is how a first sync recognizes the reviews an
`.apkg` export carried, and how a sync that died between the two commits is repaired by the next one.

A card that gained reviews from Anki is replayed from just before the first of them, in time order,
through hcflash's FSRS (which counts study days as Anki does): the memory state comes from the merged
history, and the due date from the side whose review is the latest, as the learner was shown it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

import fsrs

from hcflash import schedule
from hcflash.anki.scheduling import (
    REVLOG_KIND,
    REVLOG_LEARN,
    REVLOG_RELEARN,
    DayFrame,
    revlog_factor,
    revlog_interval,
    state_after_revlog,
    state_from_anki,
)
from hcflash.anki.view import AnkiRevlog
from hcflash.records import MAX_ANSWER_MS, CardState, ReviewEntry, ReviewStamp
from hcflash.settings import Settings

MATCH_TOLERANCE_MS = 10
MEMORY_TOLERANCE = 1e-3  # relative: closer than this, Anki's own memory state is left as it is
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def millis(moment: datetime) -> int:
    """Epoch milliseconds, in integers (no float rounding)."""
    return (moment - _EPOCH) // timedelta(milliseconds=1)


@dataclass(frozen=True)
class ReviewPairing:
    """For one card: reviews newly recognized as the same on both sides, and what each side lacks."""

    links: tuple[tuple[int, int], ...] = ()  # (hcflash review id, revlog id)
    to_anki: tuple[tuple[int, int | None], ...] = ()  # (hcflash review id, the revlog id it was once given)
    from_anki: tuple[AnkiRevlog, ...] = ()


def pair_reviews(
    entries: Sequence[ReviewStamp | ReviewEntry], revlog: list[AnkiRevlog], links: dict[int, int], linked_revlog_ids: set[int],
) -> ReviewPairing:
    """Pair one card's hcflash reviews with its revlog rows: by the stored links, then by time."""
    here = {r.id for r in revlog}
    to_anki: list[tuple[int, int | None]] = []
    open_entries: list[ReviewStamp | ReviewEntry] = []
    for entry in entries:
        revlog_id = links.get(entry.id)
        if revlog_id is None:
            open_entries.append(entry)
        elif revlog_id not in here:
            to_anki.append((entry.id, revlog_id))  # synced once, gone from Anki since (a restored backup): again
    open_revlog = [r for r in revlog if r.id not in linked_revlog_ids]
    new_links: list[tuple[int, int]] = []
    for entry in open_entries:
        at = millis(entry.reviewed_at)
        near = [r for r in open_revlog if r.ease == entry.rating and abs(r.id - at) <= MATCH_TOLERANCE_MS]
        if near:
            match = min(near, key=lambda r: abs(r.id - at))
            open_revlog.remove(match)
            new_links.append((entry.id, match.id))
        else:
            to_anki.append((entry.id, None))
    return ReviewPairing(tuple(new_links), tuple(to_anki), tuple(open_revlog))


@dataclass(frozen=True)
class AnkiCardNow:
    """An Anki card's schedule as it is now: the last word when Anki holds the latest review."""

    type: int
    queue: int
    due: int
    left: int
    memory: tuple[float, float] | None = None


@dataclass(frozen=True)
class CardMerge:
    """What one card becomes. `state` None leaves hcflash's state as it is; `anki_state` None leaves
    the Anki card's schedule as it is."""

    new_entries: tuple[tuple[ReviewEntry, int], ...] = ()  # Anki's reviews as hcflash log rows, with their revlog ids
    rewritten: tuple[ReviewEntry, ...] = ()
    state: CardState | None = None
    anki_state: CardState | None = None


def merge_card(
    entries: list[ReviewEntry], current: CardState, incoming: list[AnkiRevlog], pushed: bool,
    anki_now: AnkiCardNow | None, frame: DayFrame, settings: Settings, scheduler: fsrs.Scheduler,
) -> CardMerge:
    """Merge one card's history: `entries` are hcflash's (oldest first), `incoming` the Anki reviews
    hcflash lacks, `pushed` whether hcflash's reviews are going to Anki."""
    if not incoming:
        return CardMerge(anki_state=current if pushed else None)
    timeline: list[tuple[datetime, int, ReviewEntry | AnkiRevlog]] = sorted(
        [(e.reviewed_at, 0, e) for e in entries] + [(r.at, 1, r) for r in incoming], key=lambda t: (t[0], t[1])
    )
    first = next(i for i, item in enumerate(timeline) if item[1] == 1)
    if all(kind == 1 for _, kind, _ in timeline[first:]):
        state = current  # hcflash's reviews all came before: go on from what hcflash holds now
    elif first > 0:
        state = timeline[first - 1][2].after  # type: ignore[union-attr]
    else:
        state = CardState(card_id=current.card_id)
    previous_kind = REVLOG_KIND[timeline[first - 1][2].before.state] if first > 0 else None  # type: ignore[union-attr]
    new_entries: list[tuple[ReviewEntry, int]] = []
    rewritten: list[ReviewEntry] = []
    for at, _side, item in timeline[first:]:
        rating = item.rating if isinstance(item, ReviewEntry) else item.ease
        # The revlog kind each side wrote for this review (what the card was on that side when answered).
        kind = REVLOG_KIND[item.before.state] if isinstance(item, ReviewEntry) else item.kind
        memory_from = state
        if kind == REVLOG_LEARN and previous_kind not in (None, REVLOG_LEARN):
            # A learning step after the card had left learning: Anki reads that as the card starting
            # over (its FSRS keeps only the last run of learning steps and what follows), so the memory
            # state starts over here too. Both sides then compute the same state from the same log.
            memory_from = CardState(card_id=state.card_id, reps=state.reps, lapses=state.lapses)
        previous_kind = kind
        replayed = schedule.review(scheduler, memory_from, rating, at, settings)
        memory = {"stability": replayed.stability, "difficulty": replayed.difficulty, "reps": replayed.reps, "lapses": replayed.lapses}
        if isinstance(item, ReviewEntry):
            # hcflash's own review keeps the schedule the learner was shown, and the state it was given
            # from; only the memory state and the counts follow the merged history.
            before = item.before.with_changes(**{k: getattr(state, k) for k in memory})
            after = item.after.with_changes(**memory)
            if (before, after) != (item.before, item.after):
                rewritten.append(replace(item, before=before, after=after))
        else:
            after = state_after_revlog(replayed, item.ivl, item.kind, frame)
            duration = min(max(0, item.time_ms), MAX_ANSWER_MS)
            before = _as_kind(state, item.kind)
            new_entries.append((ReviewEntry(0, current.card_id, item.ease, at, duration, before, after, "anki"), item.id))
        state = after
    if timeline[-1][1] == 1 and anki_now is not None:
        state = state_from_anki(state, anki_now.type, anki_now.queue, anki_now.due, anki_now.left, frame, settings)
    final = state.with_changes(
        suspended=current.suspended or state.suspended, buried_until=current.buried_until, leech=current.leech or state.leech,
    )
    if timeline[-1][1] == 1:
        entry, revlog_id = new_entries[-1]
        new_entries[-1] = (replace(entry, after=final), revlog_id)  # the log's last word is the card's state
    elif rewritten and rewritten[-1].id == timeline[-1][2].id:  # type: ignore[union-attr]
        rewritten[-1] = replace(rewritten[-1], after=final)
    anki_state = final if pushed or _memory_differs(anki_now, final) else None
    return CardMerge(tuple(new_entries), tuple(rewritten), final, anki_state)


def _as_kind(state: CardState, kind: int) -> CardState:
    """`state` named as Anki's revlog kind names the card at that answer, so the log row and the revlog
    row say the same (a learning step Anki took while hcflash had the card in review, and so on)."""
    if kind == REVLOG_LEARN:
        return state if state.state in ("new", "learning") else state.with_changes(state="learning", step=state.step or 0)
    if kind == REVLOG_RELEARN:
        return state if state.state == "relearning" else state.with_changes(state="relearning", step=state.step or 0)
    return state if state.state == "review" else state.with_changes(state="review", step=None)


def _memory_differs(anki_now: AnkiCardNow | None, state: CardState) -> bool:
    if anki_now is None or state.stability is None or state.difficulty is None:
        return False
    if anki_now.memory is None:
        return True
    stability, difficulty = anki_now.memory
    return (abs(stability - state.stability) > MEMORY_TOLERANCE * state.stability
            or abs(difficulty - state.difficulty) > MEMORY_TOLERANCE * state.difficulty)


@dataclass(frozen=True)
class RevlogRow:
    """A review hcflash writes to Anki's revlog (usn -1, so AnkiWeb's next sync uploads it)."""

    id: int
    card_key: str
    ease: int
    ivl: int
    last_ivl: int
    factor: int
    time_ms: int
    kind: int


def revlog_row(entry: ReviewEntry, revlog_id: int, card_key: str, frame: DayFrame) -> RevlogRow:
    before, after = entry.before, entry.after
    return RevlogRow(
        id=revlog_id,
        card_key=card_key,
        ease=entry.rating,
        ivl=revlog_interval(after, entry.reviewed_at, frame),
        last_ivl=revlog_interval(before, before.last_review or entry.reviewed_at, frame),
        factor=revlog_factor(after),
        time_ms=min(max(0, entry.duration_ms or 0), MAX_ANSWER_MS),
        kind=REVLOG_KIND[before.state],
    )
