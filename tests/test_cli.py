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


def test_a_store_from_a_newer_hcflash_is_refused_untouched(tmp_path):
    import sqlite3

    db = tmp_path / "s.db"
    run("--db", str(db), "config")
    conn = sqlite3.connect(db)
    conn.execute("INSERT INTO _sqlite_migrations(migration_set, name, applied_at) VALUES ('hcflash', 'm999_future', 'x')")
    conn.commit()
    conn.close()
    before = db.read_bytes()
    result = run("--db", str(db), "status")
    assert result.exit_code == 1 and "newer hcflash" in result.output
    assert db.read_bytes() == before


def test_python_dash_m_works():
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-m", "hcflash", "--help"], capture_output=True, text=True, check=True)
    assert "Spaced-repetition flashcards" in out.stdout
