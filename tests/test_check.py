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


# -- ids --fix writes (#18) ---------------------------------------------------------------------------

def test_fix_never_writes_the_prefix_twice(deck_dir):
    path = write_deck(deck_dir, "u.md", "---\nid-prefix: uscdi\n---\n## USCDI v3 adds which data classes?\n\nA\n\nSource: IHE ITI TF-1, 5\n")
    assert fix_paths([deck_dir]) == {path: ["uscdi-v3-adds-data-classes"]}
    path.write_text("---\nid-prefix: uscdi\n---\n## What is USCDI?\n\nA\n\nSource: IHE ITI TF-1, 5\n")
    assert fix_paths([deck_dir]) == {path: ["uscdi-card"]}


def test_fix_with_a_long_prefix_writes_ids_check_accepts(deck_dir):
    prefix = "-".join(["abcdefghi"] * 7)[:70].rstrip("-")
    write_deck(deck_dir, "p.md", f"---\nid-prefix: {prefix}\n---\n" + "".join(
        f"## A long question about the certification program, number {n}\n\nA\n\nSource: IHE ITI TF-1, 5\n\n" for n in range(3)
    ))
    added = next(iter(fix_paths([deck_dir]).values()))
    assert len(added) == 3 and all(len(i) <= 80 and i.startswith(prefix + "-") for i in added)
    assert check_paths([deck_dir]).errors == ()


def test_fix_leaves_a_heading_whose_id_comment_is_not_last_and_handles_comments_mid_heading(deck_dir):
    path = write_deck(deck_dir, "c.md", "---\nid-prefix: c\n---\n"
                      "## Where is <!-- a note --> the PIX query?\n\nA\n\nSource: IHE ITI TF-1, 5\n\n"
                      "## Misplaced <!-- id: c-misplaced --> id\n\nB\n\nSource: IHE ITI TF-1, 8\n")
    assert fix_paths([deck_dir]) == {path: ["c-pix-query"]}  # the comment is not part of the id
    result = check_paths([deck_dir])
    assert [(i.code, i.line) for i in result.errors] == [("HC111", 10)]  # the misplaced id, as written; nothing added to it


def test_fix_of_one_file_never_takes_an_id_of_another_file_of_the_folder(deck_dir, tmp_path):
    from click.testing import CliRunner

    from hcflash.cli import main

    write_deck(deck_dir, "h1.md", "---\nid-prefix: h\n---\n## What does PIX do? <!-- id: h-pix -->\n\nA\n\nSource: IHE ITI TF-1, 5\n")
    h2 = write_deck(deck_dir, "h2.md", "---\nid-prefix: h\n---\n## What does PIX do?\n\nB\n\nSource: IHE ITI TF-1, 8\n")
    result = CliRunner().invoke(main, ["--db", str(tmp_path / "none.db"), "check", "--fix", str(h2)])
    assert "h-pix-2" in h2.read_text(), result.output
    assert not (tmp_path / "none.db").exists()


def test_fix_never_reuses_an_id_the_store_has_ever_held(deck_dir, tmp_path):
    from click.testing import CliRunner

    from hcflash.cli import main

    db = tmp_path / "s.db"
    path = write_deck(deck_dir, "a.md", "---\nid-prefix: a\n---\n## What does PIX do? <!-- id: a-pix -->\n\nA\n\nSource: IHE ITI TF-1, 5\n")
    assert CliRunner().invoke(main, ["--db", str(db), "--decks", str(deck_dir), "sync"]).exit_code == 0
    path.write_text("---\nid-prefix: a\n---\n## What does PIX do?\n\nA new fact.\n\nSource: IHE ITI TF-1, 5\n")  # the old card removed
    before = db.read_bytes()
    result = CliRunner().invoke(main, ["--db", str(db), "--decks", str(deck_dir), "check", "--fix"])
    assert result.exit_code == 0, result.output
    assert "<!-- id: a-pix-2 -->" in path.read_text()
    assert db.read_bytes() == before, "check --fix wrote to the store"


def test_fix_keeps_lone_cr_line_endings(deck_dir):
    path = deck_dir / "r.md"
    path.write_bytes(b"## Q one\r\rA\r\rSource: IHE ITI TF-1, 5\r\r## Q two\r\rB\r\rSource: IHE ITI TF-1, 8\r")
    fix_paths([deck_dir])
    assert path.read_bytes() == (
        b"## Q one <!-- id: r-q-one -->\r\rA\r\rSource: IHE ITI TF-1, 5\r\r## Q two <!-- id: r-q-two -->\r\rB\r\rSource: IHE ITI TF-1, 8\r"
    )
    assert check_paths([deck_dir]).errors == ()
