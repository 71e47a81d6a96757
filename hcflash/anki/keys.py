"""How hcflash cards are named in Anki: each note's GUID comes from its hcflash id, and each Anki card
(note plus template ordinal) maps to one hcflash card key. One place, for export and import alike."""

from __future__ import annotations

from hcflash.cards import card_key
from hcflash.records import StoredCard

GUID_PREFIX = "hcflash:"


def note_guid(note_id: str) -> str:
    return GUID_PREFIX + note_id


def note_id_from_guid(guid: str) -> str | None:
    return guid[len(GUID_PREFIX):] if guid.startswith(GUID_PREFIX) else None


def anki_ord(card: StoredCard) -> int:
    """The Anki template ordinal of an hcflash card: cloze n is ord n-1; a reversed card is ord 1."""
    if card.kind == "cloze":
        return card.ord - 1
    return 1 if card.kind == "reverse" else 0


def key_for_anki_card(note_id: str, cloze_note: bool, ord_: int) -> str:
    """The hcflash card key of Anki card `ord_` of the note with this hcflash id."""
    if cloze_note:
        return card_key(note_id, "cloze", ord_ + 1)
    return card_key(note_id, "reverse" if ord_ == 1 else "basic", 0)
