"""Reliability and safety: crashes, concurrent sessions, interrupted syncs, backups, the doctor,
hostile deck files, and time that misbehaves."""

from __future__ import annotations

import json
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hcflash.backups import backups_of
from hcflash.check import fix_paths
from hcflash.deck import decode_deck_bytes, parse_deck
from hcflash.errors import DeckError, StoreError
from hcflash.records import CardState
from hcflash.service import StudyService
from hcflash.settings import Settings
from hcflash.store import Store

from .conftest import FakeClock, basic_cards, write_deck

ROOT = Path(__file__).resolve().parent.parent
HOSTILE = Path(__file__).parent / "fixtures" / "hostile"


def worker(db: Path, decks: Path, *extra: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.review_worker", str(db), str(decks), *extra],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


def assert_consistent(db: Path) -> None:
    """Every card's state is the state its newest review recorded (or new, if never reviewed)."""
    with Store.open(db) as store:
        logged = store.log.last_states()
        for card_id, state in store.states.all().items():
            if card_id in logged:
                expected = logged[card_id]
                assert (state.state, state.due, state.reps) == (expected.state, expected.due, expected.reps)
            else:
                assert state.state == "new"


# -- crashes and concurrency -----------------------------------------------------------------

def test_ratings_survive_sigkill_at_random_points(tmp_path, deck_dir):
    write_deck(deck_dir, "a.md", basic_cards("a", 300))
    db = tmp_path / "crash.db"
    rng = random.Random(2026)
    acknowledged: list[int] = []
    for _ in range(4):
        proc = worker(db, deck_dir)
        wanted = rng.randint(3, 40)
        for _ in range(wanted):
            line = proc.stdout.readline()
            assert line, proc.stderr.read()
            acknowledged.append(int(line))
        time.sleep(rng.random() * 0.02)  # kill between, or in the middle of, later ratings
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        with Store.open(db) as store:
            ids = {r[0] for r in store.db.conn.execute("SELECT id FROM review_log")}
        assert set(acknowledged) <= ids, "a rating acknowledged before the kill is missing"
        assert_consistent(db)


def test_readers_beside_an_open_review_session_answer_with_every_committed_rating(tmp_path, deck_dir):
    write_deck(deck_dir, "a.md", basic_cards("a", 50))
    db = tmp_path / "busy.db"
    first = worker(db, deck_dir, "--limit", "3", "--hold")
    rated = [first.stdout.readline() for _ in range(3)]
    assert all(rated) and first.stdout.readline().strip() == "holding"  # the session is open, its store too
    status = subprocess.run(
        [sys.executable, "-m", "hcflash", "--db", str(db), "--decks", str(deck_dir), "status"],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
    )
    with sqlite3.connect(db) as conn:  # any SQLite tool reads too
        logged = conn.execute("SELECT COUNT(*) FROM review_log").fetchone()[0]
    first.kill()
    first.wait()
    assert status.returncode == 0, status.stderr
    # The worker allows 10,000 new cards a day: 47 left new; the three rated are learning (Again, Good) or review (Easy).
    assert "47 new" in status.stdout and logged == 3
    assert_consistent(db)


def test_two_processes_sharing_a_store_both_keep_every_rating(tmp_path, deck_dir):
    write_deck(deck_dir, "a.md", basic_cards("a", 200))
    db = tmp_path / "shared.db"
    with Store.open(db) as store:
        service = StudyService(store, [deck_dir])
        service.save_settings(Settings(new_per_day=10_000, reviews_per_day=10_000))
        service.sync()
    procs = [worker(db, deck_dir, "--shared", "--limit", "40") for _ in range(2)]
    outputs = [p.communicate(timeout=120) for p in procs]
    assert all(p.returncode == 0 for p in procs), [o[1] for o in outputs]
    ids = [int(line) for out, _ in outputs for line in out.split()]
    assert len(ids) == 80 and len(set(ids)) == 80
    with Store.open(db) as store:
        assert store.log.count() == 80
    assert_consistent(db)


def test_a_sync_killed_midway_leaves_the_store_as_it_was(tmp_path):
    decks = tmp_path / "decks"
    for part in range(40):
        write_deck(decks, f"p{part:02d}.md", basic_cards(f"p{part}", 100, deck=f"Big::P{part}"))
    db = tmp_path / "sync.db"
    with Store.open(db) as store:
        before = store.cards.count()
    script = (
        "import sys; from pathlib import Path; from hcflash.store import Store; from hcflash.service import StudyService; "
        "s = StudyService(Store.open(Path(sys.argv[1])), [Path(sys.argv[2])]); print('go', flush=True); s.sync(); print('done', flush=True)"
    )
    proc = subprocess.Popen([sys.executable, "-c", script, str(db), str(decks)], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "go"
    time.sleep(0.3)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    with Store.open(db) as store:
        count = store.cards.count()
        assert count in (before, 4000), f"a partial sync is visible: {count} cards"
        assert store.integrity.problems() == []


# -- backups, restore, doctor ------------------------------------------------------------------

def test_daily_backup_once_per_study_day_and_pruned(service, deck_dir, clock):
    write_deck(deck_dir, "a.md", basic_cards("a", 3))
    service.sync()
    service.set_setting("backups-kept", "2")
    first = service.daily_backup()
    assert first is not None and first.exists()
    assert service.daily_backup() is None  # same study day
    clock.advance(days=1)
    assert service.daily_backup() is not None
    clock.advance(days=1)
    service.daily_backup()
    assert len(backups_of(service.store.path)) == 2


def test_restore_checks_the_file_and_keeps_the_current_store(service, deck_dir, tmp_path):
    write_deck(deck_dir, "a.md", basic_cards("a", 2))
    service.sync()
    card = service.next_card()
    service.rate(card.id, 3)
    saved = service.backup()
    service.rate(service.next_card().id, 4)
    assert service.store.log.count() == 2

    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database at all" * 100)
    with pytest.raises(StoreError, match="cannot restore"):
        service.restore(junk)
    assert service.store.log.count() == 2

    safety = service.restore(saved)
    assert service.store.log.count() == 1
    assert safety.exists() and Store.inspect_file(safety) == []


def test_a_damaged_store_names_the_newest_backup(tmp_path, deck_dir):
    db = tmp_path / "s.db"
    with Store.open(db) as store:
        newest = StudyService(store, [deck_dir]).backup()
    db.write_bytes(b"garbage" * 1000)
    for suffix in ("-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    with pytest.raises(StoreError) as err:
        Store.open(db)
    assert str(newest) in str(err.value) and "hcflash restore" in str(err.value)


def test_doctor_rebuilds_states_that_disagree_with_the_log(service, deck_dir):
    write_deck(deck_dir, "a.md", basic_cards("a", 3))
    service.sync()
    reviewed = service.next_card()
    service.rate(reviewed.id, 4)
    good = service.store.states.get(reviewed.id)
    service.store.states.save(good.with_changes(state="learning", reps=99))
    never = service.store.cards.by_key("a-q3").id
    service.store.states.save(CardState(card_id=never, state="review", reps=3))
    report = service.doctor()
    assert set(report.rebuilt_cards) == {reviewed.id, never}
    assert service.store.states.get(reviewed.id) == good
    assert service.store.states.get(never).state == "new"
    assert service.doctor().healthy


# -- hostile deck files -----------------------------------------------------------------------

HOSTILE_EXPECTED = {
    "invalid-utf8.md": ("HC100", 3),
    "binary.md": ("HC100", 3),  # the NUL byte comes after the PNG signature's two line breaks
    "empty.md": ("HC103", 1),
    "broken-yaml.md": ("HC101", 3),
    "yaml-tag.md": ("HC101", 2),
    "duplicate-keys.md": ("HC101", 4),
    "deep-nesting.md": ("HC106", 7),
    "yaml-alias-bomb.md": ("HC101", 2),  # nine levels of nine aliases: a 387-million-item deck name if expanded
    "yaml-list-key.md": ("HC101", 3),  # `? [a, b]`: a key that is a list
    "yaml-deep-nesting.md": ("HC101", 2),  # 3,000 nested `[`
    "unclosed-front-matter.md": ("HC101", 1),
    "cloze-huge-number.md": ("HC130", 1),  # {{c99999999999999999999::x}} overflows SQLite's integer
    "cloze-nested.md": ("HC130", 3),
    "id-comment-mid-heading.md": ("HC111", 3),
}


def store_snapshot(store: Store) -> list:
    return [store.db.conn.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall() for t in ("cards", "card_state", "review_log", "deck_files")]


@pytest.mark.parametrize("name", sorted(HOSTILE_EXPECTED))
def test_each_hostile_file_is_a_clear_error_and_changes_nothing(name, service, deck_dir):
    write_deck(deck_dir, "good.md", basic_cards("g", 2))
    service.sync()
    before = store_snapshot(service.store)
    shutil.copy(HOSTILE / name, deck_dir / name)
    with pytest.raises(DeckError) as err:
        service.sync()
    issue = err.value.issues[0]
    assert (issue.code, issue.line, issue.path.name) == (*HOSTILE_EXPECTED[name], name)
    assert store_snapshot(service.store) == before


def test_enormous_files_and_lines_are_refused_cheaply(service, deck_dir):
    write_deck(deck_dir, "good.md", basic_cards("g", 1))
    service.sync()
    before = store_snapshot(service.store)
    (deck_dir / "huge.md").write_bytes(b"## Q <!-- id: h-q -->\n\n" + b"word " * 1_200_000)
    with pytest.raises(DeckError) as err:
        service.sync()
    assert (err.value.issues[0].code, err.value.issues[0].line) == ("HC104", 1)
    (deck_dir / "huge.md").write_text("## Q <!-- id: h-q -->\n\nok\n\n" + "x" * 30_000 + "\n")
    with pytest.raises(DeckError) as err:
        service.sync()
    assert (err.value.issues[0].code, err.value.issues[0].line) == ("HC105", 5)
    assert store_snapshot(service.store) == before


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=400))
def test_any_bytes_give_cards_or_a_deck_error_nothing_else(data):
    try:
        deck = parse_deck(decode_deck_bytes(data, Path("x.md")), Path("x.md"))
    except DeckError as exc:
        assert exc.issues and all(i.line >= 1 for i in exc.issues)
        return
    assert all(n.line >= 1 for n in deck.notes)


card_line = st.builds(
    lambda q, with_id, answer: (f"## {q}" + (f" <!-- id: t-{abs(hash(q)) % 10**8} -->" if with_id else ""), answer),
    st.text(alphabet="abcdefghij klmno?", min_size=1, max_size=30).filter(lambda q: q.strip()),
    st.booleans(),
    st.text(alphabet="abc xyz\n*-", max_size=40),
)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(card_line, max_size=8), st.booleans())
def test_check_fix_is_idempotent(tmp_path, cards, crlf):
    folder = Path(tempfile.mkdtemp(dir=tmp_path))
    body = "".join(f"{heading}\n\n{answer}\n\nSource: IHE ITI TF-1, 5\n\n" for heading, answer in cards)
    if crlf:
        body = body.replace("\n", "\r\n")
    path = folder / "deck.md"
    path.write_bytes(("---\nid-prefix: t\n---\n" + body).encode())
    fix_paths([folder])
    once = path.read_bytes()
    assert fix_paths([folder]) == {}
    assert path.read_bytes() == once


# -- time -----------------------------------------------------------------------------------

def test_all_stored_times_are_utc(service, deck_dir):
    write_deck(deck_dir, "a.md", basic_cards("a", 1))
    service.sync()
    card = service.next_card()
    service.rate(card.id, 3)
    row = service.store.db.conn.execute("SELECT reviewed_at, state_after FROM review_log").fetchone()
    assert row[0].endswith("+00:00")
    after = json.loads(row[1])
    assert after["due"].endswith("+00:00") and after["last_review"].endswith("+00:00")


def test_day_boundaries_hold_across_a_daylight_saving_change(service, deck_dir, clock):
    # New York falls back on Sunday 2026-11-01: that study day is 25 hours long.
    service.set_setting("new-per-day", "1")
    write_deck(deck_dir, "a.md", basic_cards("a", 3))
    service.sync()
    clock.now = datetime(2026, 10, 31, 9, 0, tzinfo=UTC)  # 05:00 EDT Saturday
    start, end = service.day_bounds()
    assert (start.hour, end.hour) == (8, 9)  # 04:00 EDT, then 04:00 EST
    assert end - start == timedelta(hours=25)
    service.rate(service.next_card().id, 4)
    assert service.queue_counts().new == 0
    clock.now = datetime(2026, 11, 1, 8, 30, tzinfo=UTC)  # 03:30 EST: still Saturday's study day
    assert service.queue_counts().new == 0
    clock.now = datetime(2026, 11, 1, 9, 1, tzinfo=UTC)  # 04:01 EST: Sunday's
    assert service.queue_counts().new == 1


def test_a_clock_that_moves_backwards_between_sessions_does_no_harm(store, deck_dir):
    clock = FakeClock()
    write_deck(deck_dir, "a.md", basic_cards("a", 2))
    first = StudyService(store, [deck_dir], clock=clock)
    first.save_settings(Settings(timezone="America/New_York", fuzz=False))
    first.sync()
    card = first.next_card()
    first.rate(card.id, 4)
    graduated = store.states.get(card.id)

    clock.now = clock.now - timedelta(hours=30)  # the next session starts "yesterday"
    second = StudyService(store, [deck_dir], clock=clock)
    other = second.next_card()
    assert other.id != card.id
    second.rate(other.id, 3)
    clock.now = graduated.due + timedelta(days=1)
    while (due := second.next_card()) is not None and due.id != card.id:
        second.rate(due.id, 4)
    assert due is not None and due.id == card.id
    previews = second.preview(card.id)
    second.rate(card.id, 3)
    after = store.states.get(card.id)
    assert after == previews[3].state and after.stability > 0 and after.due > graduated.due


def test_two_sessions_rating_the_same_card_apply_both_ratings_in_turn(tmp_path, deck_dir):
    write_deck(deck_dir, "a.md", basic_cards("a", 1))
    db = tmp_path / "race.db"
    clock = FakeClock()
    one = StudyService(Store.open(db), [deck_dir], clock=clock)
    one.save_settings(Settings(fuzz=False))
    one.sync()
    two = StudyService(Store.open(db), [deck_dir], clock=clock)
    card = one.next_card()
    assert two.next_card().id == card.id
    one.preview(card.id)
    two.preview(card.id)  # both computed their intervals from the same "new" state
    first = one.rate(card.id, 3)
    clock.advance(seconds=5)
    second = two.rate(card.id, 1)
    assert second.before == first.after  # the second rating was applied on top of the first
    with Store.open(db) as store:
        assert [e.rating for e in store.log.of_card(card.id)] == [3, 1]
        assert store.states.get(card.id) == second.after
    one.store.close()
    two.store.close()


def test_reviews_from_a_clock_that_ran_ahead_count_as_given_now_once_it_is_corrected(store, deck_dir):
    write_deck(deck_dir, "a.md", basic_cards("a", 3))
    clock = FakeClock(datetime(2036, 5, 1, 15, tzinfo=UTC))  # ten years ahead
    service = StudyService(store, [deck_dir], clock=clock)
    service.save_settings(Settings(timezone="America/New_York", fuzz=False))
    service.sync()
    card = service.next_card()
    service.rate(card.id, 3)
    service.rate(card.id, 3)  # graduates: due days after 2036-05-01
    ahead = store.states.get(card.id)
    interval = ahead.due - ahead.last_review
    clock.now = datetime(2026, 3, 2, 15, tzinfo=UTC)  # the clock is put right
    corrected = StudyService(store, [deck_dir], clock=clock)
    assert corrected.maintenance.clamp_future_reviews() == 2
    state = store.states.get(card.id)
    assert state.last_review == clock.now and state.due - state.last_review == interval
    assert all(e.reviewed_at == clock.now for e in store.log.of_card(card.id))
    assert corrected.doctor(fix=False).healthy, "the log and the card state still agree"
    clock.advance(days=interval.days + 1)
    assert corrected.next_card().id == card.id, "the card comes back due, not in 2036"
    assert corrected.maintenance.clamp_future_reviews() == 0


def test_the_cli_says_when_it_moves_reviews_from_the_future(tmp_path, deck_dir):
    from click.testing import CliRunner

    from hcflash.cli import main

    write_deck(deck_dir, "a.md", basic_cards("a", 2))
    db = tmp_path / "s.db"
    with Store.open(db) as store:
        service = StudyService(store, [deck_dir], clock=FakeClock(datetime(2036, 5, 1, 15, tzinfo=UTC)))
        service.sync()
        service.rate(service.next_card().id, 4)
    result = CliRunner().invoke(main, ["--db", str(db), "--decks", str(deck_dir), "status"])
    assert result.exit_code == 0 and "1 review(s) were dated in the future" in result.output
    assert "dated in the future" not in CliRunner().invoke(main, ["--db", str(db), "--decks", str(deck_dir), "status"]).output
