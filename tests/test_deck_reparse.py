"""A file parsed again after an edit re-parses only around the edit (`parse_deck(memory=...)`): what
it gives must be what a whole parse gives, for any edit, or sync would store wrong cards or lines."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from hcflash.deck import _md, parse_deck, remember_parse
from hcflash.issue_codes import TOO_COMPLEX
from hcflash.reparse import MEMO_FILES, ParseMemo

ROOT = Path(__file__).resolve().parent.parent
BUNDLED = sorted((ROOT / "decks").rglob("*.md"))

# A deck with every block whose end depends on the lines after it: fences, HTML blocks, setext
# headings, tables, lists, quotes, reference definitions, indented code, front matter.
SHAPES = """---
deck: Shapes
id-prefix: s
---

# Part one

## A fenced question <!-- id: s-1 -->

```text
## not a heading
```

Source: 45 CFR 170.315(g)(10)

## A table <!-- id: s-2 -->

| a | b |
|---|---|
| 1 | 2 |

Source: HL7 FHIR R4, Patient

## A list <!-- id: s-3 -->

- one
- two

  continued

> quoted
lazy line

Source: CMS-0057-F

## An HTML block <!-- id: s-4 -->

<div>
text
</div>

<!--
## inside a comment
-->

Source: HTI-1

Setext question
---------------

    indented code

[ref]: https://example.org "title"

Source: ONC USCDI v3
## Right after <!-- id: s-5 -->
Answer {{c1::cloze}}.
Source: IHE ITI TF-1
"""

# Lines an edit may bring in: each opens, closes or interrupts some block.
PALETTE = [
    "", "## New question <!-- id: s-9 -->", "# Part two", "```", "~~~", "<div>", "</div>", "<!--", "-->",
    "<pre>", "</pre>", "---", "===", "- item", "  indented", "    code", "> quote", "| x | y |", "|---|---|",
    "Plain text.", "Source: HL7 v2.5.1", "[ref]: /url", "###### deep", "##", "#no heading", " ## spaced",
    "Answer {{c2::more}}.", "Verified: 2026-11-30", "+++", "1. first", "<script>", "</script>",
]


def tokens_of(tokens) -> list[tuple]:  # noqa: ANN001 - markdown-it tokens
    return [(t.type, t.tag, t.nesting, t.level, t.map, t.content, t.markup, t.info, t.block, t.hidden) for t in tokens]


def texts() -> st.SearchStrategy[str]:
    """The shapes half the time, else one of the smaller bundled decks (a whole parse of the largest
    takes ≈20 ms: hundreds of examples over them would slow the suite for no new shape)."""
    smallest = sorted(BUNDLED, key=lambda p: p.stat().st_size)[:4]
    return st.one_of(st.just(SHAPES), st.sampled_from([p.read_text(encoding="utf-8") for p in smallest]))


@st.composite
def edits(draw: st.DrawFn) -> tuple[str, str]:
    """A deck text and the same text with lines replaced, inserted or deleted somewhere in it."""
    text = draw(texts())
    lines = text.split("\n")
    at = draw(st.integers(0, len(lines)))
    removed = draw(st.integers(0, min(4, len(lines) - at)))
    added = draw(st.lists(st.one_of(st.sampled_from(PALETTE), st.sampled_from(lines)), max_size=4))
    return text, "\n".join(lines[:at] + added + lines[at + removed :])


@example((SHAPES, SHAPES.replace("## A list <!--", "## A longer list <!--")), 1)  # a question's wording fixed
@example((SHAPES, SHAPES.replace("- two\n", "- two\n- three\n")), 1)  # lines added: later cards move
@example((SHAPES, SHAPES.replace("</div>\n", "")), 1)  # an HTML block left open
@example((SHAPES, SHAPES.replace("## Right after", "Right after")), 1)  # a heading becomes text
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edits(), st.integers(1, 3))
def test_a_file_reparsed_after_any_edit_gives_what_a_whole_parse_gives(edit: tuple[str, str], rounds: int) -> None:
    before, after = edit
    path = Path("/decks/shapes.md")
    memory: dict[str, ParseMemo] = {}
    remember_parse(before, path, memory)
    for _ in range(rounds):  # the memory then holds the edited parse: edit back and forth
        for text in (after, before):
            reparsed = parse_deck(text, path, "Shapes", memory)
            assert reparsed == parse_deck(text, path, "Shapes")
            assert tokens_of(memory[str(path)].tokens) == tokens_of(_md.parse(text))


def test_an_edit_inside_one_card_reparses_that_card_only(monkeypatch) -> None:  # noqa: ANN001
    text = BUNDLED[0].read_text(encoding="utf-8")
    lines = text.split("\n")
    headings = [n for n, line in enumerate(lines) if line.startswith("## ")]
    middle = headings[len(headings) // 2]
    edited = "\n".join([*lines[: middle + 2], "An added line of answer.", *lines[middle + 2 :]])
    memory: dict[str, ParseMemo] = {}
    remember_parse(text, BUNDLED[0], memory)
    parsed: list[str] = []
    real_parse = _md.parse
    monkeypatch.setattr(_md, "parse", lambda src, env=None: parsed.append(src) or real_parse(src, env))
    deck = parse_deck(edited, BUNDLED[0], "Deck", memory)
    assert deck == parse_deck(edited, BUNDLED[0], "Deck")
    assert len(parsed) == 2  # the one cut, then the whole parse just above
    assert parsed[0].startswith(lines[middle]) and "An added line of answer." in parsed[0]
    assert parsed[0].count("\n## ") == 1  # the card edited, up to the next card's heading
    later = [n for n in deck.notes if n.line > middle + 1]
    assert later and later[0].line == headings[headings.index(middle) + 1] + 2  # moved down by the added line


def test_an_edit_that_swallows_the_next_card_parses_the_file_whole(monkeypatch) -> None:  # noqa: ANN001
    text = SHAPES
    edited = text.replace("Source: HL7 FHIR R4, Patient", "Source: HL7 FHIR R4, Patient\n\n```", 1)
    memory: dict[str, ParseMemo] = {}
    remember_parse(text, Path("s.md"), memory)
    parsed: list[str] = []
    real_parse = _md.parse
    monkeypatch.setattr(_md, "parse", lambda src, env=None: parsed.append(src) or real_parse(src, env))
    deck = parse_deck(edited, Path("s.md"), "S", memory)
    assert [n.id for n in deck.notes] == ["s-1", "s-2"]  # the fence runs to the end: later cards are code
    assert parsed[-1] == edited  # the cut was refused and the file parsed whole
    assert deck == parse_deck(edited, Path("s.md"), "S")


def test_the_memory_keeps_only_the_files_asked_for_and_the_last_of_them() -> None:
    memory: dict[str, ParseMemo] = {}
    for n in range(MEMO_FILES + 3):
        parse_deck(SHAPES, Path(f"/decks/other-{n}.md"), "S", memory)  # a sync's files: not kept
        remember_parse(SHAPES, Path(f"/decks/{n}.md"), memory)
    parse_deck(SHAPES.replace("quoted", "quoted again"), Path("/decks/3.md"), "S", memory)  # kept, and now the last
    assert list(memory) == [f"/decks/{n}.md" for n in (4, 5, 6, 3)]
    assert "quoted again" in "\n".join(memory["/decks/3.md"].lines)


def test_a_file_past_the_block_budget_after_an_edit_is_refused_at_the_same_line(monkeypatch) -> None:  # noqa: ANN001
    import hcflash.deck

    lines = SHAPES.split("\n")
    at = lines.index("- two")
    edited = "\n".join([*lines[:at], *(f"- item {n}" for n in range(40)), *lines[at:]])
    whole = parse_deck(edited, Path("s.md"), "S")
    monkeypatch.setattr(hcflash.deck, "MAX_BLOCKS", len(_md.parse(SHAPES)) + 20)  # the edit takes the file past it
    memory: dict[str, ParseMemo] = {}
    remember_parse(SHAPES, Path("s.md"), memory)
    reparsed = parse_deck(edited, Path("s.md"), "S", memory)
    refused = parse_deck(edited, Path("s.md"), "S")
    assert [(i.code, i.line) for i in reparsed.issues] == [(i.code, i.line) for i in refused.issues]
    assert [i.code for i in refused.issues] == [TOO_COMPLEX] and refused.issues[0].line > at  # where the file ran out
    assert not reparsed.notes and whole.notes  # without the lower budget the same text parses
