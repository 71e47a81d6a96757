"""Everything a learner can cause gets one clear line and a non-zero exit, never a traceback: the
"Crashes" of issue 18. Faults the operating system raises (permissions, a full disk, another
writer, a broken time zone) are real: the commands run in subprocesses under them."""

from __future__ import annotations

import ctypes
import os
import resource
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from hcflash.cli import main

from .conftest import basic_cards, write_deck

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str, input: str | None = None):
    return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)


def _without_file_privileges() -> None:
    """As root, drop the capabilities that override file permissions (CAP_DAC_OVERRIDE and
    CAP_DAC_READ_SEARCH), so that a mode of 000 or 444 means for this process what it means for a
    learner; as anyone else, nothing to drop."""
    if os.geteuid() != 0:
        return
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (1, 2):
        if libc.prctl(24, capability, 0, 0, 0) != 0:  # PR_CAPBSET_DROP, effective after exec
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def hcflash(*args: str, input: str = "", env: dict[str, str] | None = None, preexec=_without_file_privileges) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "hcflash", *args], cwd=ROOT, capture_output=True, text=True, input=input,
        env={**os.environ, **(env or {})}, preexec_fn=preexec, timeout=120,
    )


def one_clear_line(proc: subprocess.CompletedProcess, *words: str) -> None:
    assert proc.returncode != 0
    assert "Traceback" not in proc.stderr, proc.stderr
    for word in words:
        assert word in proc.stderr + proc.stdout, proc.stderr + proc.stdout


def counts(db: Path) -> tuple[int, int, int]:
    conn = sqlite3.connect(db)
    try:
        return tuple(conn.execute(q).fetchone()[0] for q in (  # type: ignore[return-value]
            "SELECT COUNT(*) FROM cards WHERE retired_at IS NULL", "SELECT COUNT(*) FROM review_log", "SELECT COUNT(*) FROM cards",
        ))
    finally:
        conn.close()


@pytest.fixture
def synced(tmp_path, deck_dir) -> Path:
    write_deck(deck_dir, "a.md", basic_cards("a", 5))
    write_deck(deck_dir, "sub/b.md", basic_cards("b", 5, deck="Test::Sub"))
    db = tmp_path / "s.db"
    assert run("--db", str(db), "--decks", str(deck_dir), "sync").exit_code == 0
    return db


# -- deck files and folders the learner cannot read ------------------------------------------------

def test_an_unreadable_deck_file_is_a_deck_error_and_retires_nothing(synced, deck_dir):
    target = deck_dir / "a.md"
    target.write_text(basic_cards("a", 5) + "\n")  # changed, so sync must read it
    target.chmod(0)
    try:
        proc = hcflash("--db", str(synced), "--decks", str(deck_dir), "sync")
        checked = hcflash("check", str(deck_dir))
    finally:
        target.chmod(0o644)
    one_clear_line(proc, "a.md:1: error HC100: cannot read file")
    assert proc.returncode == 2 and counts(synced)[0] == 10
    one_clear_line(checked, "HC100")


def test_an_unreadable_deck_folder_retires_none_of_its_cards(synced, deck_dir):
    folder = deck_dir / "sub"
    folder.chmod(0)
    try:
        proc = hcflash("--db", str(synced), "--decks", str(deck_dir), "sync")
        checked = hcflash("check", str(deck_dir))
    finally:
        folder.chmod(0o755)
    one_clear_line(proc, "HC100", "cannot read folder")
    assert counts(synced)[0] == 10, "the unreadable folder's cards were retired"
    one_clear_line(checked, "HC100", "cannot read folder")


def test_a_deck_folder_that_does_not_exist_is_an_error_and_retires_nothing(synced, tmp_path):
    result = run("--db", str(synced), "--decks", str(tmp_path / "nonexistent"), "sync")
    assert result.exit_code == 1 and "does not exist" in result.output
    assert counts(synced)[0] == 10


# -- the store: read-only, full, busy ----------------------------------------------------------------

def test_a_read_only_store_says_read_only_not_damaged(synced, deck_dir):
    synced.chmod(0o444)
    try:
        for command in (["config", "new-per-day", "30"], ["status"], ["review", "--plain"]):
            proc = hcflash("--db", str(synced), "--decks", str(deck_dir), *command, input="\n3\n")
            one_clear_line(proc, "read-only")
            assert "damaged" not in proc.stderr and "not a usable" not in proc.stderr
    finally:
        synced.chmod(0o644)


def test_a_store_in_a_read_only_folder_says_so(synced, deck_dir):
    synced.parent.chmod(0o555)
    try:
        proc = hcflash("--db", str(synced), "--decks", str(deck_dir), "status")
    finally:
        synced.parent.chmod(0o755)
    one_clear_line(proc, "read-only")


def _file_size_limit(limit: int):
    def apply() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails (EFBIG) instead of killing
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


def test_a_full_disk_is_a_clear_error_and_changes_nothing(synced, deck_dir, tmp_path):
    """Every file hcflash writes may grow only 40 KB: the shared-memory file fits, the writes below do not."""
    write_deck(deck_dir, "c.md", basic_cards("c", 60))
    before = counts(synced)
    full = _file_size_limit(40_000)
    for command in (["sync"], ["review", "--plain"], ["export", "anki", "-o", str(tmp_path / "x.apkg")]):
        proc = hcflash("--db", str(synced), "--decks", str(deck_dir), *command, input="\n3\n\n3\nq\n", preexec=full)
        one_clear_line(proc, "error:")
        assert counts(synced) == before, command


HOLD_THE_WRITE_LOCK = """
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN IMMEDIATE")
conn.execute("INSERT INTO settings(key, value) VALUES ('held', '1') ON CONFLICT(key) DO UPDATE SET value = excluded.value")
print("holding", flush=True)
time.sleep(float(sys.argv[2]))
conn.execute("COMMIT")
"""


@pytest.mark.parametrize("command", [["sync"], ["export", "anki", "-o", "OUT"]])
def test_sync_and_export_wait_for_another_writer_instead_of_failing(synced, deck_dir, tmp_path, command):
    """Another process writes for 1.5 s, under the 5 s busy timeout: the command waits for it and
    succeeds (a transaction that began by reading failed as soon as the other writer committed)."""
    write_deck(deck_dir, "c.md", basic_cards("c", 20))
    command = [str(tmp_path / "x.apkg") if part == "OUT" else part for part in command]
    holder = subprocess.Popen([sys.executable, "-c", HOLD_THE_WRITE_LOCK, str(synced), "1.5"], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "holding"
        proc = hcflash("--db", str(synced), "--decks", str(deck_dir), *command, preexec=None)
    finally:
        holder.wait(timeout=30)
        holder.stdout.close()
    assert proc.returncode == 0, proc.stderr
    assert counts(synced)[0] == 30


# -- settings and the clock ---------------------------------------------------------------------------

@pytest.mark.parametrize(("value", "message"), [
    ("infs", "not a number"), ("nanm", "not a number"), ("1e20d", "between 1s and 36500d"), ("0.1s", "between 1s and 36500d"),
])
def test_learning_steps_that_are_not_finite_or_too_long_are_refused(tmp_path, value, message):
    result = run("--db", str(tmp_path / "s.db"), "config", "learning-steps", value)
    assert result.exit_code == 1 and message in result.output
    assert "learning-steps     1m 10m" in run("--db", str(tmp_path / "s.db"), "config").output


@pytest.mark.parametrize(("key", "value"), [("rollover_hour", 25), ("learning_steps", [8_640_000_000_000_000_000]), ("desired_retention", 1.5)])
def test_a_bad_value_in_the_settings_table_is_named_and_config_repairs_it(synced, deck_dir, key, value):
    import json

    conn = sqlite3.connect(synced)
    conn.execute("INSERT INTO settings(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value", [key, json.dumps(value)])
    conn.commit()
    conn.close()
    for command in (["status"], ["review", "--plain"], ["config"]):
        result = run("--db", str(synced), "--decks", str(deck_dir), *command, input="q\n")
        assert result.exit_code == 1 and f"the stored setting {key}" in result.output and "hcflash config" in result.output
    name = key.replace("_", "-")
    fix = {"rollover-hour": "4", "learning-steps": "1m 10m", "desired-retention": "0.9"}[name]
    assert run("--db", str(synced), "config", name, fix).exit_code == 0
    assert run("--db", str(synced), "--decks", str(deck_dir), "status").exit_code == 0


def test_a_time_zone_the_machine_cannot_use_is_a_clear_error(synced, deck_dir):
    proc = hcflash("--db", str(synced), "--decks", str(deck_dir), "status", env={"TZ": "XYZ-99:59"}, preexec=None)
    one_clear_line(proc, "time zone", "TZ='XYZ-99:59'")


def test_config_takes_a_negative_number_as_a_value_and_refuses_it_in_words(tmp_path):
    result = run("--db", str(tmp_path / "s.db"), "config", "new-per-day", "-5")
    assert result.exit_code == 1 and "-5 is outside 0..9999" in result.output
    assert "No such option" not in result.output


# -- the anki extra -----------------------------------------------------------------------------------

def test_export_and_import_without_the_anki_extra_say_how_to_install_it(synced, deck_dir, tmp_path, monkeypatch):
    for name in ("anki", "nh3"):
        monkeypatch.setitem(sys.modules, name, None)  # `import anki` now fails as it does without the extra
    for name in ("hcflash.anki.export", "hcflash.anki.html"):
        monkeypatch.delitem(sys.modules, name, raising=False)
    package = tmp_path / "in.apkg"
    package.write_bytes(b"PK")
    for command in (["export", "anki", "-o", str(tmp_path / "x.apkg")], ["import", "anki", str(package)]):
        result = CliRunner().invoke(main, ["--db", str(synced), "--decks", str(deck_dir), *command])
        assert result.exit_code == 1, result.output
        assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
        assert "pip install 'hcflash[anki]'" in result.output
