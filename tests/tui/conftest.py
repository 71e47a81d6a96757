"""A small deterministic collection for the TUI: fixed clock, fuzz off, fixed zone."""

from __future__ import annotations

from pathlib import Path

import pytest

from hcflash.service import StudyService
from hcflash.settings import Settings
from hcflash.store import Store
from hcflash.tui.app import HcflashApp

from ..conftest import FakeClock, write_deck
from ..decks import OTHER_DECK, TUI_DECK


@pytest.fixture
def tui_service(tmp_path: Path, clock: FakeClock):
    decks = tmp_path / "decks"
    write_deck(decks, "standards.md", TUI_DECK)
    write_deck(decks, "rules.md", OTHER_DECK)
    store = Store.open(tmp_path / "tui.db")
    service = StudyService(store, [decks], clock=clock)
    service.save_settings(Settings(timezone="America/New_York", fuzz=False))
    service.sync()
    yield service
    store.close()


@pytest.fixture
def make_app(tui_service):
    def make(**kwargs) -> HcflashApp:
        return HcflashApp(tui_service, **kwargs)

    return make
