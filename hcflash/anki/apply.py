"""Writing a planned sync into the learner's Anki collection, in one transaction of Anki's own.

Everything goes through the `anki` library: notes, decks, note types and card schedules through its
backend calls (which keep Anki's modification times and AnkiWeb's pending-upload markers right), and
the reviews hcflash adds to the revlog through the library's database handle, the only way Anki offers
to add a review it did not schedule itself. `col.db.transact` wraps it all: if anything fails, Anki
rolls the whole of it back.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import fsrs

from hcflash.anki.keys import key_for_anki_card, note_guid, note_id_from_guid
from hcflash.anki.note_plan import NotePlan
from hcflash.anki.notetypes import BASIC_FIELDS, CLOZE_FIELDS, CLOZE_MODEL_ID, sync_notetypes
from hcflash.anki.review_merge import RevlogRow
from hcflash.anki.scheduling import DayFrame, anki_schedule
from hcflash.anki.view import SYNC_ID_KEY, CollectionView
from hcflash.errors import AnkiError
from hcflash.records import CardState
from hcflash.settings import Settings

DECK_CONFIG_NAME = "hcflash"


@dataclass
class AnkiWrites:
    """Everything one sync changes in the collection."""

    sync_id: str
    new_sync_id: bool
    notetype_versions: dict[int, int]
    update_notetypes: bool
    notes: NotePlan
    revlog: list[RevlogRow] = field(default_factory=list)
    schedules: dict[str, CardState] = field(default_factory=dict)  # by hcflash card key


def deck_config_id(col: Any, settings: Settings) -> int:  # noqa: ANN401 - an anki Collection
    """The "hcflash" options preset (created with hcflash's settings the first time), for new decks."""
    for config in col.decks.all_config():
        if config["name"] == DECK_CONFIG_NAME:
            return int(config["id"])
    config_id = col.decks.add_config_returning_id(DECK_CONFIG_NAME)
    conf = col.decks.get_config(config_id)
    conf["desiredRetention"] = settings.desired_retention
    conf["fsrsParams6"] = list(settings.fsrs_parameters or fsrs.scheduler.DEFAULT_PARAMETERS)
    conf["new"]["delays"] = [s / 60 for s in settings.learning_steps]
    conf["lapse"]["delays"] = [s / 60 for s in settings.relearning_steps]
    conf["lapse"]["leechFails"] = settings.leech_threshold
    conf["new"]["perDay"] = settings.new_per_day
    conf["rev"]["perDay"] = settings.reviews_per_day
    conf["rev"]["maxIvl"] = settings.maximum_interval
    col.decks.update_config(conf)
    return config_id


def _create_decks(col: Any, names: set[str], known: Mapping[str, int], settings: Settings) -> dict[str, int]:  # noqa: ANN401
    ids = dict(known)
    wanted = set()
    for name in names:
        parts = name.split("::")
        wanted.update("::".join(parts[:i]) for i in range(1, len(parts) + 1))
    missing = sorted(wanted - ids.keys())
    if not missing:
        return ids
    config_id = deck_config_id(col, settings)
    for name in missing:
        ids[name] = col.decks.id(name)
        deck = col.decks.get(ids[name])
        deck["conf"] = config_id
        col.decks.save(deck)
    return ids


def _add_notes(col: Any, plan: NotePlan, deck_ids: Mapping[str, int]) -> None:  # noqa: ANN401
    from anki import notes_pb2

    requests = []
    for add in plan.adds:
        names = CLOZE_FIELDS if add.model_id == CLOZE_MODEL_ID else BASIC_FIELDS
        note = notes_pb2.Note(guid=note_guid(add.note_id), notetype_id=add.model_id, fields=list(add.fields[: len(names)]), tags=list(add.tags))
        requests.append(notes_pb2.AddNoteRequest(note=note, deck_id=deck_ids[add.deck]))
    for start in range(0, len(requests), 250):
        col._backend.add_notes(requests=requests[start : start + 250])


def _change_notes(col: Any, plan: NotePlan) -> None:  # noqa: ANN401
    notes = []
    for change in plan.changes:
        note = col.get_note(change.anki_id)
        if change.fields is not None:
            note.fields = list(change.fields)
        if change.tags is not None:
            note.tags = list(change.tags)
        notes.append(note)
    if notes:
        col.update_notes(notes, skip_undo_entry=True)


def _card_ids(col: Any) -> dict[str, int]:  # noqa: ANN401
    """hcflash card key → Anki card id, for every card of hcflash's notes (new ones included)."""
    out = {}
    for cid, guid, mid, ord_ in col.db.all(
        "SELECT c.id, n.guid, n.mid, c.ord FROM cards c JOIN notes n ON n.id = c.nid WHERE n.guid LIKE 'hcflash:%'"
    ):
        note_id = note_id_from_guid(guid)
        if note_id is not None:
            out[key_for_anki_card(note_id, mid == CLOZE_MODEL_ID, ord_)] = cid
    return out


def _schedule_cards(col: Any, schedules: Mapping[str, CardState], card_ids: Mapping[str, int], frame: DayFrame, settings: Settings) -> int:  # noqa: ANN401
    from anki.cards import FSRSMemoryState

    cards = []
    for key, state in schedules.items():
        if key not in card_ids:
            continue
        card = col.get_card(card_ids[key])
        # Suspending and burying are each side's own: a card suspended or buried in Anki stays so, and
        # one suspended in hcflash is not suspended in Anki by a new review (only retiring suspends there).
        plan = anki_schedule(state.with_changes(suspended=False), frame, settings, position=card.due if card.type == 0 else 0)
        card.type, card.due, card.ivl, card.left = plan.type, plan.due, plan.ivl, plan.left
        card.queue = card.queue if card.queue < 0 else plan.queue
        card.reps, card.lapses = plan.reps, plan.lapses
        if plan.stability is not None and plan.difficulty is not None:
            card.memory_state = FSRSMemoryState(stability=plan.stability, difficulty=plan.difficulty)
        if plan.last_review_secs is not None:
            card.last_review_time = plan.last_review_secs
        if card.factor == 0 and plan.type != 0:
            card.factor = 2500  # what Anki's SM-2 would need, should FSRS be turned off
        cards.append(card)
    if cards:
        col.update_cards(cards, skip_undo_entry=True)
    return len(cards)


def apply_to_anki(
    col: Any, view: CollectionView, writes: AnkiWrites, frame: DayFrame, settings: Settings,  # noqa: ANN401
    on_phase: Callable[[str], None] = lambda phase: None,
) -> None:
    """Write it all in one Anki transaction; any failure rolls all of it back."""
    plan = writes.notes

    def op() -> None:
        if writes.new_sync_id:
            col.set_config(SYNC_ID_KEY, writes.sync_id)
        if writes.update_notetypes:
            sync_notetypes(col, writes.notetype_versions)
        deck_ids = _create_decks(col, plan.new_decks, view.decks, settings)
        for name, html in plan.descriptions.items():
            if name in deck_ids:
                deck = col.decks.get(deck_ids[name])
                deck["desc"] = html
                col.decks.save(deck)
        _add_notes(col, plan, deck_ids)
        _change_notes(col, plan)
        for deck, card_ids in plan.moves.items():
            col.set_deck(card_ids, deck_ids[deck])
        if plan.suspend:
            col.sched.suspend_cards(plan.suspend)
        if plan.unsuspend:
            col.sched.unsuspend_cards(plan.unsuspend)
        card_ids = _card_ids(col)
        missing = sorted({r.card_key for r in writes.revlog} - card_ids.keys())
        if missing:
            raise AnkiError(f"Anki made no card for {', '.join(missing[:5])}; nothing was changed")
        col.db.executemany(
            "INSERT INTO revlog (id, cid, usn, ease, ivl, lastIvl, factor, time, type) VALUES (?, ?, -1, ?, ?, ?, ?, ?, ?)",
            [(r.id, card_ids[r.card_key], r.ease, r.ivl, r.last_ivl, r.factor, r.time_ms, r.kind) for r in writes.revlog],
        )
        _schedule_cards(col, writes.schedules, card_ids, frame, settings)
        on_phase("anki-written")

    col.db.transact(op)

