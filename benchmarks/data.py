"""Synthetic decks and stores of a given size, with review histories (ten reviews per reviewed card)."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

from hcflash import schedule
from hcflash.records import CardState, ReviewEntry
from hcflash.service import StudyService
from hcflash.settings import Settings
from hcflash.store import Store

CARDS_PER_FILE = 100
FILES_PER_DECK = 10
REVIEWS_PER_CARD = 10


def card_text(i: int) -> str:
    return (
        f"## What does benchmark fact number {i} say about topic {i % 97}? <!-- id: b-{i} -->\n\n"
        f"Fact {i} holds under **rule {i % 13}**, with two conditions:\n\n"
        f"- condition {i % 7}\n- condition {i % 11}\n\n"
        f"Source: Benchmark Specification {i % 50}, section {i % 9}.{i % 5}\n"
    )


def write_decks(root: Path, cards: int) -> list[Path]:
    """`cards` cards in files of 100, ten files to a deck, like a large real collection."""
    files = []
    for file_no in range((cards + CARDS_PER_FILE - 1) // CARDS_PER_FILE):
        deck_no = file_no // FILES_PER_DECK
        path = root / f"deck{deck_no:04d}" / f"part{file_no:05d}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        first = file_no * CARDS_PER_FILE
        body = "".join(card_text(i) + "\n" for i in range(first, min(first + CARDS_PER_FILE, cards)))
        path.write_text(f"---\ndeck: Bench::Deck {deck_no:04d}\nid-prefix: b\n---\n\n{body}", encoding="utf-8")
        files.append(path)
    return files


def build_store(folder: Path, cards: int, reviewed_share: float = 0.5, seed: int = 3) -> tuple[Path, Path]:
    """A synced store over synthetic decks in which half the cards have up to ten reviews each,
    taken when due over the past year, so that some are due today. Returns (decks folder, store path)."""
    decks = folder / "decks"
    write_decks(decks, cards)
    db = folder / "store.db"
    rng = random.Random(seed)
    now = datetime.now(UTC)
    with Store.open(db) as store:
        service = StudyService(store, [decks])
        service.save_settings(Settings(fuzz=False, new_per_day=20, reviews_per_day=200))
        service.sync()
        scheduler = schedule.make_scheduler(service.settings)
        card_ids = [r[0] for r in store.db.execute("SELECT id FROM cards ORDER BY id").fetchall()]
        entries: list[ReviewEntry] = []
        states: list[CardState] = []
        for card_id in card_ids[: int(len(card_ids) * reviewed_share)]:
            # Ten reviews, each taken when the card fell due; the whole history is then shifted so
            # that it ends in the past months, which leaves some cards due today.
            state = CardState(card_id=card_id)
            moment = now
            history: list[tuple[datetime, int, CardState, CardState]] = []
            for _ in range(REVIEWS_PER_CARD):
                rating = rng.choices((1, 2, 3, 4), weights=(10, 10, 70, 10))[0]
                after = schedule.review(scheduler, state, rating, moment, service.settings)
                history.append((moment, rating, state, after))
                state = after
                moment = min(state.due or moment, moment + timedelta(days=90))  # a learner who keeps up
            shift = (now - timedelta(days=rng.uniform(1, 120))) - history[-1][0]
            for moment, rating, before, after in history:
                entries.append(ReviewEntry(0, card_id, rating, moment + shift, 6000, _shifted(before, shift), _shifted(after, shift)))
            state = _shifted(state, shift)
            states.append(state)
        store.log.merge(entries, states)
    return decks, db


def _shifted(state: CardState, by: timedelta) -> CardState:
    return state.with_changes(
        due=state.due + by if state.due else None,
        last_review=state.last_review + by if state.last_review else None,
    )
