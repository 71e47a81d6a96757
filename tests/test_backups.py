"""Backups that can always restore: checked before they count, never half-written, never pruned down
to nothing, kept apart per store; a damaged store is seen, reported and restorable."""

from __future__ import annotations

import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from hcflash.backups import backup_dir, backups_of
from hcflash.cli import main
from hcflash.errors import StoreError
from hcflash.service import StudyService
from hcflash.settings import Settings
from hcflash.store import Store

from .conftest import FakeClock, basic_cards, write_deck

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str, input: str | None = None, env: dict[str, str] | None = None):
    return CliRunner().invoke(main, list(args), input=input, env=env, catch_exceptions=False)


def studied_store(db: Path, decks: Path, ratings: int = 5, cards: int = 30) -> None:
    for part in range(0, cards, 1000):
        write_deck(decks, f"p{part}.md", basic_cards(f"p{part}", min(1000, cards - part)))
    with Store.open(db) as store:
        service = StudyService(store, [decks], clock=FakeClock())
        service.save_settings(Settings(fuzz=False, new_per_day=1000))
        service.sync()
        for _ in range(ratings):
            service.rate(service.next_card().id, 4)


def review_count(db: Path) -> int:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT COUNT(*) FROM review_log NOT INDEXED").fetchone()[0]
    finally:
        conn.close()


def damage_index_page(db: Path, index: str = "idx_log_time") -> None:
    """Overwrite one page in the middle of the file (an index's root) with random bytes: the store
    still opens, but SQLite's checks fail."""
    conn = sqlite3.connect(db)
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", [index]).fetchone()[0]
    conn.close()
    rng = random.Random(18)
    with open(db, "r+b") as handle:
        handle.seek((root - 1) * page_size)
        handle.write(bytes(rng.randrange(256) for _ in range(page_size)))


def sound(path: Path) -> bool:
    return Store.inspect_file(path) == []


# -- a damaged store ---------------------------------------------------------------------------

def test_a_damaged_store_is_never_backed_up_and_pruning_keeps_the_good_backups(tmp_path, deck_dir):
    db = tmp_path / "s.db"
    studied_store(db, deck_dir)
    clock = FakeClock()
    with Store.open(db) as store:
        service = StudyService(store, [deck_dir], clock=clock)
        service.set_setting("backups-kept", "3")
        good = []
        for _ in range(3):
            good.append(service.backup())
            clock.advance(hours=1)
    damage_index_page(db)
    with Store.open(db) as store:  # the store still opens: only one index page is damaged
        service = StudyService(store, [deck_dir], clock=clock)
        for _ in range(3):
            clock.advance(hours=1)
            with pytest.raises(StoreError, match="the store is damaged .*the backup was not taken"):
                service.backup()
        clock.advance(days=1)
        with pytest.raises(StoreError, match="damaged"):
            service.daily_backup()
    assert [b.path for b in backups_of(db)] == good
    assert all(sound(p) for p in good)
    assert not [p for p in backup_dir(db).iterdir() if p not in good], "a temporary copy was left behind"


def damaged_after_a_good_backup(tmp_path: Path, decks: Path, index: str = "idx_log_time") -> tuple[Path, Path, int]:
    """A studied store, a good backup of it, then damage on `index`'s root page: the store, the
    backup and how many reviews the store held."""
    db = tmp_path / "s.db"
    studied_store(db, decks)
    with Store.open(db) as store:
        good = StudyService(store, [decks], clock=FakeClock()).backup()
    before = review_count(db)
    damage_index_page(db, index)
    return db, good, before


def test_commands_refuse_to_write_to_a_damaged_store_and_name_the_good_backup(tmp_path, deck_dir):
    db, good, before = damaged_after_a_good_backup(tmp_path, deck_dir)
    for command in (["sync"], ["review", "--plain"], ["backup"]):
        result = run("--db", str(db), "--decks", str(deck_dir), *command, input="\n3\n")
        assert result.exit_code == 1, (command, result.output)
        assert "the store is damaged" in result.output and f"hcflash restore {good}" in result.output
        assert "Traceback" not in result.output
    assert review_count(db) == before  # no rating was written


def held_quick_check(monkeypatch, observe=lambda: threading.current_thread().name) -> tuple[threading.Event, list, list[list[str]]]:
    """SQLite's quick check, held until the event is set: (the event, what `observe` saw as each
    check began, each finished check's problems)."""
    from hcflash.store import soundness

    release, begun, finished = threading.Event(), [], []
    checked = soundness.quick_check

    def slow_check(conn, path):
        begun.append(observe())
        release.wait(10)
        problems = checked(conn, path)
        finished.append(problems)
        return problems

    monkeypatch.setattr(soundness, "quick_check", slow_check)
    return release, begun, finished


def test_a_review_session_starts_beside_the_quick_check_and_its_first_write_waits_for_it(tmp_path, deck_dir, monkeypatch):
    """The TUI's start (`Session.service(interactive=True)`): reads go on before the check; the
    first rating starts it if nothing has, and is written only once the check has passed."""
    db = tmp_path / "s.db"
    studied_store(db, deck_dir, ratings=1)
    release, begun, finished = held_quick_check(monkeypatch)
    with Store.open(db) as store:
        service = StudyService(store, [deck_dir], clock=FakeClock())
        service.maintenance.ensure_sound(beside=True)
        assert service.sync().nothing_changed  # a sync with nothing to change writes nothing: it does not wait
        card = service.next_card()
        service.preview(card.id)
        assert begun == [] and store.db.gate is not None  # the first card is up; the check has not begun
        threading.Timer(0.2, release.set).start()
        service.rate(card.id, 3)
        assert begun == ["hcflash-quick-check"] and finished == [[]]  # the rating ran the check and waited for it
        assert store.db.gate is None  # and later writes no longer ask
    assert review_count(db) == 2


def test_a_damaged_store_found_beside_a_session_refuses_its_first_write(tmp_path, deck_dir):
    # Damage on a page no review reads or writes: only the check can find it.
    db, good, before = damaged_after_a_good_backup(tmp_path, deck_dir, "idx_flags_card")
    with Store.open(db) as store:
        service = StudyService(store, [deck_dir], clock=FakeClock())
        service.maintenance.ensure_sound(beside=True)
        card = service.next_card()  # reads still answer
        service.preview(card.id)
        for _ in range(2):  # refused, and refused again: the gate stays shut
            with pytest.raises(StoreError, match="(?s)the store is damaged .*nothing was written") as refused:
                service.rate(card.id, 3)
            assert f"hcflash restore {good}" in str(refused.value)
    assert review_count(db) == before  # nothing was written


@pytest.mark.parametrize("flag", [[], ["--check-only"]])
def test_the_doctor_reports_a_damaged_store_instead_of_crashing(tmp_path, deck_dir, flag):
    db = tmp_path / "s.db"
    studied_store(db, deck_dir)
    with Store.open(db) as store:
        good = StudyService(store, [deck_dir], clock=FakeClock()).backup()
    damage_index_page(db)
    result = run("--db", str(db), "--decks", str(deck_dir), "doctor", *flag)
    assert result.exit_code == 1
    assert "Integrity: " in result.output
    assert f"hcflash restore {good}" in result.output
    assert "The store is healthy" not in result.output


def test_restore_puts_a_backup_back_over_a_garbage_store_and_keeps_the_garbage_aside(tmp_path, deck_dir):
    db = tmp_path / "s.db"
    studied_store(db, deck_dir, ratings=4)
    with Store.open(db) as store:
        good = StudyService(store, [deck_dir], clock=FakeClock()).backup()
    garbage = b"garbage" * 1000
    db.write_bytes(garbage)
    advised = run("--db", str(db), "--decks", str(deck_dir), "status")
    assert advised.exit_code == 1 and f"hcflash restore {good}" in advised.output
    result = run("--db", str(db), "restore", str(good), "--yes")
    assert result.exit_code == 0, result.output
    assert "The damaged store is kept at" in result.output
    assert review_count(db) == 4 and sound(db)
    [aside] = tmp_path.glob("s.db.damaged-*")
    assert aside.read_bytes() == garbage
    assert run("--db", str(db), "--decks", str(deck_dir), "status").exit_code == 0


def test_restore_into_a_store_whose_page_size_differs(tmp_path, deck_dir):
    db = tmp_path / "s.db"
    studied_store(db, deck_dir, ratings=3)
    small = tmp_path / "small-pages.db"
    with Store.open(db) as store:
        StudyService(store, [deck_dir], clock=FakeClock()).backup().rename(small)
    conn = sqlite3.connect(small)
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.execute("PRAGMA page_size = 1024")
    conn.execute("VACUUM")
    conn.close()
    assert sqlite3.connect(small).execute("PRAGMA page_size").fetchone()[0] == 1024
    run("--db", str(db), "--decks", str(deck_dir), "review", "--plain", input="\n3\nq\n")
    assert review_count(db) == 4
    result = run("--db", str(db), "restore", str(small), "--yes")
    assert result.exit_code == 0, result.output
    assert review_count(db) == 3 and sound(db)


@pytest.mark.parametrize("name", ["a?b.db", "a#b.db", "a%3Fb.db"])
def test_restore_reads_exactly_the_file_named(tmp_path, deck_dir, name):
    db = tmp_path / "s.db"
    studied_store(db, deck_dir, ratings=2)
    folder = tmp_path / "dir"
    folder.mkdir()
    with Store.open(db) as store:
        StudyService(store, [deck_dir], clock=FakeClock()).backup().rename(folder / name)  # 2 reviews
    run("--db", str(db), "--decks", str(deck_dir), "review", "--plain", input="\n3\nq\n")
    with Store.open(db) as store:
        StudyService(store, [deck_dir], clock=FakeClock()).backup().rename(folder / "a")  # 3 reviews: the wrong file
    result = run("--db", str(db), "restore", str(folder / name), "--yes")
    assert result.exit_code == 0, result.output
    assert review_count(db) == 2
    assert sorted(p.name for p in folder.iterdir()) == sorted(["a", name]), "a stray file was created"


# -- backups that are only ever whole -----------------------------------------------------------

BACKUP_LOOP = """
import sys
from pathlib import Path
from hcflash.service import StudyService
from hcflash.settings import Settings
from hcflash.store import Store
service = StudyService(Store.open(Path(sys.argv[1])), [])
service.save_settings(Settings(backups_kept=10_000))
print("go", flush=True)
while True:
    service.backup()
"""


def test_a_killed_backup_never_leaves_a_file_that_counts_as_a_backup(tmp_path, deck_dir):
    db = tmp_path / "big.db"
    studied_store(db, deck_dir, ratings=50, cards=3000)
    rng = random.Random(3)
    for _ in range(6):
        proc = subprocess.Popen([sys.executable, "-c", BACKUP_LOOP, str(db)], cwd=ROOT, stdout=subprocess.PIPE, text=True)
        assert proc.stdout.readline().strip() == "go"
        time.sleep(0.05 + rng.random() * 0.3)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        proc.stdout.close()
    found = backups_of(db)
    assert found, "no backup finished at all"
    assert [b.path for b in found if not sound(b.path)] == []


def test_backups_of_two_stores_in_one_folder_are_kept_apart(tmp_path, deck_dir):
    write_deck(deck_dir, "a.md", basic_cards("a", 3))
    clock = FakeClock()
    paths = {}
    for name in ("a", "b"):
        with Store.open(tmp_path / f"{name}.db") as store:
            service = StudyService(store, [deck_dir], clock=clock)
            service.set_setting("backups-kept", "2")
            paths[name] = [service.daily_backup()]
            for _ in range(3):
                clock.advance(hours=1)
                paths[name].append(service.backup())
    for name in ("a", "b"):
        kept = backups_of(tmp_path / f"{name}.db")
        assert [b.path for b in kept] == paths[name][-2:]
        assert all(b.path.name.startswith(f"{name}-") for b in kept)
    assert paths["b"][0] is not None and paths["b"][0].name.endswith("-daily.db")


def test_daily_backups_go_on_after_a_clock_that_ran_ahead_is_corrected(tmp_path, deck_dir):
    write_deck(deck_dir, "a.md", basic_cards("a", 3))
    clock = FakeClock(datetime(2036, 5, 1, 12, tzinfo=UTC))
    with Store.open(tmp_path / "s.db") as store:
        service = StudyService(store, [deck_dir], clock=clock)
        service.set_setting("backups-kept", "1")
        future = service.daily_backup()
        assert future is not None and "2036" in future.name
        clock.now = datetime(2026, 3, 2, 15, tzinfo=UTC)  # the clock is put right
        today = service.daily_backup()
        assert today is not None, "the 2036 backup counted as today's"
        assert [b.path for b in backups_of(store.path, clock.now)] == [today], "pruning kept the 2036 copy over today's"
        assert service.daily_backup() is None
        clock.advance(days=1)
        assert service.daily_backup() is not None


def test_a_backups_name_gives_its_time_and_an_impossible_date_is_no_backup(tmp_path):
    db = tmp_path / "s.db"
    folder = backup_dir(db)
    folder.mkdir()
    good = folder / "s-20260302T150405123456Z-manual.db"
    for path in (good, folder / "s-20261302T150405123456Z-manual.db", folder / "s-20260230T150405123456Z-daily.db"):
        path.write_bytes(b"")  # the second has a month 13, the third a 30 February
    found = backups_of(db, datetime(2026, 3, 3, tzinfo=UTC))
    assert [(b.path, b.taken, b.label) for b in found] == [(good, datetime(2026, 3, 2, 15, 4, 5, 123456, tzinfo=UTC), "manual")]


def test_stale_temporary_copies_are_removed_and_never_listed(tmp_path, deck_dir):
    db = tmp_path / "s.db"
    studied_store(db, deck_dir)
    folder = backup_dir(db)
    folder.mkdir()
    stale = folder / ".s-20260302T150000000000Z-manual.db.partial"
    stale.write_bytes(b"half a copy")
    journal = folder / ".s-20260302T150000000000Z-manual.db.partial-journal"
    journal.write_bytes(b"hot")
    old = time.time() - 3600
    import os

    for path in (stale, journal):
        os.utime(path, (old, old))
    assert backups_of(db) == []
    with Store.open(db) as store:
        made = StudyService(store, [deck_dir], clock=FakeClock()).backup()
    assert sorted(folder.iterdir()) == [made]


@pytest.mark.parametrize("journal", ["WAL", "DELETE"])
def test_a_store_from_a_newer_hcflash_is_left_byte_for_byte(tmp_path, journal):
    """Refused before any pragma touches it: in WAL mode, and in rollback-journal mode too."""
    db = tmp_path / "s.db"
    assert run("--db", str(db), "config").exit_code == 0
    conn = sqlite3.connect(db)
    conn.execute(f"PRAGMA journal_mode = {journal}")
    conn.execute("INSERT INTO _sqlite_migrations(migration_set, name, applied_at) VALUES ('hcflash', 'm999_future', 'x')")
    conn.commit()
    conn.close()
    before = db.read_bytes()
    result = run("--db", str(db), "status")
    assert result.exit_code == 1 and "newer hcflash" in result.output
    assert db.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("s.db")) == ["s.db"]


def test_a_db_in_a_folder_that_does_not_exist_is_an_error(tmp_path):
    missing = tmp_path / "no-such-folder" / "store.db"
    result = run("--db", str(missing), "status")
    assert result.exit_code == 1 and "does not exist" in result.output
    assert not missing.parent.exists()


def test_the_default_data_folder_is_created_on_first_use(tmp_path, deck_dir):
    write_deck(deck_dir, "a.md", basic_cards("a", 1))
    data = tmp_path / "xdg-data"
    result = run("--decks", str(deck_dir), "status", env={"XDG_DATA_HOME": str(data), "HCFLASH_DB": ""})
    assert result.exit_code == 0, result.output
    assert (data / "hcflash" / "hcflash.db").is_file()


def test_check_only_never_creates_a_store(tmp_path, deck_dir):
    write_deck(deck_dir, "a.md", basic_cards("a", 1))
    db = tmp_path / "s.db"
    assert run("--db", str(db), "check", str(deck_dir)).exit_code == 0
    assert run("--db", str(db), "check", "--fix", str(deck_dir)).exit_code == 0
    assert not db.exists()


def test_a_pre_migration_backup_is_checked(tmp_path):
    db = tmp_path / "old.db"
    Store.open(db).close()
    conn = sqlite3.connect(db)
    conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'm004_rendered_html'")
    conn.execute("DROP TABLE card_html")
    conn.commit()
    conn.close()
    Store.open(db).close()
    [made] = backups_of(db)
    assert made.label == "pre-migration" and sound(made.path)
    assert made.taken > datetime.now(UTC) - timedelta(minutes=5)
