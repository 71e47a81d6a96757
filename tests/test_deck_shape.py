"""The bundled decks, as a whole: atomic (at most 3% of notes hold a list or table of more than three
items), every card dated, every deck requiring dates, and every card kind the app supports present."""

from __future__ import annotations

from hcflash.check import check_paths

from .deck_shape import DECKS, MAX_SHARE, list_notes, name_n_questions


def test_at_most_three_percent_of_notes_hold_a_list_or_table_of_more_than_three_items():
    found, total = list_notes()
    assert total >= 900
    assert len(found) / total <= MAX_SHARE, [f"{p.name}:{n.line}" for p, n, _ in found]


def test_no_name_n_of_questions():
    assert [f"{p.name}:{n.line}" for p, n in name_n_questions()] == []


def test_every_card_is_dated_and_every_deck_requires_it():
    result = check_paths([DECKS])
    assert [d.path.name for d in result.decks if not d.header.require_verified] == []
    assert [f"{d.path.name}:{n.line}" for d in result.decks for n in d.notes if n.verified is None] == []


def test_the_decks_hold_every_card_kind():
    result = check_paths([DECKS])
    notes = [n for d in result.decks for n in d.notes]
    assert any(n.is_cloze for n in notes) and any(n.reverse for n in notes)
    assert any("```" in n.answer for n in notes) and any("|---" in n.answer or "| ---" in n.answer for n in notes)
