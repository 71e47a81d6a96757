"""What a sync reads from the learner's Anki collection, as plain records: hcflash's notes (by GUID),
their cards, their answered reviews, the decks and hcflash's note types. Read through the `anki`
library's own database handle; nothing here writes."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from hcflash.anki.keys import GUID_PREFIX
from hcflash.anki.notetypes import BASIC_MODEL_ID, CLOZE_MODEL_ID, VERSION_KEY

SYNC_ID_KEY = "hcflashSyncId"  # Anki config key: names the collection to hcflash, and travels with it through AnkiWeb


@dataclass(frozen=True)
class AnkiNote:
    id: int
    guid: str
    notetype_id: int
    fields: tuple[str, ...]
    tags: tuple[str, ...]


@dataclass(frozen=True)
class AnkiCard:
    id: int
    note_id: int
    ord: int
    deck_id: int
    original_deck_id: int  # non-zero while the card sits in a filtered deck
    type: int
    queue: int
    due: int
    left: int


@dataclass(frozen=True)
class AnkiRevlog:
    """One answered review in Anki's revlog: its id is the answer time in epoch milliseconds."""

    id: int
    card_id: int
    ease: int
    ivl: int
    kind: int
    time_ms: int

    @property
    def at(self) -> datetime:
        return datetime.fromtimestamp(self.id / 1000, tz=UTC)


@dataclass(frozen=True)
class NotetypeInfo:
    id: int
    version: int
    css: str


@dataclass
class CollectionView:
    sync_id: str | None
    anki_today: int
    rollover_hour: int
    fsrs_enabled: bool
    notes: dict[str, AnkiNote] = field(default_factory=dict)  # by GUID
    cards: dict[int, list[AnkiCard]] = field(default_factory=dict)  # by Anki note id
    revlog: dict[int, list[AnkiRevlog]] = field(default_factory=dict)  # by Anki card id, oldest first
    decks: dict[str, int] = field(default_factory=dict)  # every deck, by name
    notetypes: dict[int, NotetypeInfo] = field(default_factory=dict)  # hcflash's two, when present


_HC_NOTES = f"SELECT id FROM notes WHERE guid LIKE '{GUID_PREFIX}%'"
# Answered reviews only: learn, review, relearn, and filtered-deck reviews that rescheduled the card
# (a cram review, kind 3 with factor 0, does not count for FSRS). Manual entries (set due date, forget)
# and rescheduling by Anki are not reviews.
_ANSWERED = "ease BETWEEN 1 AND 4 AND (type IN (0, 1, 2) OR (type = 3 AND factor != 0))"


def read_collection(col: Any) -> CollectionView:
    db = col.db
    view = CollectionView(
        sync_id=col.get_config(SYNC_ID_KEY, None),
        anki_today=col.sched.today,
        rollover_hour=int(col.get_config("rollover", 4)),
        fsrs_enabled=bool(col.get_config("fsrs", False)),
    )
    for nid, guid, mid, flds, tags in db.all(f"SELECT id, guid, mid, flds, tags FROM notes WHERE id IN ({_HC_NOTES})"):
        view.notes[guid] = AnkiNote(nid, guid, mid, tuple(flds.split("\x1f")), tuple(tags.split()))
    for row in db.all(f"SELECT id, nid, ord, did, odid, type, queue, due, left FROM cards WHERE nid IN ({_HC_NOTES}) ORDER BY nid, ord"):
        card = AnkiCard(*row)
        view.cards.setdefault(card.note_id, []).append(card)
    for row in db.all(
        f"SELECT id, cid, ease, ivl, type, time FROM revlog WHERE {_ANSWERED} AND cid IN "
        f"(SELECT id FROM cards WHERE nid IN ({_HC_NOTES})) ORDER BY id"
    ):
        review = AnkiRevlog(*row)
        view.revlog.setdefault(review.card_id, []).append(review)
    view.decks = {d.name: d.id for d in col.decks.all_names_and_ids()}
    for model_id in (BASIC_MODEL_ID, CLOZE_MODEL_ID):
        model = col.models.get(model_id)
        if model is not None:
            view.notetypes[model_id] = NotetypeInfo(model_id, int(model.get(VERSION_KEY, 1)), model.get("css", ""))
    return view


def revlog_ids_between(col: Any, low: int, high: int) -> set[int]:  # noqa: ANN401
    """The revlog ids (of any card) the collection already uses from `low` to `high`."""
    return set(col.db.list("SELECT id FROM revlog WHERE id BETWEEN ? AND ?", low, high))


def memory_states(col: Any, card_ids: list[int]) -> dict[int, tuple[float, float] | None]:
    """Each card's FSRS memory state as Anki holds it (None where it has none)."""
    out: dict[int, tuple[float, float] | None] = {}
    for cid in card_ids:
        state = col.get_card(cid).memory_state
        out[cid] = (state.stability, state.difficulty) if state is not None else None
    return out

