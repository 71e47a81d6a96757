"""Notes into cards: keys, kinds, what each side shows, and malformed cloze messages."""

from __future__ import annotations

import pytest

from hcflash.cards import card_key, cloze_numbers, cloze_plain, expand_note, front_and_back, malformed_cloze
from hcflash.records import DeckHeader, Note


def note(question: str, answer: str = "", reverse: bool | None = None) -> Note:
    return Note(id="n", question=question, answer=answer, sources=("S",), tags=("t",), line=3, reverse=reverse,
                cloze_numbers=cloze_numbers(question + "\n" + answer))


def test_keys_name_each_card_of_a_note():
    assert [card_key("n", "basic", 0), card_key("n", "reverse", 0), card_key("n", "cloze", 2)] == ["n", "n#reverse", "n#c2"]


def test_a_basic_note_with_reverse_gives_two_cards_and_deck_tags_come_first():
    cards = expand_note(note("Q?", "A.", reverse=True), DeckHeader("D", tags=("deck",)), "a.md")
    assert [(c.key, c.kind, c.tags) for c in cards] == [("n", "basic", ("deck", "t")), ("n#reverse", "reverse", ("deck", "t"))]


def test_a_deck_wide_reverse_can_be_turned_off_per_card():
    assert len(expand_note(note("Q?", "A."), DeckHeader("D", reverse=True), "a.md")) == 2
    assert len(expand_note(note("Q?", "A.", reverse=False), DeckHeader("D", reverse=True), "a.md")) == 1


def test_a_cloze_note_gives_one_card_per_number_in_order():
    cards = expand_note(note("{{c2::B}} then {{c1::A}} and {{c2::C}}"), DeckHeader("D"), "a.md")
    assert [(c.key, c.ord) for c in cards] == [("n#c1", 1), ("n#c2", 2)]


def test_a_note_without_an_id_makes_no_card():
    assert expand_note(Note(id=None, question="Q", answer="A", sources=(), tags=(), line=1), DeckHeader("D"), "a.md") == []


def test_cloze_sides_hide_only_the_active_number():
    front, back = front_and_back("cloze", 2, "{{c1::HL7}} v2 uses {{c2::segments::what}}.", "Extra {{c2::pipes}}")
    assert front == "HL7 v2 uses **[what]**.\n\nExtra **[...]**"
    assert back == "HL7 v2 uses **segments**.\n\nExtra **pipes**"


def test_reverse_sides_swap():
    assert front_and_back("reverse", 0, "Q?", "A.") == ("A.", "Q?")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{{c0::x}}", "cloze number must be 1 or more in '{{c0::x}}'"),
        ("{{c1:: }}", "cloze deletion '{{c1:: }}' hides nothing"),
        ("{{c1:x}}", "malformed cloze '{{c1:x}}': write {{c1::text}} or {{c1::text::hint}}"),
    ],
)
def test_malformed_cloze_is_described(text, message):
    assert malformed_cloze(text) == message


def test_cloze_plain_shows_every_deletion():
    assert cloze_plain("{{c1::PIX}} and {{c2::PDQ::query}}") == "PIX and PDQ"


def test_double_braces_that_are_not_a_cloze_are_left_alone():
    # A CDS Hooks prefetch template in a code sample is not a malformed cloze.
    assert malformed_cloze('```\n"patient": "Patient/{{context.patientId}}"\n```') is None
    assert cloze_numbers("{{context.patientId}}") == ()
