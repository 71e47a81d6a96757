"""Export to an Anki `.apkg`, built with the official `anki` package, never by hand.

A temporary collection gets hcflash's own note types (fixed ids, frozen fields), one note per hcflash
note with a GUID derived from its id, and, with progress, each card's FSRS memory state, due date and
review history as revlog rows, plus the FSRS parameters and desired retention in the deck options,
and each deck's description.
Anki's own package export then writes the file. Importing a newer export updates notes in place,
because the GUIDs match and each note's modification time follows the card's last edit.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import tempfile
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from hcflash.anki.apply import deck_config_id
from hcflash.anki.export_rows import PROGRESS_FILE, REVLOG_SPLIT, card_rows, unique_revlog_ids, write_card_rows
from hcflash.anki.html import inline_html, markdown_html, resanitize
from hcflash.anki.keys import anki_ord, note_guid
from hcflash.anki.library import require_anki
from hcflash.anki.notetypes import BASIC_FIELDS, BASIC_MODEL_ID, CLOZE_FIELDS, CLOZE_MODEL_ID, create_notetypes
from hcflash.anki.scheduling import DayFrame
from hcflash.errors import AnkiError, HcflashError
from hcflash.records import ExportSummary
from hcflash.settings import Settings

if TYPE_CHECKING:
    from hcflash.store.export_reads import ExportRow


def _deck_config(col, settings: Settings, deck_ids: list[int]) -> None:  # noqa: ANN001
    config = deck_config_id(col, settings)
    for deck_id in deck_ids:
        deck = col.decks.get(deck_id)
        deck["conf"] = config
        col.decks.save(deck)


class NoteContent(Protocol):
    """What a note's fields are rendered from: a `StoredCard`, or an export's lighter row."""

    @property
    def note_id(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def question(self) -> str: ...
    @property
    def answer(self) -> str: ...
    @property
    def sources(self) -> tuple[str, ...]: ...
    @property
    def content_hash(self) -> str: ...


def cached_fields(first: NoteContent, cache: dict[str, dict[str, str]]) -> tuple[int, dict[str, str]]:
    """Fields for a note, rendered once per content (and kind) and reused from `cache` after; a cache
    read from the store goes through `trusted_cache` first."""
    key = f"{first.content_hash}:{'cloze' if first.kind == 'cloze' else 'basic'}"
    model_id = CLOZE_MODEL_ID if first.kind == "cloze" else BASIC_MODEL_ID
    if key not in cache:
        cache[key] = _fields(first)
    return model_id, dict(cache[key])


def trusted_cache(stored: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
    """The store's render cache, made as safe as freshly rendered HTML: the store is a file on disk,
    and nothing read from it reaches Anki unchecked (`html.resanitize`)."""
    return {key: resanitize({name: str(value) for name, value in fields.items()}) for key, fields in stored.items()}


def _fields(first: NoteContent) -> dict[str, str]:
    source = "<br>".join(inline_html(s) for s in first.sources)
    if first.kind == "cloze":
        text = inline_html(first.question)
        if first.answer.strip():
            text += "<br>" + markdown_html(first.answer)
        return {"Text": text, "Extra": "", "Source": source, "Id": first.note_id}
    return {
        "Front": inline_html(first.question),
        "Back": markdown_html(first.answer),
        "Source": source,
        "Id": first.note_id,
        "Reverse": "",
    }


CHUNK = 2500  # notes added per backend call: large enough to be fast, small enough to move the bar
EXPORT_PREFIX = "hcflash-export-"
STALE_EXPORT_SECONDS = 3600  # a temporary export folder this old belongs to an export that was killed


def remove_stale_exports(now: float | None = None) -> list[Path]:
    """Remove temporary folders that killed exports left behind (a finished export removes its own)."""
    limit = (now if now is not None else time.time()) - STALE_EXPORT_SECONDS
    removed = []
    for folder in Path(tempfile.gettempdir()).glob(f"{EXPORT_PREFIX}*"):
        try:
            if folder.is_dir() and not folder.is_symlink() and folder.stat().st_mtime < limit:
                shutil.rmtree(folder)
                removed.append(folder)
        except OSError:
            continue  # another user's, or in use: not ours to remove
    return removed


def export_workspace(out: Path) -> tempfile.TemporaryDirectory:
    """The export's temporary folder, for its scratch collection and its progress rows
    (`export_rows.PROGRESS_FILE`); removed when the export ends, and by `remove_stale_exports`
    when a killed one left it behind."""
    try:
        return tempfile.TemporaryDirectory(prefix=EXPORT_PREFIX)
    except OSError as exc:
        raise AnkiError(f"{out}: cannot make a temporary folder for the export ({exc.strerror})") from exc


def export_anki(
    cards: Sequence[ExportRow],
    read_revlog: Callable[[], int] | None,
    out: Path,
    settings: Settings,
    now: datetime,
    workspace: Path,
    advance: Callable[[int], None] = lambda n: None,
    html_cache: dict[str, dict[str, str]] | None = None,
    descriptions: dict[str, str] | None = None,
) -> ExportSummary:
    """Write `cards` to an .apkg at `out`, with their progress (schedule, memory state and the
    review log) unless `read_revlog` is None; `advance(n)` is told as notes are done (for a
    progress bar). `workspace` is the export's temporary folder (`export_workspace`);
    `read_revlog()` waits for `ExportReads.revlog_into` to have written the review log into its
    `PROGRESS_FILE`, and says how many reviews share a millisecond.

    Notes go in through Anki's batch call; scheduling, memory states and the review log are then
    copied with a few bulk statements into the temporary collection, which Anki's own exporter
    packages. Nothing here writes the file format itself. Every card's rows for Anki's tables are
    worked out (`export_rows`) on a second thread while Anki adds the notes: this thread is then
    inside Anki's batch calls, which do not hold Python's lock."""
    require_anki("export")
    from anki.collection import Collection, ExportAnkiPackageOptions

    cache = {} if html_cache is None else html_cache
    notes: dict[str, list[ExportRow]] = {}
    for card in cards:
        group = notes.get(card.note_id)
        if group is None:
            notes[card.note_id] = group = []
        group.append(card)
    groups = list(notes.items())
    with_progress = read_revlog is not None
    reviews_written = 0
    progress = workspace / PROGRESS_FILE
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="hcflash-export") as helper:
        try:
            col = Collection(str(workspace / "collection.anki2"))
        except Exception as exc:  # the anki backend raises its own types (a full disk, ...)
            raise AnkiError(f"{out}: Anki export failed: {exc}") from exc
        try:
            # A scratch collection, deleted whatever happens: waiting for the disk after each of
            # its commits protects nothing.
            col.db.execute("PRAGMA synchronous = OFF")
            col.set_config("rollover", settings.rollover_hour)
            create_notetypes(col)
            deck_ids = _deck_ids(col, groups)
            for name, deck_id in deck_ids.items():
                if (descriptions or {}).get(name):
                    deck = col.decks.get(deck_id)
                    deck["desc"] = markdown_html(descriptions[name])  # type: ignore[index]
                    col.decks.save(deck)
            requests = _note_requests(groups, deck_ids, cache)
            # Only now the second thread: each of the many small backend calls above would wait for
            # Python's lock behind it. From here this thread is mostly inside Anki's batch calls.
            progress_written = None
            if read_revlog is not None:
                frame = DayFrame.of(now, col.sched.today, settings)
                progress_written = helper.submit(_progress_rows, groups, read_revlog, frame, settings, progress)
            nids: list[int] = []
            for chunk in requests:
                nids.extend(col._backend.add_notes(requests=chunk).nids)
                advance(len(chunk))
            _json_rows(
                col, "UPDATE notes SET mod = r.value->>0 FROM json_each(?) AS r WHERE notes.id = r.value->>1",
                [[max(card.updated_secs for card in group), nid] for (_, group), nid in zip(groups, nids, strict=True)],
            )
            if progress_written is not None:
                progress_written.result()  # the progress rows are all in their file
                col.db.execute("ATTACH DATABASE ? AS progress", str(progress))  # outside a transaction, as SQLite asks
                written: list[int] = []
                col.db.transact(lambda: written.append(_write_progress(col, groups, nids)))  # one transaction
                reviews_written = written[0]
                col.db.execute("DETACH DATABASE progress")
            if with_progress:
                _deck_config(col, settings, [col.decks.id(n) for n in _with_parents(deck_ids)])
            col.export_anki_package(
                out_path=str(out),
                options=ExportAnkiPackageOptions(
                    with_scheduling=with_progress, with_deck_configs=with_progress, with_media=False
                ),
                limit=None,
            )
        except HcflashError:  # ours, or the store's from the reviews' thread
            raise
        except Exception as exc:  # the anki backend raises its own types; name the file that failed
            raise AnkiError(f"{out}: Anki export failed: {exc}") from exc
        finally:
            col.close()
    return ExportSummary(len(notes), len(cards), reviews_written, out)


def _progress_rows(groups: list[tuple[str, list[ExportRow]]], read_revlog: Callable[[], int],
                   frame: DayFrame, settings: Settings, progress: Path) -> None:
    """Every card's row for Anki's cards table into the progress file, beside the review log's, and
    the review log's ids made unique if they need it."""
    cards = card_rows(groups, frame, settings)  # while the review log is still being read
    shared = read_revlog()
    try:
        conn = sqlite3.connect(progress, isolation_level=None)
        try:
            conn.execute("PRAGMA journal_mode = OFF")  # a scratch file, deleted with the export's folder
            conn.execute("PRAGMA synchronous = OFF")
            conn.execute("BEGIN")
            write_card_rows(conn, cards)
            if shared:
                unique_revlog_ids(conn, groups)
            conn.execute("COMMIT")
        finally:
            conn.close()
    except sqlite3.Error as exc:
        raise AnkiError(f"{progress}: cannot write the export's scratch file ({exc})") from exc


def _json_rows(col, sql: str, rows: list[list]) -> None:  # noqa: ANN001
    """Run `sql` once over `rows` passed as one JSON text (`json_each(?)`): Anki's executemany hands
    every value to its backend on its own, which costs several times the write itself."""
    col.db.execute(sql, json.dumps(rows, separators=(",", ":")))


def _note_card(group: list[ExportRow]) -> ExportRow:
    """The card a note's fields come from: its basic card, else its first cloze."""
    return group[0] if len(group) == 1 else min(group, key=lambda c: (c.kind != "basic", c.ord))


def _deck_ids(col, groups: list[tuple[str, list[ExportRow]]]) -> dict[str, int]:  # noqa: ANN001
    """Anki's id for each deck a note goes to, the deck made on first use."""
    ids: dict[str, int] = {}
    for _, group in groups:
        deck = _note_card(group).deck
        if deck not in ids:
            ids[deck] = col.decks.id(deck)
    return ids


def _note_requests(groups: list[tuple[str, list[ExportRow]]], deck_ids: dict[str, int],
                   cache: dict[str, dict[str, str]]) -> list[list]:
    """Anki's add-note requests, one per hcflash note, in chunks of `CHUNK` for the backend's batch call."""
    from anki import notes_pb2

    requests = []
    for note_id, group in groups:
        first = _note_card(group)
        model_id, fields = cached_fields(first, cache)
        if any(c.kind == "reverse" for c in group):
            fields["Reverse"] = "y"
        names = BASIC_FIELDS if model_id == BASIC_MODEL_ID else CLOZE_FIELDS
        tags = group[0].tags if len(group) == 1 else {t for c in group for t in c.tags}
        # The backend's own note message, built directly: col.new_note() would cost one
        # backend round trip per note just to learn the (fixed) field list.
        note = notes_pb2.Note(
            guid=note_guid(note_id),
            notetype_id=model_id,
            fields=[fields.get(name, "") for name in names],
            tags=sorted({t.replace(" ", "_") for t in tags}),
        )
        requests.append(notes_pb2.AddNoteRequest(note=note, deck_id=deck_ids[first.deck]))
    return [requests[start : start + CHUNK] for start in range(0, len(requests), CHUNK)]


def _with_parents(names: dict[str, int]) -> list[str]:
    full: set[str] = set()
    for name in names:
        parts = name.split("::")
        full.update("::".join(parts[:i]) for i in range(1, len(parts) + 1))
    return sorted(full)


def _write_progress(col, groups: list[tuple[str, list[ExportRow]]], nids: list[int]) -> int:  # noqa: ANN001
    """Copy each card's schedule and review log (worked out by `export_rows`, by hcflash card id,
    in the progress file attached as `progress`) into Anki's tables, joined to Anki's card ids
    through a temporary table; how many revlog rows."""
    col.db.execute("CREATE TEMP TABLE export_cards (card_id INTEGER PRIMARY KEY, anki_id INTEGER NOT NULL)")
    # Each hcflash card to the Anki card of its note and template; a card Anki did not make (none of
    # its templates renders) finds none and is left out, with its reviews.
    _json_rows(
        col,
        "INSERT INTO temp.export_cards SELECT r.value->>0, c.id FROM json_each(?) AS r "
        "JOIN cards AS c ON c.nid = r.value->>1 AND c.ord = r.value->>2",
        [[card.id, nid, anki_ord(card)] for (_, group), nid in zip(groups, nids, strict=True) for card in group],
    )
    col.db.execute(
        "UPDATE cards SET type = r.type, queue = r.queue, due = r.due, ivl = r.ivl, factor = r.factor, reps = r.reps, "
        "lapses = r.lapses, left = r.left, data = r.data "
        "FROM progress.cards AS r JOIN temp.export_cards AS m ON m.card_id = r.card_id WHERE cards.id = m.anki_id"
    )
    # The revlog's card index is built again after the rows are in, from Anki's own definition:
    # SQLite sorts every review's entry at once faster than it places them one at a time.
    card_index = col.db.scalar("SELECT sql FROM sqlite_master WHERE type = 'index' AND name = 'ix_revlog_cid'")
    if card_index:
        col.db.execute("DROP INDEX ix_revlog_cid")
    col.db.execute(  # in the progress file's order, which is the revlog id's: written at the table's end
        "INSERT INTO revlog (id, cid, usn, ivl, lastIvl, factor, ease, time, type) "
        "SELECT r.id, m.anki_id, -1, r.ivl, r.last_ivl, 2500, " + REVLOG_SPLIT.format(packed="r.packed") + " "
        "FROM progress.revlog AS r JOIN temp.export_cards AS m ON m.card_id = r.card_id"
    )
    if card_index:
        col.db.execute(card_index)
    col.db.execute("DROP TABLE temp.export_cards")
    return int(col.db.scalar("SELECT COUNT(*) FROM revlog"))
