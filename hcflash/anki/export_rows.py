"""hcflash's schedule and history as an export writes them into Anki's tables: each card's scheduling
columns (with its FSRS memory state) and its review log as revlog rows.

Pure, and keyed by hcflash card id: the exporter works these out on a second thread while Anki adds
the notes, and Anki's card ids, which exist only once the notes do, are joined in by SQL after. The
revlog rows themselves are built by SQLite (`ExportReads.revlog`); here they only get unique ids.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from operator import itemgetter
from typing import TYPE_CHECKING

from hcflash.anki.scheduling import DayFrame, anki_schedule
from hcflash.records import CardState
from hcflash.settings import Settings

if TYPE_CHECKING:
    from hcflash.store.export_reads import ExportRow

# SQL for a revlog row's ease, time and type from the one number `ExportReads.revlog` packs them in
# (ease + 10 × type + 100 × time).
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


def card_rows(groups: Sequence[tuple[str, Sequence[ExportRow]]], frame: DayFrame, settings: Settings) -> str:
    """Every card's row, in the order of `groups` (notes, each with its cards), as a JSON text; a
    card's new-card position is its note's place in the export."""
    rows = [
        [card.id, *card_row(card.state, position, frame, settings)]
        for position, (_, group) in enumerate(groups)
        for card in group
    ]
    return json.dumps(rows, separators=(",", ":"))


def revlog_rows(groups: Sequence[tuple[str, Sequence[ExportRow]]], revlog: str, shared: int) -> str:
    """The review log's rows for Anki as `ExportReads.revlog` gives them (a JSON text in id order),
    with ids made unique when `shared` says some reviews share a millisecond: in export order
    (notes, their cards, each card's reviews oldest first), a review in the same millisecond as
    one already written moves on by 1 ms. Reviews of cards not exported are left out then (the
    join on Anki's card ids leaves them out otherwise)."""
    if not shared:
        return revlog
    by_card: dict[int, list[list]] = {}
    for row in json.loads(revlog):  # by time, then log order, within each card too
        by_card.setdefault(row[0], []).append(row)
    used: set[int] = set()
    ordered = []
    for _, group in groups:
        for card in group:
            for row in by_card.get(card.id, ()):
                revlog_id = row[1]
                while revlog_id in used:
                    revlog_id += 1
                used.add(revlog_id)
                row[1] = revlog_id
                ordered.append(row)
    # In id order, so Anki's revlog (keyed by id) is written at its end, not all over the tree.
    ordered.sort(key=itemgetter(1))
    return json.dumps(ordered, separators=(",", ":"))
