"""Export to an Anki `.apkg`, built with the official `anki` package, never by hand.

A temporary collection gets hcflash's own note types (fixed ids, frozen fields), one note per hcflash
note with a GUID derived from its id, and, with progress, each card's FSRS memory state, due date and
review history as revlog rows, plus the FSRS parameters and desired retention in the deck options.
Anki's own package export then writes the file. Importing a newer export updates notes in place,
because the GUIDs match and each note's modification time follows the card's last edit.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from pathlib import Path

import fsrs

from hcflash.errors import ExportError
from hcflash.export.html import inline_html, markdown_html
from hcflash.records import CardState, ExportCard, ExportSummary, StoredCard
from hcflash.settings import Settings
from hcflash.stats import study_day

# Frozen: Anki treats a changed field list under the same id as a conflicting note type.
BASIC_MODEL_ID = 1_755_000_000_001
CLOZE_MODEL_ID = 1_755_000_000_002
BASIC_MODEL_NAME = "hcflash Basic"
CLOZE_MODEL_NAME = "hcflash Cloze"
BASIC_FIELDS = ("Front", "Back", "Source", "Id", "Reverse")
CLOZE_FIELDS = ("Text", "Extra", "Source", "Id")
GUID_PREFIX = "hcflash:"
DECK_CONFIG_NAME = "hcflash"
MAX_ANSWER_MS = 60_000

CSS = """.card { font-family: sans-serif; font-size: 20px; text-align: left; color: black; background: white; }
.nightMode .card { color: #eee; background: #222; }
.source { margin-top: 1.5em; font-size: 0.7em; opacity: 0.75; }
table { border-collapse: collapse; } th, td { border: 1px solid #888; padding: 0.2em 0.5em; }
.cloze { font-weight: bold; color: #0a5fb4; } .nightMode .cloze { color: #6cb4ff; }"""
SOURCE_HTML = '<div class="source">{{Source}}</div>'


def note_guid(note_id: str) -> str:
    return GUID_PREFIX + note_id


def note_id_from_guid(guid: str) -> str | None:
    return guid[len(GUID_PREFIX):] if guid.startswith(GUID_PREFIX) else None


def _load_anki():  # noqa: ANN202 - the anki modules, imported only when exporting
    try:
        # anki.collection first: importing anki.cards on its own is a circular import inside anki.
        from anki.collection import Collection, ExportAnkiPackageOptions  # isort: skip
        from anki.cards import FSRSMemoryState
    except ImportError as exc:
        raise ExportError("Anki export needs the anki package: pip install 'hcflash[anki]'") from exc
    return Collection, ExportAnkiPackageOptions, FSRSMemoryState


def _add_notetype(col, name: str, fields: Sequence[str], templates: list[tuple[str, str, str]], model_id: int, cloze: bool) -> None:  # noqa: ANN001
    models = col.models
    model = models.new(name)
    if cloze:
        model["type"] = 1
    for field in fields:
        models.add_field(model, models.new_field(field))
    for template_name, qfmt, afmt in templates:
        template = models.new_template(template_name)
        template["qfmt"], template["afmt"] = qfmt, afmt
        models.add_template(model, template)
    model["css"] = CSS
    # Fixed field and template ids too: Anki compares them to decide whether an incoming note type is
    # the one it already has; random ids would make every re-import a "conflicting" note type.
    for index, field in enumerate(model["flds"]):
        field["id"] = model_id * 100 + index
    for index, template in enumerate(model["tmpls"]):
        template["id"] = model_id * 100 + 50 + index
    added = models.add_dict(model)
    # Anki assigns ids on add; give the type its fixed id so every export names the same note type.
    for table, column in (("notetypes", "id"), ("fields", "ntid"), ("templates", "ntid")):
        col.db.execute(f"UPDATE {table} SET {column} = ? WHERE {column} = ?", model_id, added.id)


def _create_notetypes(col) -> None:  # noqa: ANN001
    _add_notetype(
        col, BASIC_MODEL_NAME, BASIC_FIELDS,
        [
            ("Card 1", "{{Front}}", "{{FrontSide}}<hr id=answer>{{Back}}" + SOURCE_HTML),
            ("Card 2", "{{#Reverse}}{{Back}}{{/Reverse}}", "{{FrontSide}}<hr id=answer>{{Front}}" + SOURCE_HTML),
        ],
        BASIC_MODEL_ID, cloze=False,
    )
    _add_notetype(
        col, CLOZE_MODEL_NAME, CLOZE_FIELDS,
        [("Cloze", "{{cloze:Text}}", "{{cloze:Text}}<br>{{Extra}}" + SOURCE_HTML)],
        CLOZE_MODEL_ID, cloze=True,
    )


def _deck_config(col, settings: Settings, deck_ids: list[int]) -> None:  # noqa: ANN001
    config = col.decks.add_config_returning_id(DECK_CONFIG_NAME)
    conf = col.decks.get_config(config)
    conf["desiredRetention"] = settings.desired_retention
    conf["fsrsParams6"] = list(settings.fsrs_parameters or fsrs.scheduler.DEFAULT_PARAMETERS)
    conf["new"]["delays"] = [s / 60 for s in settings.learning_steps]
    conf["lapse"]["delays"] = [s / 60 for s in settings.relearning_steps]
    conf["lapse"]["leechFails"] = settings.leech_threshold
    conf["new"]["perDay"] = settings.new_per_day
    conf["rev"]["perDay"] = settings.reviews_per_day
    conf["rev"]["maxIvl"] = settings.maximum_interval
    col.decks.update_config(conf)
    for deck_id in deck_ids:
        deck = col.decks.get(deck_id)
        deck["conf"] = config
        col.decks.save(deck)


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


def _anki_ord(card: StoredCard) -> int:
    if card.kind == "cloze":
        return card.ord - 1
    return 1 if card.kind == "reverse" else 0


def _interval_days(due: datetime | None, since: datetime | None) -> int:
    if due is None or since is None:
        return 0
    return max(1, round((due - since) / timedelta(days=1)))


def _revlog_ivl(state: CardState, at: datetime) -> int:
    """Anki's revlog interval: days for review cards, negative seconds for (re)learning steps."""
    if state.state == "new" or state.due is None:
        return 0
    if state.state == "review":
        return _interval_days(state.due, at)
    return -max(1, int((state.due - at).total_seconds()))


_REVLOG_TYPE = {"new": 0, "learning": 0, "review": 1, "relearning": 2}


def export_anki(
    items: Sequence[ExportCard],
    out: Path,
    settings: Settings,
    now: datetime,
    with_progress: bool = True,
    advance: Callable[[int], None] = lambda n: None,
) -> ExportSummary:
    """Write `items` to an .apkg at `out`; `advance(n)` is told as each note is done (for a progress bar)."""
    Collection, ExportAnkiPackageOptions, FSRSMemoryState = _load_anki()
    notes: dict[str, list[ExportCard]] = {}
    for item in items:
        notes.setdefault(item.card.note_id, []).append(item)
    reviews_written = 0
    with tempfile.TemporaryDirectory(prefix="hcflash-export-") as tmp:
        col = Collection(str(Path(tmp) / "collection.anki2"))
        try:
            col.set_config("rollover", settings.rollover_hour)
            _create_notetypes(col)
            deck_ids: dict[str, int] = {}
            today_day = study_day(now, settings.rollover_hour, settings.tz)
            used_revlog_ids: set[int] = set()
            for position, (note_id, group) in enumerate(notes.items()):
                first = min(group, key=lambda i: (i.card.kind != "basic", i.card.ord)).card
                deck_name = first.deck
                if deck_name not in deck_ids:
                    deck_ids[deck_name] = col.decks.id(deck_name)
                model_id, fields = _fields(first)
                note = col.new_note(col.models.get(model_id))
                for name, value in fields.items():
                    note[name] = value
                if any(i.card.kind == "reverse" for i in group):
                    note["Reverse"] = "y"
                note.guid = note_guid(note_id)
                note.tags = sorted({t.replace(" ", "_") for i in group for t in i.card.tags})
                col.add_note(note, deck_ids[deck_name])
                modified = max(i.card.updated_at for i in group)
                col.db.execute("UPDATE notes SET mod = ? WHERE id = ?", int(modified.timestamp()), note.id)
                if with_progress:
                    by_ord = {c.ord: c for c in note.cards()}
                    for item in group:
                        anki_card = by_ord.get(_anki_ord(item.card))
                        if anki_card is None:
                            continue
                        reviews_written += _write_progress(
                            col, anki_card, item, position, today_day, settings, used_revlog_ids, FSRSMemoryState
                        )
                advance(1)
            if with_progress:
                _deck_config(col, settings, [col.decks.id(n) for n in _with_parents(deck_ids)])
            out.parent.mkdir(parents=True, exist_ok=True)
            col.export_anki_package(
                out_path=str(out),
                options=ExportAnkiPackageOptions(
                    with_scheduling=with_progress, with_deck_configs=with_progress, with_media=False
                ),
                limit=None,
            )
        except ExportError:
            raise
        except Exception as exc:  # the anki backend raises its own types; name the file that failed
            raise ExportError(f"{out}: Anki export failed: {exc}") from exc
        finally:
            col.close()
    return ExportSummary(len(notes), len(items), reviews_written, out)


def _with_parents(names: dict[str, int]) -> list[str]:
    full: set[str] = set()
    for name in names:
        parts = name.split("::")
        full.update("::".join(parts[:i]) for i in range(1, len(parts) + 1))
    return sorted(full)


def _write_progress(col, anki_card, item: ExportCard, position: int, today_day, settings: Settings,  # noqa: ANN001
                    used_ids: set[int], FSRSMemoryState) -> int:  # noqa: N803
    state = item.state
    if state.state == "new":
        anki_card.type, anki_card.queue, anki_card.due = 0, 0, position
    else:
        anki_card.reps, anki_card.lapses = state.reps, state.lapses
        if state.stability is not None and state.difficulty is not None:
            anki_card.memory_state = FSRSMemoryState(stability=state.stability, difficulty=state.difficulty)
        if state.state == "review":
            due_day = study_day(state.due, settings.rollover_hour, settings.tz)  # type: ignore[arg-type]
            anki_card.type, anki_card.queue = 2, 2
            anki_card.due = col.sched.today + (due_day - today_day).days
            anki_card.ivl = _interval_days(state.due, state.last_review)
        else:
            steps = settings.learning_steps if state.state == "learning" else settings.relearning_steps
            anki_card.type = 1 if state.state == "learning" else 3
            anki_card.queue = 1
            anki_card.due = int(state.due.timestamp()) if state.due else 0
            anki_card.left = max(1, len(steps) - (state.step or 0))
            anki_card.ivl = max(1, round(state.stability or 1)) if state.state == "relearning" else 0
        anki_card.factor = 2500
    if state.suspended:
        anki_card.queue = -1
    col.update_card(anki_card)
    for review in item.reviews:
        revlog_id = int(review.reviewed_at.timestamp() * 1000)
        while revlog_id in used_ids:  # Anki needs unique ids; same-millisecond reviews move by 1 ms
            revlog_id += 1
        used_ids.add(revlog_id)
        col.db.execute(
            "INSERT INTO revlog (id, cid, usn, ease, ivl, lastIvl, factor, time, type) VALUES (?, ?, -1, ?, ?, ?, ?, ?, ?)",
            revlog_id, anki_card.id, review.rating,
            _revlog_ivl(review.after, review.reviewed_at),
            _revlog_ivl(review.before, review.before.last_review or review.reviewed_at) if review.before.state != "new" else 0,
            2500, min(review.duration_ms or 0, MAX_ANSWER_MS), _REVLOG_TYPE[review.before.state],
        )
    return len(item.reviews)
