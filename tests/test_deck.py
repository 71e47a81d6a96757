"""The deck parser: every card kind, ids, sources, and errors with their lines."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hcflash.cards import expand_note, front_and_back
from hcflash.deck import deck_name_from_path, decode_deck_bytes, parse_deck
from hcflash.errors import DeckError

GOOD = """---
deck: Interop::USCDI
id-prefix: uscdi
tags: [uscdi, onc]
---

# USCDI

An introduction that makes no card.

## Which CFR section adopts USCDI? <!-- id: uscdi-cfr -->

45 CFR 170.213.

| version | year |
|---|---|
| v1 | 2020 |

```
## not a heading inside code
```

- ## not a card inside a list

Source: [45 CFR 170.213](https://www.ecfr.gov/current/title-45/section-170.213), eCFR; HTI-1,
  89 FR 1192
Tags: cfr, regulation

## USCDI v1 came with the {{c1::Cures Act Final Rule}} in {{c2::2020::year}}. <!-- id: uscdi-v1-cloze -->

Source: 85 FR 25642

## Reversible term <!-- id: uscdi-term -->

Definition.

Source: healthit.gov USCDI page
Reverse: yes
"""


def parse(text: str):
    return parse_deck(text, Path("decks/x.md"), "Fallback")


def test_front_matter_names_the_deck_and_its_tags():
    deck = parse(GOOD)
    assert deck.header.name == "Interop::USCDI"
    assert deck.header.id_prefix == "uscdi"
    assert deck.header.tags == ("uscdi", "onc")
    assert deck.issues == ()


def test_cards_are_top_level_h2_only_and_keep_markdown_answers():
    deck = parse(GOOD)
    assert [n.id for n in deck.notes] == ["uscdi-cfr", "uscdi-v1-cloze", "uscdi-term"]
    first = deck.notes[0]
    assert first.question == "Which CFR section adopts USCDI?"
    assert first.line == 11
    assert "| v1 | 2020 |" in first.answer
    assert "## not a heading inside code" in first.answer
    assert "Source:" not in first.answer


def test_source_and_tags_are_parsed_from_the_trailing_metadata_paragraph():
    first = parse(GOOD).notes[0]
    assert first.sources == (
        "[45 CFR 170.213](https://www.ecfr.gov/current/title-45/section-170.213), eCFR",
        "HTI-1, 89 FR 1192",
    )
    assert first.tags == ("cfr", "regulation")


def test_cloze_note_yields_one_card_per_number():
    deck = parse(GOOD)
    cloze = deck.notes[1]
    assert cloze.cloze_numbers == (1, 2)
    cards = expand_note(cloze, deck.header, "x.md")
    assert [c.key for c in cards] == ["uscdi-v1-cloze#c1", "uscdi-v1-cloze#c2"]
    front, back = front_and_back("cloze", 2, cloze.question, cloze.answer)
    assert "**[year]**" in front and "Cures Act Final Rule" in front
    assert "**2020**" in back


def test_reverse_adds_a_second_card_that_asks_the_other_way():
    deck = parse(GOOD)
    cards = expand_note(deck.notes[2], deck.header, "x.md")
    assert [(c.key, c.kind) for c in cards] == [("uscdi-term", "basic"), ("uscdi-term#reverse", "reverse")]
    assert front_and_back("reverse", 0, "Reversible term", "Definition.") == ("Definition.", "Reversible term")
    assert all(set(c.tags) == {"uscdi", "onc"} for c in cards)


def test_deck_wide_reverse_can_be_turned_off_per_card():
    text = "---\nreverse: true\n---\n## A <!-- id: a -->\n\nB\n\nSource: s\n\n## C <!-- id: c -->\n\nD\n\nSource: s\nReverse: no\n"
    deck = parse(text)
    keys = [c.key for n in deck.notes for c in expand_note(n, deck.header, "x.md")]
    assert keys == ["a", "a#reverse", "c"]


def test_deck_name_comes_from_the_path_without_front_matter():
    deck = parse_deck("## Q <!-- id: q -->\n\nA\n\nSource: s\n", Path("x.md"), deck_name_from_path(Path("healthcare-interop/ihe_profiles.md")))
    assert deck.header.name == "Healthcare interop::Ihe profiles"


def codes(text: str) -> list[tuple[str, int]]:
    return [(i.code, i.line) for i in parse(text).issues]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("## Q\n\nA\n\nSource: s\n", [("HC110", 1)]),
        ("\n\n## Q <!-- id: Bad_Id -->\n\nA\n\nSource: s\n", [("HC111", 3)]),
        ("---\nid-prefix: uscdi\n---\n## Q <!-- id: other-q -->\n\nA\n\nSource: s\n", [("HC112", 4)]),
        ("## Q <!-- id: q -->\n\nA\n\nSource: s\n\n## R <!-- id: q -->\n\nB\n\nSource: s\n", [("HC113", 7)]),
        ("## <!-- id: q -->\n\nA\n\nSource: s\n", [("HC120", 1)]),
        ("## Q <!-- id: q -->\n\nSource: s\n", [("HC121", 1)]),
        ("## Q <!-- id: q -->\n\nAnswer without a source.\n", [("HC122", 1)]),
        ("## Q <!-- id: q -->\n\nA\n\nSource: s\nTags: ok, no/slash\n", [("HC123", 6)]),
        ("## Q {{c1::x} <!-- id: q -->\n\nA\n\nSource: s\n", [("HC130", 1)]),
        ("## Q {{c1::x}} <!-- id: q -->\n\nSource: s\nReverse: yes\n", [("HC131", 1)]),
        ("---\ndeck: [1, 2\n---\n## Q <!-- id: q -->\n\nA\n\nSource: s\n", [("HC101", 2)]),
        ("---\ndeck: A\ndeck: B\n---\n## Q <!-- id: q -->\n\nA\n\nSource: s\n", [("HC101", 3)]),
        ("---\ndek: A\n---\n## Q <!-- id: q -->\n\nA\n\nSource: s\n", [("HC102", 2)]),
        ("---\n!!python/object:os.system x: 1\n---\n## Q <!-- id: q -->\n\nA\n\nSource: s\n", [("HC101", 2)]),
    ],
)
def test_each_problem_has_a_code_and_the_line_it_is_on(text, expected):
    assert codes(text) == expected


def test_binary_and_invalid_utf8_are_deck_errors_with_a_line():
    with pytest.raises(DeckError) as err:
        decode_deck_bytes(b"## ok\n\n\xff\xfe bad", Path("bad.md"))
    assert (err.value.issues[0].code, err.value.issues[0].line) == ("HC100", 3)
    with pytest.raises(DeckError) as err:
        decode_deck_bytes(b"line\n\x00\x01", Path("bin.md"))
    assert "binary" in str(err.value) and err.value.issues[0].line == 2


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_any_text_parses_to_notes_and_issues_without_raising(text):
    deck = parse(text)
    for note in deck.notes:
        assert note.line >= 1
    for issue in deck.issues:
        assert issue.code.startswith("HC") and issue.line >= 1


@pytest.mark.parametrize("ending", ["\r\n", "\r"])
def test_crlf_and_a_lone_cr_read_exactly_like_lf(ending):
    lf = parse(GOOD)
    other = parse(GOOD.replace("\n", ending))
    assert other.notes == lf.notes and other.issues == lf.issues == ()
    assert "Source:" not in other.notes[0].answer and "\r" not in other.notes[0].answer


def test_a_lone_cr_inside_a_line_ends_it_as_markdown_it_says():
    """markdown-it (CommonMark) ends a line at a lone CR; the parser now agrees: the card reads as if
    the CR were a LF, and the next card's line number counts it."""
    with_cr = parse("## Q <!-- id: q -->\n\nThe answer.\r\rSource: IHE ITI TF-1, 5\n\n## R <!-- id: r -->\n\nB\n\nSource: IHE ITI TF-1, 8\n")
    with_lf = parse("## Q <!-- id: q -->\n\nThe answer.\n\nSource: IHE ITI TF-1, 5\n\n## R <!-- id: r -->\n\nB\n\nSource: IHE ITI TF-1, 8\n")
    assert with_cr.notes == with_lf.notes
    assert [(n.id, n.line, n.answer, n.sources) for n in with_cr.notes] == [
        ("q", 1, "The answer.", ("IHE ITI TF-1, 5",)), ("r", 7, "B", ("IHE ITI TF-1, 8",)),
    ]
