"""Anki names for hcflash cards: GUIDs from ids, and every card kind to an Anki ordinal and back."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from hcflash.anki.keys import anki_ord, key_for_anki_card, note_guid, note_id_from_guid
from hcflash.records import StoredCard

T = datetime(2026, 1, 1, tzinfo=UTC)


def stored(kind: str, ord_: int, key: str) -> StoredCard:
    return StoredCard(1, key, "uscdi-v1", kind, ord_, "D", "Q", "A", (), (), "a.md", 1, "h", T, T)  # type: ignore[arg-type]


def test_guids_come_from_ids_and_only_hcflash_guids_map_back():
    assert note_guid("uscdi-v1") == "hcflash:uscdi-v1"
    assert note_id_from_guid("hcflash:uscdi-v1") == "uscdi-v1"
    assert note_id_from_guid("f1Xo9#kQ") is None


@pytest.mark.parametrize(
    ("kind", "ord_", "key", "anki"),
    [("basic", 0, "uscdi-v1", 0), ("reverse", 0, "uscdi-v1#reverse", 1), ("cloze", 1, "uscdi-v1#c1", 0), ("cloze", 3, "uscdi-v1#c3", 2)],
)
def test_card_keys_and_anki_ordinals_map_both_ways(kind, ord_, key, anki):
    assert anki_ord(stored(kind, ord_, key)) == anki
    assert key_for_anki_card("uscdi-v1", kind == "cloze", anki) == key
