"""A learner's month, driven through the real app: the bundled decks, a fake clock, ratings chosen at
random from a seed, and after every key what the learner would check.

Each simulated day opens the app straight into review (as `hcflash review` or `hcflash review DECK`
does) and studies until the day's queue is done or 40 cards were answered. The learner studies all
decks on some days and one deck on others, in turn (smallest first), so every deck's later cards (a reversed card
comes after its note's forward card) reach the screen within the month. After every key the test asserts:
- before the reveal a question is on screen and no answer; after it, the answer (a cloze's blank filled in);
- no sibling of a card already seen that day appears (burying, and "card type, then order added");
- the counts line equals `hcflash status` computed from a second connection to the same store;
- the rating previews are strictly increasing (Again < Hard < Good < Easy);
- a rating is in the log before the next card shows; an undo restores the store exactly (a dump of
  every table the review writes);
and at the end that every card kind the bundled decks hold was studied.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from pathlib import Path

import pytest
from textual import events

from hcflash.locations import bundled_decks_dir
from hcflash.service import StudyService
from hcflash.settings import Settings
from hcflash.store import Store
from hcflash.tui.app import HcflashApp
from hcflash.tui.screens.review import ReviewScreen
from hcflash.tui.screens.summary import SummaryScreen
from hcflash.tui.widgets.card_markdown import CardMarkdown

from ..conftest import FakeClock

DAYS = 30
PER_DAY = 40
RATING_WEIGHTS = {1: 15, 2: 10, 3: 60, 4: 15}
UNDO_EVERY = 9  # undo (and redo) about one answer in nine
COUNTS_RE = re.compile(r"(\d+) new · (\d+) learning · (\d+) due")


async def press(pilot, *keys: str) -> None:  # noqa: ANN001 - a Pilot
    """Pilot's press without its idle waits (two 20 ms sleeps a key): post each key as the terminal
    driver would, then let the app process everything it caused. A month of keys stays under a minute."""
    for key in keys:
        pilot.app.post_message(events.Key(key, key if len(key) == 1 else None))
        for _ in range(3):
            await pilot.pause(0)


def dump(store: Store) -> tuple:
    """Everything a review writes: the log, every card's state and the flags."""
    conn = store.db.conn
    return (
        conn.execute("SELECT * FROM review_log ORDER BY id").fetchall(),
        conn.execute("SELECT * FROM card_state ORDER BY card_id").fetchall(),
        conn.execute("SELECT * FROM card_flags ORDER BY id").fetchall(),
    )


def shown(widget: CardMarkdown) -> str:
    return widget.source if widget.display else ""


def card_kinds(card) -> set[str]:  # noqa: ANN001 - a ReviewCard
    kinds = {card.kind}
    if "|---" in card.back or "| ---" in card.back:
        kinds.add("table")
    if "```" in card.back:
        kinds.add("code")
    return kinds


@pytest.fixture
def month(tmp_path: Path):
    clock = FakeClock()
    decks = [bundled_decks_dir()]
    store = Store.open(tmp_path / "month.db")
    service = StudyService(store, decks, clock=clock)
    service.save_settings(Settings(timezone="America/New_York", fuzz=False))
    service.sync()
    second = Store.open(tmp_path / "month.db")  # `hcflash status` in another terminal: its own connection, no caches

    def status() -> StudyService:
        return StudyService(second, decks, clock=clock)

    yield service, status, clock
    second.close()
    store.close()


async def test_a_month_of_daily_review_over_the_bundled_decks(month):
    service, status, clock = month
    rng = random.Random(2026)
    studied_kinds: Counter[str] = Counter()
    undos = answers = 0
    # Smallest decks first: they are the ones a learner finishes, reaching their reversed cards.
    children = sorted((row for row in service.deck_counts() if row.name.count("::") == 1), key=lambda row: row.total)
    deck_names = [row.name for row in children]
    assert len(deck_names) > 1
    for day in range(DAYS):
        seen_notes: dict[str, str] = {}
        turn = day % (len(deck_names) + 1)
        selection = None if turn == 0 else [deck_names[turn - 1]]
        app = HcflashApp(service, decks=selection, start_review=True)
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            answered = 0
            while isinstance(app.screen, ReviewScreen) and answered < PER_DAY:
                screen = app.screen
                card = screen.card
                assert card is not None
                where = f"day {day} ({selection or 'all decks'}), card {card.key}"
                front, back = screen.query_one("#front", CardMarkdown), screen.query_one("#back", CardMarkdown)
                # The question side: a question, and nothing of the answer.
                assert shown(front) == card.front and card.front.strip(), where
                assert not shown(back), where
                # Siblings: one card per note per study day (the same card may come back from learning).
                assert seen_notes.setdefault(card.note_id, card.key) == card.key, f"{where}: sibling of {seen_notes[card.note_id]}"
                # The counts line says what `hcflash status` says from another connection.
                counts = status().queue_counts(selection)
                line = str(screen.query_one("#counts").render())
                assert COUNTS_RE.search(line).groups() == (str(counts.new), str(counts.learning), str(counts.review)), where
                await press(pilot, "space")
                # The answer side: a cloze fills its blank in place; other kinds show the back under a rule.
                if card.kind == "cloze":
                    assert shown(front) == card.back, where
                else:
                    assert shown(front) == card.front and shown(back) == card.back, where
                intervals = [p.interval for p in service.preview(card.id).values()]
                assert intervals == sorted(intervals) and len(set(intervals)) == 4, f"{where}: previews {intervals}"
                rating = rng.choices(list(RATING_WEIGHTS), weights=list(RATING_WEIGHTS.values()))[0]
                undo = rng.randrange(UNDO_EVERY) == 0
                before = dump(service.store) if undo else None
                await press(pilot, str(rating))
                log = service.store.db.conn.execute("SELECT card_id, rating FROM review_log ORDER BY id DESC LIMIT 1").fetchone()
                assert tuple(log) == (card.id, rating), where  # committed before the next card
                if undo:
                    await press(pilot, "u")
                    await pilot.pause()
                    assert dump(service.store) == before, f"{where}: undo left the store changed"
                    assert isinstance(app.screen, ReviewScreen) and app.screen.card.id == card.id, where
                    await press(pilot, "space", str(rating))
                    undos += 1
                await pilot.pause()
                studied_kinds.update(card_kinds(card))
                answered += 1
                answers += 1
            if answered < PER_DAY:
                assert isinstance(app.screen, SummaryScreen), f"day {day}: the queue ended somewhere else"
        clock.advance(days=1)
    assert answers >= DAYS * 20 and undos > 0
    held = {kind for kind in ("basic", "cloze", "reverse", "table", "code") if _bundled_decks_have(service, kind)}
    assert held <= set(studied_kinds), f"studied {dict(studied_kinds)}; the decks hold {held}"


def _bundled_decks_have(service: StudyService, kind: str) -> bool:
    conn = service.store.db.conn
    if kind in ("basic", "cloze", "reverse"):
        return conn.execute("SELECT 1 FROM cards WHERE kind = ? AND retired_at IS NULL LIMIT 1", [kind]).fetchone() is not None
    marker = "%|---%" if kind == "table" else "%```%"
    return conn.execute("SELECT 1 FROM cards WHERE answer LIKE ? AND retired_at IS NULL LIMIT 1", [marker]).fetchone() is not None
