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
import tempfile
import time
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path

from hcflash.anki.apply import deck_config_id
from hcflash.anki.html import inline_html, markdown_html, resanitize
from hcflash.anki.keys import anki_ord, note_guid
from hcflash.anki.library import require_anki
from hcflash.anki.notetypes import BASIC_FIELDS, BASIC_MODEL_ID, CLOZE_FIELDS, CLOZE_MODEL_ID, create_notetypes
from hcflash.anki.scheduling import DayFrame, anki_schedule
from hcflash.errors import AnkiError
from hcflash.records import MAX_ANSWER_MS, CardState, ExportCard, ExportSummary, StoredCard
from hcflash.settings import Settings


def _deck_config(col, settings: Settings, deck_ids: list[int]) -> None:  # noqa: ANN001
    config = deck_config_id(col, settings)
    for deck_id in deck_ids:
        deck = col.decks.get(deck_id)
        deck["conf"] = config
        col.decks.save(deck)


def cached_fields(first: StoredCard, cache: dict[str, dict[str, str]]) -> tuple[int, dict[str, str]]:
    """Fields for a note, rendered once per content (and kind) and reused from `cache` after; a cache
    read from the store goes through `trusted_cache` first."""
    key = f"{first.content_hash}:{'cloze' if first.kind == 'cloze' else 'basic'}"
    model_id = CLOZE_MODEL_ID if first.kind == "cloze" else BASIC_MODEL_ID
    if key not in cache:
        cache[key] = _fields(first)[1]
    return model_id, dict(cache[key])


def trusted_cache(stored: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
    """The store's render cache, made as safe as freshly rendered HTML: the store is a file on disk,
    and nothing read from it reaches Anki unchecked (`html.resanitize`)."""
    return {key: resanitize({name: str(value) for name, value in fields.items()}) for key, fields in stored.items()}


def _fields(first: StoredCard) -> tuple[int, dict[str, str]]:
    source = "<br>".join(inline_html(s) for s in first.sources)
    if first.kind == "cloze":
        text = inline_html(first.question)
        if first.answer.strip():
            text += "<br>" + markdown_html(first.answer)
        return CLOZE_MODEL_ID, {"Text": text, "Extra": "", "Source": source, "Id": first.note_id}
    return BASIC_MODEL_ID, {
        "Front": inline_html(first.question),
        "Back": markdown_html(first.answer),
        "Source": source,
        "Id": first.note_id,
        "Reverse": "",
    }


def _revlog_ivl(state: str, due_ms: int | None, at_ms: int) -> int:
    """Anki's revlog interval: days for review cards, negative seconds for (re)learning steps."""
    if state == "new" or due_ms is None:
        return 0
    if state == "review":
        return max(1, round((due_ms - at_ms) / 86_400_000))
    return -max(1, (due_ms - at_ms) // 1000)


_REVLOG_TYPE = {"new": 0, "learning": 0, "review": 1, "relearning": 2}


CHUNK = 250  # notes added per backend call: large enough to be fast, small enough to move the bar
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



def export_anki(
    items: Sequence[ExportCard],
    out: Path,
    settings: Settings,
    now: datetime,
    with_progress: bool = True,
    advance: Callable[[int], None] = lambda n: None,
    html_cache: dict[str, dict[str, str]] | None = None,
    descriptions: dict[str, str] | None = None,
) -> ExportSummary:
    """Write `items` to an .apkg at `out`; `advance(n)` is told as notes are done (for a progress bar).

    Notes go in through Anki's batch call; scheduling, memory states and the review log are then
    written with a few bulk statements into the temporary collection, which Anki's own exporter
    packages. Nothing here writes the file format itself."""
    require_anki("export")
    from anki import notes_pb2
    from anki.collection import Collection, ExportAnkiPackageOptions

    cache = {} if html_cache is None else html_cache
    notes: dict[str, list[ExportCard]] = {}
    for item in items:
        notes.setdefault(item.card.note_id, []).append(item)
    reviews_written = 0
    try:
        workspace = tempfile.TemporaryDirectory(prefix=EXPORT_PREFIX)
    except OSError as exc:
        raise AnkiError(f"{out}: cannot make a temporary folder for the export ({exc.strerror})") from exc
    with workspace as tmp:
        try:
            col = Collection(str(Path(tmp) / "collection.anki2"))
        except Exception as exc:  # the anki backend raises its own types (a full disk, ...)
            raise AnkiError(f"{out}: Anki export failed: {exc}") from exc
        try:
            col.set_config("rollover", settings.rollover_hour)
            create_notetypes(col)
            deck_ids: dict[str, int] = {}
            groups = list(notes.items())
            for start in range(0, len(groups), CHUNK):
                requests = []
                for note_id, group in groups[start : start + CHUNK]:
                    first = min(group, key=lambda i: (i.card.kind != "basic", i.card.ord)).card
                    if first.deck not in deck_ids:
                        deck_ids[first.deck] = col.decks.id(first.deck)
                    model_id, fields = cached_fields(first, cache)
                    if any(i.card.kind == "reverse" for i in group):
                        fields["Reverse"] = "y"
                    names = BASIC_FIELDS if model_id == BASIC_MODEL_ID else CLOZE_FIELDS
                    # The backend's own note message, built directly: col.new_note() would cost one
                    # backend round trip per note just to learn the (fixed) field list.
                    note = notes_pb2.Note(
                        guid=note_guid(note_id),
                        notetype_id=model_id,
                        fields=[fields.get(name, "") for name in names],
                        tags=sorted({t.replace(" ", "_") for i in group for t in i.card.tags}),
                    )
                    requests.append(notes_pb2.AddNoteRequest(note=note, deck_id=deck_ids[first.deck]))
                col._backend.add_notes(requests=requests)
                advance(len(requests))
            for name, deck_id in deck_ids.items():
                if (descriptions or {}).get(name):
                    deck = col.decks.get(deck_id)
                    deck["desc"] = markdown_html(descriptions[name])  # type: ignore[index]
                    col.decks.save(deck)
            note_rows = {guid: nid for nid, guid in col.db.all("SELECT id, guid FROM notes")}
            written: list[int] = []

            def bulk_writes() -> None:  # one transaction: Anki's executemany commits per row otherwise
                col.db.executemany(
                    "UPDATE notes SET mod = ? WHERE id = ?",
                    [(int(max(i.card.updated_at for i in group).timestamp()), note_rows[note_guid(note_id)]) for note_id, group in groups],
                )
                if with_progress:
                    written.append(_write_progress(col, groups, note_rows, now, settings))

            col.db.transact(bulk_writes)
            reviews_written = sum(written)
            if with_progress:
                _deck_config(col, settings, [col.decks.id(n) for n in _with_parents(deck_ids)])
            if not out.parent.is_dir():
                raise AnkiError(f"{out}: the folder {out.parent} does not exist")
            col.export_anki_package(
                out_path=str(out),
                options=ExportAnkiPackageOptions(
                    with_scheduling=with_progress, with_deck_configs=with_progress, with_media=False
                ),
                limit=None,
            )
        except AnkiError:
            raise
        except Exception as exc:  # the anki backend raises its own types; name the file that failed
            raise AnkiError(f"{out}: Anki export failed: {exc}") from exc
        finally:
            col.close()
    return ExportSummary(len(notes), len(items), reviews_written, out)


def _with_parents(names: dict[str, int]) -> list[str]:
    full: set[str] = set()
    for name in names:
        parts = name.split("::")
        full.update("::".join(parts[:i]) for i in range(1, len(parts) + 1))
    return sorted(full)


def _card_row(anki_id: int, state: CardState, position: int, frame: DayFrame, settings: Settings) -> tuple:
    """(type, queue, due, ivl, factor, reps, lapses, left, data, id) for Anki's cards table."""
    plan = anki_schedule(state, frame, settings, position)
    if plan.type == 0:
        return (0, plan.queue, position, 0, 0, 0, 0, 0, "", anki_id)
    data: dict[str, float | int] = {}
    if plan.stability is not None and plan.difficulty is not None:
        # Anki keeps the FSRS memory state and the last review time in the card's data column.
        data = {"s": round(plan.stability, 4), "d": round(plan.difficulty, 4)}
    if plan.last_review_secs is not None:
        data["lrt"] = plan.last_review_secs
    text = json.dumps(data, separators=(",", ":")) if data else ""
    return (plan.type, plan.queue, plan.due, plan.ivl, 2500, plan.reps, plan.lapses, plan.left, text, anki_id)


def _write_progress(col, groups: list[tuple[str, list[ExportCard]]], note_rows: dict[str, int], now: datetime,  # noqa: ANN001
                    settings: Settings) -> int:
    cards_by_note: dict[int, dict[int, int]] = {}
    for card_id, nid, ord_ in col.db.all("SELECT id, nid, ord FROM cards"):
        cards_by_note.setdefault(nid, {})[ord_] = card_id
    frame = DayFrame.of(now, col.sched.today, settings)
    card_rows, revlog_rows = [], []
    used_ids: set[int] = set()
    for position, (note_id, group) in enumerate(groups):
        anki_cards = cards_by_note.get(note_rows[note_guid(note_id)], {})
        for item in group:
            anki_id = anki_cards.get(anki_ord(item.card))
            if anki_id is None:
                continue
            card_rows.append(_card_row(anki_id, item.state, position, frame, settings))
            for review in item.reviews:
                revlog_id = review.reviewed_ms
                while revlog_id in used_ids:  # Anki needs unique ids; same-millisecond reviews move by 1 ms
                    revlog_id += 1
                used_ids.add(revlog_id)
                last_ivl = _revlog_ivl(review.before_state, review.before_due_ms, review.before_last_review_ms or review.reviewed_ms)
                revlog_rows.append((
                    revlog_id, anki_id, review.rating, _revlog_ivl(review.after_state, review.after_due_ms, review.reviewed_ms),
                    last_ivl, 2500, min(review.duration_ms or 0, MAX_ANSWER_MS), _REVLOG_TYPE[review.before_state],
                ))
    col.db.executemany(
        "UPDATE cards SET type = ?, queue = ?, due = ?, ivl = ?, factor = ?, reps = ?, lapses = ?, left = ?, data = ? WHERE id = ?",
        card_rows,
    )
    col.db.executemany(
        "INSERT INTO revlog (id, cid, usn, ease, ivl, lastIvl, factor, time, type) VALUES (?, ?, -1, ?, ?, ?, ?, ?, ?)",
        revlog_rows,
    )
    return len(revlog_rows)
