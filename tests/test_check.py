"""`hcflash check` and `--fix`: every issue reported, ids added without touching anything else."""

from __future__ import annotations

from hcflash.check import check_paths, fix_paths, fix_text

from .conftest import write_deck

NO_IDS = """---
deck: Test
id-prefix: t
---

# Title

## What does the PIX profile do?

Cross-references identifiers.

Source: IHE ITI TF-1, section 5

## What does PDQ do? <!-- id: t-pdq -->

Queries demographics.

Source: IHE ITI TF-1, section 8

Setext question about PIX again
-------------------------------

Another answer.

Source: IHE ITI TF-1
"""


def test_fix_adds_ids_and_changes_nothing_else(deck_dir):
    path = write_deck(deck_dir, "t.md", NO_IDS)
    before = path.read_text().split("\n")
    changed = fix_paths([deck_dir])
    assert changed == {path: ["t-pix-profile", "t-setext-question-about-pix-again"]}
    after = path.read_text().split("\n")
    assert len(after) == len(before)
    differing = [(a, b) for a, b in zip(before, after, strict=True) if a != b]
    assert differing == [
        ("## What does the PIX profile do?", "## What does the PIX profile do? <!-- id: t-pix-profile -->"),
        ("Setext question about PIX again", "Setext question about PIX again <!-- id: t-setext-question-about-pix-again -->"),
    ]
    assert check_paths([deck_dir]).errors == ()


def test_fix_is_idempotent(deck_dir):
    path = write_deck(deck_dir, "t.md", NO_IDS)
    fix_paths([deck_dir])
    once = path.read_bytes()
    assert fix_paths([deck_dir]) == {}
    assert path.read_bytes() == once


def test_fixed_ids_stay_unique_across_files(deck_dir):
    write_deck(deck_dir, "a.md", "---\nid-prefix: t\n---\n## What does PIX do?\n\nA\n\nSource: s\n")
    write_deck(deck_dir, "b.md", "---\nid-prefix: t\n---\n## What does PIX do?\n\nB\n\nSource: s\n")
    changed = fix_paths([deck_dir])
    ids = sorted(i for added in changed.values() for i in added)
    assert ids == ["t-pix", "t-pix-2"]


def test_fix_keeps_crlf_line_endings():
    text, added = fix_text("## Q one\r\n\r\nA\r\n\r\nSource: s\r\n", "x", set())
    assert added == ["x-q-one"]
    assert text.startswith("## Q one <!-- id: x-q-one -->\r\n")


def test_check_reports_duplicates_across_files_with_both_places(deck_dir):
    write_deck(deck_dir, "a.md", "## Q <!-- id: same -->\n\nA\n\nSource: IHE ITI TF-1, 5\n")
    write_deck(deck_dir, "b.md", "Intro.\n\n## R <!-- id: same -->\n\nB\n\nSource: IHE ITI TF-1, 8\n")
    result = check_paths([deck_dir])
    assert [(i.code, i.path.name, i.line) for i in result.errors] == [("HC113", "b.md", 3)]
    assert "a.md:1" in result.errors[0].message


def test_readme_files_are_not_decks(deck_dir):
    write_deck(deck_dir, "README.md", "# About these decks\n\n## Not a card\n")
    write_deck(deck_dir, "_drafts/x.md", "## Draft without id\n")
    assert check_paths([deck_dir]).files == ()


def test_bundled_decks_pass_the_check():
    from hcflash.locations import bundled_decks_dir

    result = check_paths([bundled_decks_dir()])
    assert result.cards > 0
    assert result.issues == ()


def test_fix_adds_a_missing_final_newline_and_nothing_else(deck_dir):
    path = deck_dir / "t.md"
    path.write_text("## Q <!-- id: t-q -->\n\nA  \n\nSource: IHE ITI TF-1, 5")
    assert fix_paths([deck_dir]) == {path: []}
    assert path.read_text() == "## Q <!-- id: t-q -->\n\nA  \n\nSource: IHE ITI TF-1, 5\n"
    assert fix_paths([deck_dir]) == {}
