"""A learner's two sides for the Anki sync tests: an hcflash store and an Anki collection in a
temporary folder, opened one run at a time (as the commands are), and a time machine for both.

Anki's scheduler answers cards at the real time (its clock cannot be faked), so time passes here the
other way round: every stored time on both sides moves back by the same amount, and Anki's
collection creation time with it (so its day numbers advance), which is what the cards would look
like had the time really passed. hcflash's clock is the real one, to match.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from pathlib import Path
from zoneinfo import ZoneInfo

from anki.collection import Collection
from anki.scheduler_pb2 import CardAnswer

from hcflash.anki.keys import key_for_anki_card
from hcflash.anki.notetypes import CLOZE_MODEL_ID
from hcflash.anki.review_merge import millis
from hcflash.anki.scheduling import DayFrame
from hcflash.service import StudyService
from hcflash.settings import Settings
from hcflash.store import Store
from hcflash.timeutil import utcnow

from .conftest import basic_cards, write_deck
from .decks import ANKI_DECK

ROOT = Path(__file__).resolve().parent.parent
TOLERANCE = 0.005  # the bar: hcflash and Anki within 0.5% on stability and difficulty


def zone_info(zone: str) -> tzinfo | None:
    """The zone a World names ("" is this machine's, which Anki in this process uses too)."""
    return ZoneInfo(zone) if zone else None


def rollover_far_from_now(zone: str) -> int:
    """A rollover hour twelve hours from the local time now: a test's minutes and days never cross it
    by accident, whenever the suite runs."""
    return (datetime.now(UTC).astimezone(zone_info(zone)).hour + 12) % 24


def run_in_zone(scenario: Callable[..., None], zone: str, tmp_path: Path, *args: str) -> None:
    """Run `scenario(tmp_path, zone, *args)` in a child process whose TZ is `zone` from the start:
    Anki reads the process's time zone once and keeps it, so a test set in another zone cannot run in
    the test process. The child's assertion failures come back as this one's."""
    call = (f"import sys; from pathlib import Path; from {scenario.__module__} import {scenario.__name__} as run; "
            "run(Path(sys.argv[1]), *sys.argv[2:])")
    result = subprocess.run(
        [sys.executable, "-c", call, str(tmp_path), zone, *args], cwd=ROOT, env={**os.environ, "TZ": zone}, capture_output=True, text=True,
    )
    assert result.returncode == 0, f"{scenario.__name__} in {zone} failed:\n{result.stderr[-6000:]}"


@dataclass
class World:
    root: Path
    decks: Path
    zone: str  # an IANA name, or "" for this machine's zone
    rollover: int

    @property
    def db(self) -> Path:
        return self.root / "hcflash.db"

    @property
    def collection(self) -> Path:
        return self.root / "Anki2" / "User 1" / "collection.anki2"

    def settings(self) -> Settings:
        return Settings(timezone=self.zone, rollover_hour=self.rollover, new_per_day=100)

    def create(self) -> None:
        with self.hcflash() as service:
            service.save_settings(self.settings())
        self.collection.parent.mkdir(parents=True)
        col = Collection(str(self.collection))
        col.set_config("fsrs", True)
        col.set_config("rollover", self.rollover)
        conf = col.decks.get_config(1)
        conf["new"]["perDay"] = 100
        col.decks.update_config(conf)
        assert col.sched.today >= 0  # settles the time zone offsets Anki records on first use
        col.close()

    @contextmanager
    def hcflash(self, clock=utcnow) -> Iterator[StudyService]:  # noqa: ANN001
        store = Store.open(self.db)
        try:
            service = StudyService(store, [self.decks], clock=clock)
            service.sync()
            yield service
        finally:
            store.close()

    @contextmanager
    def anki(self) -> Iterator[Collection]:
        col = Collection(str(self.collection))
        try:
            yield col
        finally:
            col.close()

    def sync(self, **kwargs):  # noqa: ANN003, ANN201
        with self.hcflash() as service:
            return service.anki_sync(self.collection, **kwargs)

    def files(self) -> tuple[bytes, bytes]:
        return self.db.read_bytes(), self.collection.read_bytes()

    # -- the time machine -----------------------------------------------------------------------

    def travel(self, days: int = 0, minutes: int = 0) -> None:
        """Let time pass on both sides (both closed): every stored moment moves back."""
        seconds = days * 86_400 + minutes * 60
        _shift_store(self.db, timedelta(seconds=seconds))
        with self.anki() as col:
            _shift_collection(col, seconds, days)


_STORE_TIMES = {
    "card_state": ("card_id", ("due", "last_review", "buried_until")),
    "cards": ("id", ("added_at", "updated_at", "content_changed_at", "retired_at")),
    "anki_collections": ("id", ("synced_at",)),
}


def _back(text: str | None, by: timedelta) -> str | None:
    if text is None:
        return None
    return (datetime.fromisoformat(text) - by).astimezone(UTC).isoformat(timespec="microseconds")


def _shift_store(path: Path, by: timedelta) -> None:
    conn = sqlite3.connect(path)
    with conn:
        for table, (key, columns) in _STORE_TIMES.items():
            for row in conn.execute(f"SELECT {key}, {', '.join(columns)} FROM {table}").fetchall():
                conn.execute(
                    f"UPDATE {table} SET {', '.join(f'{c} = ?' for c in columns)} WHERE {key} = ?",
                    [*(_back(v, by) for v in row[1:]), row[0]],
                )
        for log_id, at, before, after in conn.execute("SELECT id, reviewed_at, state_before, state_after FROM review_log").fetchall():
            snapshots = []
            for text in (before, after):
                state = json.loads(text)
                for name in ("due", "last_review", "buried_until"):
                    state[name] = _back(state[name], by)
                snapshots.append(json.dumps(state))
            conn.execute("UPDATE review_log SET reviewed_at = ?, state_before = ?, state_after = ? WHERE id = ?", [_back(at, by), *snapshots, log_id])
        # A revlog id is a time too: the pairings move with the revlog.
        conn.execute("UPDATE anki_review_links SET revlog_id = revlog_id - ?", [int(by.total_seconds() * 1000)])
    conn.close()


def _shift_collection(col: Collection, seconds: int, days: int) -> None:
    col.db.execute("UPDATE revlog SET id = -(id - ?)", seconds * 1000)
    col.db.execute("UPDATE revlog SET id = -id")
    cards = []
    for cid in col.db.list("SELECT id FROM cards"):
        card = col.get_card(cid)
        if card.last_review_time:
            card.last_review_time -= seconds
        if card.queue == 1 or (card.type in (1, 3) and card.due > 1_000_000_000):
            card.due -= seconds
        cards.append(card)
    col.update_cards(cards, skip_undo_entry=True)
    if days:
        col.crt = col.crt - days * 86_400  # Anki numbers days from its creation: today moves on


def answer_in_anki(col: Collection, count: int, rating: int = CardAnswer.GOOD, deck: str = "Interop") -> list[tuple[str, int]]:
    """Answer up to `count` cards of a deck with Anki's own scheduler, in the order it shows them:
    each answered card's note guid and template ordinal."""
    col.decks.select(col.decks.id_for_name(deck))
    answered = []
    for _ in range(count):
        card = col.sched.getCard()
        if card is None:
            break
        states = col._backend.get_scheduling_states(card.id)
        col.sched.answer_card(col.sched.build_answer(card=card, states=states, rating=rating))
        answered.append((card.note().guid, card.ord))
    return answered


def review_in_hcflash(service: StudyService, ratings: list[int]) -> list[str]:
    done = []
    for rating in ratings:
        card = service.next_card()
        if card is None:
            break
        service.rate(card.id, rating)
        done.append(card.key)
    return done


def anki_cards_by_key(col: Collection) -> dict[str, int]:
    out = {}
    for cid, guid, mid, ord_ in col.db.all("SELECT c.id, n.guid, n.mid, c.ord FROM cards c JOIN notes n ON n.id = c.nid"):
        if guid.startswith("hcflash:"):
            out[key_for_anki_card(guid.removeprefix("hcflash:"), mid == CLOZE_MODEL_ID, ord_)] = cid
    return out


def close(a: float, b: float) -> bool:
    return abs(a - b) <= TOLERANCE * max(abs(a), abs(b))


DESCRIBED = ANKI_DECK.replace("tags: [demo]", "tags: [demo]\ndescription: Messages and profiles, **by the spec**.")


def make_world(tmp_path: Path, zone: str = "") -> World:
    decks = tmp_path / "decks"
    write_deck(decks, "standards.md", DESCRIBED)
    write_deck(decks, "more.md", basic_cards("more", 6, deck="Interop::More"))
    world = World(tmp_path, decks, zone, rollover_far_from_now(zone))
    world.create()
    return world




def assert_in_step(world: World) -> int:
    """Both sides hold one history and one schedule: the same reviews of each card (rating, time),
    memory states within 0.5% (of the card in Anki and of Anki's own recomputation from its revlog),
    the same due date, and hcflash's log and states in agreement (its doctor finds nothing). Returns
    how many cards have reviews."""
    studied = 0
    with world.hcflash() as service, world.anki() as col:
        store, settings = service.store, service.settings
        doctor = service.doctor(fix=False)
        assert doctor.healthy, doctor  # each card's state is the one its newest review left
        frame = DayFrame.of(utcnow(), col.sched.today, settings)
        ids = anki_cards_by_key(col)
        for card in store.cards.every():
            history = store.log.of_card(card.id)
            revlog = col.db.all(
                "SELECT id, ease FROM revlog WHERE cid = ? AND ease BETWEEN 1 AND 4 AND type IN (0, 1, 2) ORDER BY id", ids[card.key]
            )
            assert [e.rating for e in history] == [ease for _, ease in revlog], card.key
            assert all(abs(millis(e.reviewed_at) - rid) <= 10 for e, (rid, _) in zip(history, revlog, strict=True)), card.key
            if not history:
                continue
            studied += 1
            state = store.states.get(card.id)
            anki_card = col.get_card(ids[card.key])
            computed = col.compute_memory_state(anki_card.id)
            for memory in (anki_card.memory_state, computed):
                assert close(state.stability, memory.stability), (card.key, state.stability, memory.stability)
                assert close(state.difficulty, memory.difficulty), (card.key, state.difficulty, memory.difficulty)
            if state.state == "review":
                assert (anki_card.type, anki_card.due) == (2, frame.anki_day(state.due)), card.key
            else:
                assert anki_card.type == (1 if state.state == "learning" else 3), card.key
                assert anki_card.due == int(state.due.timestamp()), card.key
    return studied
