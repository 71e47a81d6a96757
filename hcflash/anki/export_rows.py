"""hcflash's schedule and history as an export writes them into Anki's tables: each card's scheduling
columns (with its FSRS memory state) and its review log as revlog rows.

Pure, and keyed by hcflash card id: the exporter works these out on a second thread while Anki adds
the notes, and Anki's card ids, which exist only once the notes do, are joined in by SQL after.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from operator import itemgetter
from typing import TYPE_CHECKING

from hcflash.anki.scheduling import DayFrame, anki_schedule
from hcflash.records import MAX_ANSWER_MS, CardState
from hcflash.settings import Settings

if TYPE_CHECKING:
    from hcflash.store.export_reads import ExportReview, ExportRow

# Anki's revlog kinds, by the state the card was in when answered.
_REVLOG_TYPE = {"new": 0, "learning": 0, "review": 1, "relearning": 2}
_DAY_MS = 86_400_000
# SQL for a revlog row's ease, time and type from the one number `revlog_rows` packs them in.
REVLOG_SPLIT = "{packed} % 10, {packed} / 100, ({packed} / 10) % 10"


@dataclass(frozen=True)
class ProgressRows:
    """Rows for Anki's tables as JSON texts, each row led by the hcflash card id it belongs to:
    `cards` [card id, type, queue, due, ivl, factor, reps, lapses, left, data] and `revlog`
    [card id, revlog id, ivl, lastIvl, ease + 10 × type + 100 × time]. The three small numbers go
    as one (`REVLOG_SPLIT` takes them apart in SQL): SQLite pulls each value out of its row's JSON
    on its own, and the revlog has a row per review."""

    cards: str
    revlog: str


def card_row(state: CardState, position: int, frame: DayFrame, settings: Settings) -> list:
    """[type, queue, due, ivl, factor, reps, lapses, left, data] for Anki's cards table."""
    plan = anki_schedule(state, frame, settings, position)
    if plan.type == 0:
        return [0, plan.queue, position, 0, 0, 0, 0, 0, ""]
    return [plan.type, plan.queue, plan.due, plan.ivl, 2500, plan.reps, plan.lapses, plan.left,
            memory_data(plan.stability, plan.difficulty, plan.last_review_secs)]


def memory_data(stability: float | None, difficulty: float | None, last_review_secs: int | None) -> str:
    """The card's data column, where Anki keeps the FSRS memory state and the last review time:
    `{"s":…,"d":…,"lrt":…}` as `json.dumps` writes it (a float as its repr), formatted directly
    because an export writes one per card."""
    parts = []
    if stability is not None and difficulty is not None:
        parts.append(f'"s":{round(stability, 4)!r},"d":{round(difficulty, 4)!r}')
    if last_review_secs is not None:
        parts.append(f'"lrt":{int(last_review_secs)}')
    return "{" + ",".join(parts) + "}" if parts else ""


def revlog_ivl(state: str, due_ms: int | None, at_ms: int) -> int:
    """Anki's revlog interval: days for review cards, negative seconds for (re)learning steps."""
    if state == "new" or due_ms is None:
        return 0
    if state == "review":
        return max(1, round((due_ms - at_ms) / _DAY_MS))
    return -max(1, (due_ms - at_ms) // 1000)


def card_rows(groups: Sequence[tuple[str, Sequence[ExportRow]]], frame: DayFrame, settings: Settings) -> str:
    """Every card's row, in the order of `groups` (notes, each with its cards), as a JSON text; a
    card's new-card position is its note's place in the export."""
    rows = [
        [card.id, *card_row(card.state, position, frame, settings)]
        for position, (_, group) in enumerate(groups)
        for card in group
    ]
    return json.dumps(rows, separators=(",", ":"))


def revlog_rows(groups: Sequence[tuple[str, Sequence[ExportRow]]], reviews: Sequence[ExportReview]) -> str:
    """Every review's revlog row as a JSON text, in id order; a revlog id is the review's time in
    milliseconds (`_unique_ids`). `ExportReads.revlog_json` is the same in SQL, used when no two
    reviews share a millisecond."""
    # Every review, in any order: the join on Anki's card ids leaves out the reviews of cards not
    # exported. Only if two reviews share a millisecond does the order matter (`_unique_ids`).
    ivl, kind = revlog_ivl, _REVLOG_TYPE
    revlog = [
        [card_id, at, ivl(after, after_due, at), ivl(before, before_due, before_last or at),
         rating + 10 * kind[before] + 100 * min(duration or 0, MAX_ANSWER_MS)]
        for card_id, at, rating, duration, before, before_due, before_last, after, after_due, _ in reviews
    ]
    if len({row[1] for row in revlog}) < len(revlog):
        revlog = _unique_ids(groups, reviews, revlog)
    # In id order, so Anki's revlog (keyed by id, the review's time) is written at its end and
    # not page by page all over the tree.
    revlog.sort(key=itemgetter(1))
    return json.dumps(revlog, separators=(",", ":"))


def _unique_ids(groups: Sequence[tuple[str, Sequence[ExportRow]]], reviews: Sequence[ExportReview],
                revlog: list[list]) -> list[list]:
    """The exported cards' rows of `revlog` (one per review, in the same order), with ids made
    unique as Anki needs them: in export order (notes, their cards, each card's reviews oldest
    first), a review in the same millisecond as one already written moves on by 1 ms."""
    by_card: dict[int, list[tuple[tuple[int, int], list]]] = {}
    for review, row in zip(reviews, revlog, strict=True):
        by_card.setdefault(review[0], []).append(((review[1], review[9]), row))  # by time, then log order
    used: set[int] = set()
    ordered = []
    for _, group in groups:
        for card in group:
            for _, row in sorted(by_card.get(card.id, ()), key=itemgetter(0)):
                revlog_id = row[1]
                while revlog_id in used:
                    revlog_id += 1
                used.add(revlog_id)
                row[1] = revlog_id
                ordered.append(row)
    return ordered
