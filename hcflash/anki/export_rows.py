"""hcflash's schedule and history as an export writes them into Anki's tables: each card's scheduling
columns (with its FSRS memory state) and its review log as revlog rows.

Keyed by hcflash card id, in a scratch SQLite file of the export's (`PROGRESS_FILE`): the exporter
works these out on a second thread while Anki adds the notes, and the export's collection attaches
the file and copies the rows in, joined by SQL to Anki's card ids, which exist only once the notes
do. The revlog rows themselves are built by SQLite (`ExportReads.revlog_into`); here they only get
unique ids.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import TYPE_CHECKING

from hcflash.anki.scheduling import DayFrame, anki_schedule
from hcflash.records import CardState
from hcflash.settings import Settings

if TYPE_CHECKING:
    from hcflash.store.export_reads import ExportRow

# The scratch file, in the export's temporary folder, that holds its rows for Anki's tables:
# `revlog` (card_id, id, ivl, last_ivl, packed), written by `ExportReads.revlog_into`, and `cards`
# (card_id, type, queue, due, ivl, factor, reps, lapses, left, data), by `write_card_rows`.
PROGRESS_FILE = "progress.db"

# SQL for a revlog row's ease, time and type from the one number `ExportReads.revlog_into` packs
# them in (ease + 10 × type + 100 × time).
REVLOG_SPLIT = "{packed} % 10, {packed} / 100, ({packed} / 10) % 10"


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


def card_rows(groups: Sequence[tuple[str, Sequence[ExportRow]]], frame: DayFrame, settings: Settings) -> list[tuple]:
    """Every card's row, led by its hcflash id, in the order of `groups` (notes, each with its
    cards); a card's new-card position is its note's place in the export."""
    return [
        (card.id, *card_row(card.state, position, frame, settings))
        for position, (_, group) in enumerate(groups)
        for card in group
    ]


def write_card_rows(progress: sqlite3.Connection, rows: list[tuple]) -> None:
    """The rows `card_rows` worked out, into the scratch file's `cards` table."""
    progress.execute(
        "CREATE TABLE cards (card_id INTEGER PRIMARY KEY, type INTEGER, queue INTEGER, due INTEGER, ivl INTEGER, "
        "factor INTEGER, reps INTEGER, lapses INTEGER, left INTEGER, data TEXT)"
    )
    progress.executemany("INSERT INTO cards VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)


def unique_revlog_ids(progress: sqlite3.Connection, groups: Sequence[tuple[str, Sequence[ExportRow]]]) -> None:
    """Make the scratch file's revlog ids unique, when `ExportReads.revlog_into` said some reviews
    share a millisecond: in export order (notes, their cards, each card's reviews oldest first), a
    review in the same millisecond as one already written moves on by 1 ms, and on until its
    millisecond is free. Reviews of cards not exported take no part (the join on Anki's card ids
    leaves them out).

    Only the reviews near a shared millisecond are worked through in that order. The milliseconds
    the reviews end up in do not depend on the order (as with linear probing in a hash table):
    walking the ids upwards, a review whose id is at or below the last millisecond the reviews
    before it fill joins their run, which then fills one more; a review alone in its run keeps
    its id. So each run is settled on its own, and an export of 500,000 reviews of which two share
    a millisecond moves those two instead of passing every review through Python."""
    position = {card.id: place for place, card in enumerate(card for _, group in groups for card in group)}
    moved: list[tuple[int, int]] = []
    run: list[tuple[int, int, int]] = []  # (export position, rowid, id): the current run's reviews
    end = 0  # the last millisecond the current run fills
    # In rowid order, which is the ids' (`revlog_into` wrote them ordered) and each card's oldest first.
    for rowid, card_id, revlog_id in progress.execute("SELECT rowid, card_id, id FROM revlog ORDER BY rowid"):
        place = position.get(card_id)
        if place is None:
            continue
        if run and revlog_id <= end:
            run.append((place, rowid, revlog_id))
            end += 1
            continue
        if len(run) > 1:
            moved.extend(_settle(run))
        run, end = [(place, rowid, revlog_id)], revlog_id
    if len(run) > 1:
        moved.extend(_settle(run))
    progress.executemany("UPDATE revlog SET id = ? WHERE rowid = ?", moved)


def _settle(run: list[tuple[int, int, int]]) -> list[tuple[int, int]]:
    """(new id, rowid) for each review of a run whose id moves, taking them in export order."""
    used: set[int] = set()
    moved = []
    for _, rowid, revlog_id in sorted(run):
        new_id = revlog_id
        while new_id in used:
            new_id += 1
        used.add(new_id)
        if new_id != revlog_id:
            moved.append((new_id, rowid))
    return moved
