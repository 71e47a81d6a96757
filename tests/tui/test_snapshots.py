"""Snapshots of the main screens (fixed clock, fuzz off). Update with --snapshot-update."""

from __future__ import annotations

import pytest

from hcflash.service import StudyService
from hcflash.settings import Settings
from hcflash.store import Store
from hcflash.tui.app import HcflashApp

from ..conftest import write_deck
from ..decks import KINDS_DECKS


def test_home(make_app, snap_compare):
    assert snap_compare(make_app(), terminal_size=(80, 24))


def test_question(make_app, snap_compare):
    assert snap_compare(make_app(start_review=True), terminal_size=(80, 24))


def test_answer(make_app, snap_compare):
    assert snap_compare(make_app(start_review=True), press=["space"], terminal_size=(80, 24))


def test_summary(make_app, snap_compare):
    app = make_app(decks=["Interop::Rules"])
    assert snap_compare(app, press=["space", "4"], terminal_size=(80, 24))


def test_browse(make_app, snap_compare):
    assert snap_compare(make_app(), press=["b"], terminal_size=(80, 24))


def test_stats(make_app, snap_compare, tui_service, clock):
    # A week of history so the charts have something to draw.
    for day in range(7):
        card = tui_service.next_card()
        if card is None:
            break
        tui_service.rate(card.id, 1 if day == 3 else 4)
        clock.advance(days=1)

    async def open_stats_and_wait(pilot):
        await pilot.press("t")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=(80, 40), run_before=open_stats_and_wait)


@pytest.fixture
def kinds_service(tmp_path, clock):
    decks = tmp_path / "kinds"
    for name, text in KINDS_DECKS.items():
        write_deck(decks, name, text)
    store = Store.open(tmp_path / "kinds.db")
    service = StudyService(store, [decks], clock=clock)
    # Sibling burying off, so the reversed card follows its forward card in one session.
    service.save_settings(Settings(timezone="America/New_York", fuzz=False, bury_new=False))
    service.sync()
    yield service
    store.close()


@pytest.mark.parametrize(
    ("deck", "keys", "size"),
    [
        ("Kinds::Cloze", [], (80, 24)),
        ("Kinds::Cloze", ["space"], (80, 24)),
        ("Kinds::Reverse", ["space", "4"], (80, 24)),  # the reversed card: the definition asks for the term
        ("Kinds::Reverse", ["space", "4", "space"], (80, 24)),
        ("Kinds::Code", ["space"], (80, 24)),  # the long PID line wraps
        ("Kinds::Code", ["space"], (40, 12)),  # small terminal: all four ratings stay on screen
        ("Kinds::Code", ["space"], (200, 50)),  # wide terminal: a readable measure, centred
    ],
    ids=["cloze-question", "cloze-answer", "reverse-question", "reverse-answer", "code-answer", "answer-40x12", "answer-200x50"],
)
def test_card_kinds_and_sizes(kinds_service, snap_compare, deck, keys, size):
    assert snap_compare(HcflashApp(kinds_service, decks=[deck]), press=keys, terminal_size=size)
