"""Which notes, cards and decks a sync changes in the learner's collection: pure decisions, no I/O.

hcflash's notes are found by GUID. A new note is added; a note whose rendered fields differ is updated
in place (Anki moves its modification time only then); its tags are hcflash's plus the learner's own
(tags hcflash set before and no longer has are dropped, any other tag stays). A note whose cards all
left the decks is tagged `hcflash::retired` and its cards suspended, never deleted; a card retired on its
own is suspended. Cards move to another deck only while they still sit where hcflash last put them;
deck descriptions are written unless the learner edited them in Anki. Notes whose type the learner
changed, and every note hcflash did not make, are left alone.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from hcflash.anki.keys import anki_ord, note_guid
from hcflash.anki.notetypes import BASIC_MODEL_ID, CLOZE_MODEL_ID
from hcflash.anki.scheduling import QUEUE_SUSPENDED
from hcflash.anki.view import AnkiCard, AnkiNote, CollectionView
from hcflash.records import AnkiNoteLink, StoredCard

RETIRED_TAG = "hcflash::retired"


@dataclass(frozen=True)
class NoteAdd:
    note_id: str
    model_id: int
    fields: tuple[str, ...]
    tags: tuple[str, ...]
    deck: str


@dataclass(frozen=True)
class NoteChange:
    anki_id: int
    note_id: str
    fields: tuple[str, ...] | None  # None: fields unchanged
    tags: tuple[str, ...] | None  # None: tags unchanged


@dataclass
class NotePlan:
    adds: list[NoteAdd] = field(default_factory=list)
    changes: list[NoteChange] = field(default_factory=list)
    moves: dict[str, list[int]] = field(default_factory=dict)  # deck → Anki card ids to move there
    suspend: list[int] = field(default_factory=list)
    unsuspend: list[int] = field(default_factory=list)
    links: list[AnkiNoteLink] = field(default_factory=list)  # only those that changed
    new_decks: set[str] = field(default_factory=set)
    descriptions: dict[str, str] = field(default_factory=dict)  # deck → description HTML to write
    described: dict[str, str] = field(default_factory=dict)  # what hcflash has written, for the next sync
    retired_notes: int = 0
    revived_notes: int = 0
    skipped: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.adds or self.changes or self.moves or self.suspend or self.unsuspend or self.links
                    or self.new_decks or self.descriptions)


def _tag(text: str) -> str:
    return unicodedata.normalize("NFC", text.replace(" ", "_"))


def _fold(tags: tuple[str, ...] | list[str]) -> set[str]:
    return {t.casefold() for t in tags}


def _model_for(card: StoredCard) -> int:
    return CLOZE_MODEL_ID if card.kind == "cloze" else BASIC_MODEL_ID


def plan_notes(
    cards: list[StoredCard],
    rendered: Mapping[str, tuple[str, ...]],
    view: CollectionView,
    links: Mapping[str, AnkiNoteLink],
    last_sync: datetime | None,
) -> NotePlan:
    """`cards` is every hcflash card (retired too); `rendered` the Anki fields of each live note."""
    plan = NotePlan()
    notes: dict[str, list[StoredCard]] = {}
    for card in cards:
        notes.setdefault(card.note_id, []).append(card)
    for note_id, group in notes.items():
        active = [c for c in group if c.retired_at is None]
        anki = view.notes.get(note_guid(note_id))
        if anki is None:
            if active:
                _add(plan, note_id, active, rendered[note_id], view)
            continue
        first = min(active or group, key=lambda c: (c.kind != "basic", c.ord))
        if anki.notetype_id != _model_for(first):
            plan.skipped.append(f"{note_id}: its note type was changed in Anki; left as it is")
            continue
        anki_cards = view.cards.get(anki.id, [])
        link = links.get(note_id)
        if active:
            _update(plan, note_id, active, group, anki, anki_cards, rendered[note_id], link, view, last_sync)
        else:
            _retire(plan, note_id, group, anki, anki_cards, link)
    return plan


def _add(plan: NotePlan, note_id: str, active: list[StoredCard], fields: tuple[str, ...], view: CollectionView) -> None:
    first = min(active, key=lambda c: (c.kind != "basic", c.ord))
    tags = tuple(sorted({_tag(t) for c in active for t in c.tags}))
    plan.adds.append(NoteAdd(note_id, _model_for(first), fields, tags, first.deck))
    plan.links.append(AnkiNoteLink(note_id, first.deck, tags))
    if first.deck not in view.decks:
        plan.new_decks.add(first.deck)


def _update(
    plan: NotePlan, note_id: str, active: list[StoredCard], group: list[StoredCard], anki: AnkiNote,
    anki_cards: list[AnkiCard], fields: tuple[str, ...], link: AnkiNoteLink | None, view: CollectionView,
    last_sync: datetime | None,
) -> None:
    first = min(active, key=lambda c: (c.kind != "basic", c.ord))
    hc_tags = tuple(sorted({_tag(t) for c in active for t in c.tags}))
    dropped = _fold(link.tags if link else ()) | {RETIRED_TAG.casefold()}
    kept = [t for t in anki.tags if t.casefold() not in dropped or t.casefold() in _fold(hc_tags)]
    tags = tuple(kept + [t for t in hc_tags if t.casefold() not in _fold(kept)])
    new_fields = tuple(unicodedata.normalize("NFC", f) for f in fields)
    fields_changed = new_fields != anki.fields
    tags_changed = _fold(tags) != _fold(anki.tags)
    if fields_changed or tags_changed:
        plan.changes.append(NoteChange(anki.id, note_id, new_fields if fields_changed else None, tags if tags_changed else None))
    by_ord = {c.ord: c for c in anki_cards}
    if link is not None and link.retired:
        plan.revived_notes += 1
        plan.unsuspend.extend(
            by_ord[anki_ord(c)].id for c in active if anki_ord(c) in by_ord and by_ord[anki_ord(c)].queue == QUEUE_SUSPENDED
        )
    for card in group:
        # A card retired on its own since the last sync (a reverse side or a cloze deletion removed).
        if card.retired_at is not None and (last_sync is None or card.retired_at > last_sync):
            anki_card = by_ord.get(anki_ord(card))
            if anki_card is not None and anki_card.queue != QUEUE_SUSPENDED:
                plan.suspend.append(anki_card.id)
    deck = first.deck
    if link is not None and link.deck != deck and link.deck in view.decks:
        moving = [c.id for c in anki_cards if c.deck_id == view.decks[link.deck] and c.original_deck_id == 0]
        if moving:
            plan.moves.setdefault(deck, []).extend(moving)
            if deck not in view.decks:
                plan.new_decks.add(deck)
    updated = AnkiNoteLink(note_id, deck, hc_tags, False)
    if updated != link:
        plan.links.append(updated)


def _retire(
    plan: NotePlan, note_id: str, group: list[StoredCard], anki: AnkiNote, anki_cards: list[AnkiCard], link: AnkiNoteLink | None,
) -> None:
    if link is not None and link.retired:
        return  # retired before: whatever the learner did with it since is theirs
    plan.retired_notes += 1
    if RETIRED_TAG.casefold() not in _fold(anki.tags):
        plan.changes.append(NoteChange(anki.id, note_id, None, (*anki.tags, RETIRED_TAG)))
    plan.suspend.extend(c.id for c in anki_cards if c.queue != QUEUE_SUSPENDED)
    first = min(group, key=lambda c: (c.kind != "basic", c.ord))
    plan.links.append(AnkiNoteLink(note_id, first.deck, link.tags if link else (), True))


def plan_descriptions(plan: NotePlan, wanted: Mapping[str, str], current: Mapping[str, str], written: Mapping[str, str]) -> None:
    """Deck descriptions: `wanted` is hcflash's (HTML) for each deck it uses, `current` what Anki shows,
    `written` what hcflash wrote last time. A description the learner changed in Anki is theirs."""
    plan.described = dict(written)
    for deck, html in wanted.items():
        now = current.get(deck, "")
        if now == html:
            plan.described[deck] = html
        elif now in ("", written.get(deck)):
            plan.descriptions[deck] = html
            plan.described[deck] = html
