"""Shared fixtures: real SQLite stores in temporary folders, deck folders written per test, and a
clock the test moves by hand."""

from __future__ import annotations

import textwrap
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from hcflash.service import StudyService
from hcflash.settings import Settings
from hcflash.store import Store

START = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)  # a Monday afternoon, 10:00 in New York


@dataclass
class FakeClock:
    now: datetime = START

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kwargs: float) -> None:
        self.now = self.now + timedelta(**kwargs)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def deck_dir(tmp_path: Path) -> Path:
    path = tmp_path / "decks"
    path.mkdir()
    return path


def write_deck(folder: Path, name: str, body: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(body).lstrip("\n"), encoding="utf-8")
    return path


def basic_cards(prefix: str, count: int, deck: str = "Test::Deck") -> str:
    parts = [f"---\ndeck: {deck}\nid-prefix: {prefix}\n---\n"]
    for i in range(1, count + 1):
        parts.append(f"## Question {i}? <!-- id: {prefix}-q{i} -->\n\nAnswer {i}.\n\nSource: Spec section {i}\n")
    return "\n".join(parts)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store.open(tmp_path / "store.db")
    yield s
    s.close()


@pytest.fixture
def service(store: Store, deck_dir: Path, clock: FakeClock) -> StudyService:
    svc = StudyService(store, [deck_dir], clock=clock)
    # Fixed zone and no fuzz: day boundaries and intervals are the same on every machine.
    svc.save_settings(Settings(timezone="America/New_York", fuzz=False))
    return svc
