"""`hcflash anki sync` keeps both files safe: an open collection is refused, Anki's own backup comes
first, a sync killed at any point leaves both sides as they were or is completed by the next one, and
a dry run changes nothing. Real collections, real processes, real SIGKILL."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("anki")

from anki.collection import Collection  # noqa: E402
from click.testing import CliRunner  # noqa: E402

from hcflash.cli import main  # noqa: E402
from hcflash.errors import AnkiError  # noqa: E402

from .anki_world import ROOT, World, answer_in_anki, assert_in_step, make_world, review_in_hcflash  # noqa: E402


@pytest.fixture
def world(tmp_path) -> World:
    return make_world(tmp_path)  # this machine's time zone, which Anki in this process uses too


def test_an_open_collection_is_refused_and_nothing_changes(world):
    with world.hcflash() as service:
        review_in_hcflash(service, [3])
    before = world.files()
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time; from anki.collection import Collection; c = Collection(sys.argv[1]); "
         "c.db.scalar('SELECT 1'); print('open', flush=True); time.sleep(60)", str(world.collection)],
        stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "open"
        with pytest.raises(AnkiError, match="Anki has this collection open; close Anki"):
            world.sync()
        result = CliRunner().invoke(main, ["--db", str(world.db), "--decks", str(world.decks), "anki", "sync", "--collection", str(world.collection)])
        assert result.exit_code == 1 and "close Anki" in result.output
    finally:
        holder.kill()
        holder.wait()
    assert world.files() == before


def content(world: World) -> tuple:
    """What each side holds, read the normal way (a crashed write rolled back on open)."""
    with world.hcflash() as service:
        store = service.store
        hcflash = (sorted((e.card_id, e.rating, e.reviewed_at) for entries in store.log.all().values() for e in entries),
                   sorted(store.states.all().items()), store.db.execute("SELECT COUNT(*) FROM anki_review_links").fetchone())
    with world.anki() as col:
        anki = (col.db.all("SELECT id, cid, ease FROM revlog ORDER BY id"),
                col.db.all("SELECT id, type, queue, due, ivl, data FROM cards ORDER BY id"),
                col.db.all("SELECT id, mod, flds FROM notes ORDER BY id"))
    return hcflash, anki


@pytest.mark.parametrize("phase", ["hcflash-written", "anki-written", "anki-committed"])
def test_a_sync_killed_midway_leaves_both_sides_as_before_or_is_repaired_by_the_next(world, phase):
    with world.hcflash() as service:
        review_in_hcflash(service, [3, 1])
    world.sync()
    with world.hcflash() as service:
        by_hcflash = review_in_hcflash(service, [3, 4, 3])
    world.travel(minutes=1)  # a learner is never on both sides in the same millisecond
    with world.anki() as col:
        by_anki = answer_in_anki(col, 3)
    path = world.decks / "more.md"
    # a source check accepts ("Spec" alone is HC124): sync refuses what check refuses
    path.write_text(path.read_text() + "\n## A new question? <!-- id: more-new -->\n\nNew.\n\nSource: Spec section 9\n")
    with world.hcflash():
        pass  # the deck sync takes the new card in, so the files below are what the Anki sync starts from
    files, before = world.files(), content(world)
    worker = subprocess.run(
        [sys.executable, "-m", "tests.anki_sync_worker", str(world.db), str(world.decks), str(world.collection), phase],
        cwd=ROOT, capture_output=True, text=True,
    )
    assert worker.returncode == -signal.SIGKILL, worker.stderr
    assert worker.stdout.split()[-1] == phase
    if phase == "anki-committed":
        assert content(world)[0] == before[0]  # hcflash had not committed
        assert content(world)[1] != before[1]  # Anki had
    else:
        assert world.files() == files  # neither main file was written: the writes were never committed
        assert content(world) == before
    report = world.sync()
    if phase == "anki-committed":
        assert report.reviews_to_anki == 0 and report.reviews_paired == len(by_hcflash)  # recognized, not sent twice
    else:
        assert report.reviews_to_anki == len(by_hcflash)
    assert report.reviews_from_anki == len(by_anki)
    assert assert_in_step(world) >= 4
    assert world.sync().nothing_to_do


def test_anki_takes_its_own_backup_before_the_first_write(world):
    report = world.sync()
    assert report.backup is not None and report.backup.parent == world.collection.parent / "backups"
    with _restored(world, report.backup) as col:
        assert col.note_count() == 0  # the backup is the collection as it was before hcflash wrote to it


def _restored(world: World, backup: Path):  # noqa: ANN202
    from contextlib import contextmanager

    from anki._backend import RustBackend

    @contextmanager
    def opened():
        path = world.root / "restored" / "collection.anki2"
        path.parent.mkdir()
        RustBackend().import_collection_package(
            col_path=str(path), backup_path=str(backup), media_folder=str(path.parent / "media"), media_db=str(path.parent / "media.db"),
        )
        col = Collection(str(path))
        try:
            yield col
        finally:
            col.close()

    return opened()


def test_dry_run_says_what_would_change_and_changes_nothing(world):
    with world.hcflash() as service:
        review_in_hcflash(service, [3])
    before = world.files()
    report = world.sync(dry_run=True)
    assert report.dry_run and report.notes_added == 9 and report.reviews_to_anki == 1
    assert world.files() == before


def test_a_settings_mismatch_is_reported(world):
    with world.anki() as col:
        col.set_config("fsrs", False)
        col.set_config("rollover", (world.rollover + 1) % 24)
    report = world.sync()
    assert any("FSRS is off" in w for w in report.warnings)
    assert any("rollover-hour" in w for w in report.warnings)
