"""The CLI edge: clear one-line errors with path:line, non-zero exits, no tracebacks."""

from __future__ import annotations

from click.testing import CliRunner

from hcflash.cli import main

from .conftest import basic_cards, write_deck


def run(*args, env=None, input=None):
    return CliRunner().invoke(main, list(args), env=env, input=input, catch_exceptions=False)


def test_sync_then_decks_then_status(tmp_path, deck_dir):
    write_deck(deck_dir, "a.md", basic_cards("a", 3, deck="Top::Sub"))
    db = str(tmp_path / "s.db")
    result = run("--db", db, "--decks", str(deck_dir), "sync")
    assert result.exit_code == 0
    assert "3 added" in result.output
    result = run("--db", db, "--decks", str(deck_dir), "decks")
    assert "Sub" in result.output and "Top" in result.output
    result = run("--db", db, "--decks", str(deck_dir), "status")
    assert "3 new" in result.output


def test_a_bad_deck_is_one_line_per_problem_and_exit_2(tmp_path, deck_dir):
    write_deck(deck_dir, "bad.md", "## Q <!-- id: q -->\n\nNo source.\n")
    result = run("--db", str(tmp_path / "s.db"), "--decks", str(deck_dir), "sync")
    assert result.exit_code == 2
    assert "bad.md:1: error HC122" in result.output
    assert "Traceback" not in result.output
    assert "the store was not changed" in result.output


def test_hcflash_db_environment_variable_is_used(tmp_path, deck_dir):
    write_deck(deck_dir, "a.md", basic_cards("a", 1))
    db = tmp_path / "from-env.db"
    result = run("--decks", str(deck_dir), "status", env={"HCFLASH_DB": str(db)})
    assert result.exit_code == 0 and db.exists()
    assert str(db) in result.output


def test_check_strict_and_github_format(deck_dir):
    write_deck(deck_dir, "a.md", "## Q\n\nA\n\nSource: s\n")
    result = run("check", "--format", "github", str(deck_dir))
    assert result.exit_code == 2
    assert "::error file=" in result.output and "line=1,title=HC110" in result.output


def test_config_sets_and_rejects_values(tmp_path):
    db = str(tmp_path / "s.db")
    assert "0.85" in run("--db", db, "config", "desired-retention", "0.85").output
    result = run("--db", db, "config", "desired-retention", "2")
    assert result.exit_code == 1 and "outside" in result.output
    result = run("--db", db, "config", "no-such-thing", "1")
    assert result.exit_code == 1 and "unknown setting" in result.output


def test_plain_review_rates_and_commits(tmp_path, deck_dir):
    write_deck(deck_dir, "a.md", basic_cards("a", 2))
    db = str(tmp_path / "s.db")
    result = run("--db", db, "--decks", str(deck_dir), "review", "--plain", input="\n4\n\n4\n")
    assert result.exit_code == 0, result.output
    assert "Reviewed 2 card(s)" in result.output
    from hcflash.store import Store

    with Store.open(tmp_path / "s.db") as store:
        assert store.log.count() == 2


def test_unknown_deck_name_is_a_clear_error(tmp_path, deck_dir):
    write_deck(deck_dir, "a.md", basic_cards("a", 1))
    result = run("--db", str(tmp_path / "s.db"), "--decks", str(deck_dir), "review", "Nope", "--plain")
    assert result.exit_code == 1 and "no deck named 'Nope'" in result.output


def test_python_dash_m_works():
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-m", "hcflash", "--help"], capture_output=True, text=True, check=True)
    assert "Spaced-repetition flashcards" in out.stdout


# -- output is inert (#18) -------------------------------------------------------------------------

def test_decks_shows_deck_names_as_written_never_as_markup_or_terminal_codes(tmp_path, deck_dir):
    write_deck(deck_dir, "evil.md", '---\ndeck: "[link=https://evil.example]Click[/link] [bold]x[/bold] \\e[31mred"\nid-prefix: e\n---\n'
               "## Q <!-- id: e-q -->\n\nA\n\nSource: IHE ITI TF-1, section 5\n")
    result = run("--db", str(tmp_path / "s.db"), "--decks", str(deck_dir), "decks")
    assert result.exit_code == 0, result.output
    assert "[link=https://evil.example]Click[/link] [bold]x[/bold]" in result.output
    assert "\x1b" not in result.output and "\\x1b[31mred" in result.output


def test_check_prints_no_escape_sequence_and_a_file_name_cannot_forge_an_annotation(tmp_path):
    decks = tmp_path / "decks"
    decks.mkdir()
    name = "evil\x1b[2J\n::error file=forged.md,line=1::all good.md"
    (decks / name).write_text("## Q\n\nA\n\nSource: IHE ITI TF-1, section 5\n")  # no id: HC110
    human = run("check", str(decks))
    assert human.exit_code == 2 and "\x1b" not in human.output and "HC110" in human.output
    github = run("check", "--format", "github", str(decks))
    lines = [line for line in github.output.splitlines() if line.startswith("::")]
    assert len(lines) == 1 and lines[0].startswith("::error file=") and "title=HC110::" in lines[0]
    assert "%0A%3A%3Aerror file=forged.md%2Cline=1%3A%3Aall good.md,line=1,title=HC110::" in lines[0]
    assert "\x1b" not in github.output


def test_check_counts_notes_and_cards(deck_dir):
    write_deck(deck_dir, "a.md", "## {{c1::A}} and {{c2::B}} <!-- id: a-c -->\n\nSource: IHE ITI TF-1, section 5\n\n"
               "## Q <!-- id: a-q -->\n\nA\n\nSource: IHE ITI TF-1, section 5\nReverse: yes\n")
    result = run("check", str(deck_dir))
    assert "1 file(s), 2 note(s), 4 card(s): 0 error(s), 0 warning(s)" in result.output


# -- review --plain at the end of its input ---------------------------------------------------------

def test_plain_review_at_the_end_of_input_ends_quietly_with_a_summary(tmp_path, deck_dir):
    write_deck(deck_dir, "a.md", basic_cards("a", 3))
    db = str(tmp_path / "s.db")
    for stdin in ("", "\n", "\n3\n"):
        result = run("--db", db, "--decks", str(deck_dir), "review", "--plain", input=stdin)
        assert result.exit_code == 0, result.output
        assert "Aborted" not in result.output and "Reviewed" in result.output
    assert "Reviewed 1 card(s)" in result.output


def test_plain_review_of_a_crlf_deck_shows_no_carriage_returns(tmp_path, deck_dir):
    (deck_dir / "a.md").write_bytes(b"## Q one <!-- id: a-q -->\r\n\r\nLine one\r\nline two\r\n\r\nSource: IHE ITI TF-1, section 5\r\n")
    result = run("--db", str(tmp_path / "s.db"), "--decks", str(deck_dir), "review", "--plain", input="\n3\n")
    assert result.exit_code == 0, result.output
    assert "Line one\nline two" in result.output and "\\x0d" not in result.output and "\r" not in result.output


# -- export anki, as a new user tries it ------------------------------------------------------------

def test_export_of_a_deck_that_does_not_exist_fails_naming_the_decks(tmp_path, deck_dir):
    write_deck(deck_dir, "a.md", basic_cards("a", 2, deck="Top::Sub"))
    out = tmp_path / "x.apkg"
    result = run("--db", str(tmp_path / "s.db"), "--decks", str(deck_dir), "export", "anki", "-o", str(out), "--deck", "Nope")
    assert result.exit_code == 1 and "no deck named 'Nope'" in result.output and "Top::Sub" in result.output
    assert not out.exists()


def test_export_into_a_folder_that_does_not_exist_fails_and_creates_nothing(tmp_path, deck_dir):
    write_deck(deck_dir, "a.md", basic_cards("a", 2))
    out = tmp_path / "nonexistent" / "dir" / "x.apkg"
    result = run("--db", str(tmp_path / "s.db"), "--decks", str(deck_dir), "export", "anki", "-o", str(out))
    assert result.exit_code == 1 and "does not exist" in result.output
    assert not (tmp_path / "nonexistent").exists()


def test_no_scheduling_is_the_flag_and_no_progress_still_works_with_a_notice(tmp_path, deck_dir):
    write_deck(deck_dir, "a.md", basic_cards("a", 2))
    db = str(tmp_path / "s.db")
    result = run("--db", db, "--decks", str(deck_dir), "export", "anki", "-o", str(tmp_path / "a.apkg"), "--no-scheduling")
    assert result.exit_code == 0 and "(content only)" in result.output
    old = run("--db", db, "--decks", str(deck_dir), "export", "anki", "-o", str(tmp_path / "b.apkg"), "--no-progress")
    assert old.exit_code == 0 and "(content only)" in old.output and "--no-progress is deprecated" in old.output
    helped = run("export", "anki", "--help").output
    assert "--no-scheduling" in helped and "--no-progress" not in helped


def test_temporary_folders_of_killed_exports_are_removed_by_the_next_export(tmp_path, deck_dir, monkeypatch):
    import os
    import tempfile
    import time

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    stale = tmp_path / "tmp" / "hcflash-export-killed"
    (stale / "collection.anki2").parent.mkdir()
    (stale / "collection.anki2").write_bytes(b"half a collection")
    fresh = tmp_path / "tmp" / "hcflash-export-running"
    fresh.mkdir()
    old = time.time() - 2 * 3600
    os.utime(stale, (old, old))
    write_deck(deck_dir, "a.md", basic_cards("a", 2))
    result = run("--db", str(tmp_path / "s.db"), "--decks", str(deck_dir), "export", "anki", "-o", str(tmp_path / "x.apkg"))
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "tmp").iterdir()) == ["hcflash-export-running"]


def test_every_command_is_found_by_name_from_its_own_module():
    """Commands load with their module when asked for (`COMMAND_MODULES`): the map names each command
    the modules define, in the module that defines it, so none goes missing from `hcflash` or its help."""
    import pkgutil
    from importlib import import_module

    import hcflash.cli
    from hcflash.cli.app import COMMAND_MODULES

    modules = [f"hcflash.cli.{m.name}" for m in pkgutil.iter_modules(hcflash.cli.__path__) if m.name != "app"]
    for name in modules:
        import_module(name)
    defined = {name: command.callback.__module__ for name, command in main.commands.items()}
    assert defined == COMMAND_MODULES


def test_a_mistyped_command_is_told_the_closest_one():
    result = CliRunner().invoke(main, ["revie"])
    assert result.exit_code == 2 and "No such command 'revie'. Did you mean 'review'?" in result.output


def test_the_collector_held_while_hcflash_starts_is_back_on_when_a_command_begins(tmp_path, deck_dir, monkeypatch):
    """`hcflash` starts with Python's cyclic collector off (`bulk.hold_for_start`); a command other
    than the full-screen review must have it back on before its own work, or a long one would grow."""
    import gc

    from hcflash import bulk
    from hcflash.service import StudyService

    write_deck(deck_dir, "a.md", basic_cards("a", 2))
    db = str(tmp_path / "s.db")
    seen: list[tuple[str, bool]] = []
    counts = StudyService.queue_counts
    monkeypatch.setattr(StudyService, "queue_counts", lambda self, *a: seen.append(("status", gc.isenabled())) or counts(self, *a))
    import hcflash.plain_review

    plain = hcflash.plain_review.run_plain_review
    monkeypatch.setattr(hcflash.plain_review, "run_plain_review", lambda *a: seen.append(("plain", gc.isenabled())) or plain(*a))
    try:
        for args in (["status", "--short"], ["review", "--plain"]):
            bulk.hold_for_start()
            assert not gc.isenabled()
            result = run("--db", db, "--decks", str(deck_dir), *args, input="")
            assert result.exit_code == 0, result.output
    finally:
        bulk.release_after_start()
        gc.enable()
    assert seen[0] == ("status", True) and ("plain", True) in seen


def test_releasing_the_collector_leaves_it_off_when_something_else_had_turned_it_off():
    import gc

    from hcflash import bulk

    gc.disable()
    try:
        bulk.hold_for_start()
        bulk.release_after_start()
        assert not gc.isenabled()  # bulk work that paused it turns it back on itself
    finally:
        gc.enable()
