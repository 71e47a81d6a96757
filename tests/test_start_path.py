"""What a review session loads before its first card: only what the first card needs (issue 17).

The learner waits for every module imported before the card appears, so the nouns a review never
touches (Anki, backups and doctor, stats, browse, the deck list, a card's details, the optimizer;
the records and store tables only they use; the deck parser, the sync planner, the cards' content
records and the issue codes when no deck changed) load on first use, and sqlite-utils (with click,
dateutil and pluggy's scan of every installed package) only when a store has a schema step to
apply."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from hcflash.service import StudyService
from hcflash.store import Store
from hcflash.store.schema import STEP_NAMES, applied_steps

from .conftest import basic_cards, write_deck

ROOT = Path(__file__).resolve().parent.parent

FIRST_CARD = """
import asyncio, sys
from pathlib import Path
from hcflash.tui.app import HcflashApp

async def first_card():
    if sys.argv[3] == "command":  # as `hcflash review` runs: the command line, the checks, the sync
        import hcflash.cli
        import hcflash.cli.study  # the module `hcflash review` resolves its command from
        from hcflash.cli.app import Session
        service = Session(Path(sys.argv[1]), (Path(sys.argv[2]),)).service(interactive=True)
    else:  # the app alone, as the benchmark's first TUI row times it
        from hcflash.service import StudyService
        from hcflash.store import Store
        service = StudyService(Store.open(Path(sys.argv[1])), [Path(sys.argv[2])])
    app = HcflashApp(service, sync_report=service.sync(), start_review=True)
    async with app.run_test(size=(80, 24)) as pilot:
        while getattr(app.screen, "card", None) is None:
            await pilot.pause(0.01)
        print(app.screen.card.front.splitlines()[0])

asyncio.run(first_card())
unneeded = ('sqlite_utils', 'dateutil', 'pluggy', 'anki', 'hcflash.anki.bridge', 'hcflash.stats', 'hcflash.browse',
            'hcflash.parameters', 'hcflash.optimize', 'hcflash.sync', 'hcflash.deck', 'hcflash.records.anki',
            'hcflash.records.reports', 'hcflash.store.anki_sync', 'hcflash.store.export_reads', 'hcflash.store.flags',
            'hashlib', 'zoneinfo', 'hcflash.records.deck', 'hcflash.records.overview', 'hcflash.records.log',
            'hcflash.records.session', 'hcflash.records.content', 'hcflash.issue_codes', 'hcflash.card_details',
            'hcflash.deck_list', 'hcflash.store.html_cache', 'hcflash.store.integrity')
if sys.argv[3] == "app":
    unneeded += ('click', 'hcflash.cli', 'hcflash.maintenance', 'hcflash.backups', 'hcflash.store.copies')
else:  # the checks list the day's backups by name, without strptime's module; only the study commands load
    unneeded += ('_strptime', 'hcflash.cli.anki', 'hcflash.cli.changes', 'hcflash.cli.decks', 'hcflash.cli.safety',
                 'hcflash.cli.settings')
print(' '.join(m for m in unneeded if m in sys.modules) or 'none')
"""


@pytest.mark.parametrize("path", ["app", "command"])
def test_the_first_card_appears_without_what_it_does_not_need(tmp_path, deck_dir, path):
    write_deck(deck_dir, "a.md", basic_cards("a", 3))
    db = tmp_path / "store.db"
    with Store.open(db) as store:  # an existing, up-to-date store, as on every day after the first
        StudyService(store, [deck_dir]).sync()
    result = subprocess.run(
        [sys.executable, "-c", FIRST_CARD, str(db), str(deck_dir), path], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    shown, loaded = result.stdout.strip().splitlines()[-2:]
    assert shown == "Question 1?"  # the first card is up ...
    assert loaded == "none"  # ... and nothing it does not need was imported


def test_a_store_missing_a_schema_step_gets_it_when_opened(tmp_path):
    """The other side of loading sqlite-utils lazily: a store from before a step still gets it."""
    db = tmp_path / "old.db"
    Store.open(db).close()
    conn = sqlite3.connect(db)
    conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'm008_anki_sync'")
    for table in ("anki_note_links", "anki_review_links", "anki_collections"):
        conn.execute(f"DROP TABLE {table}")
    conn.commit()
    conn.close()
    with Store.open(db) as store:
        applied = applied_steps(store.db.conn)
        assert sorted(applied) == sorted(STEP_NAMES) and applied[-1] == "m008_anki_sync"  # applied again, once
        tables = {r[0] for r in store.db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"anki_collections", "anki_review_links", "anki_note_links"} <= tables


def test_every_schema_step_is_listed_in_order():
    """A step written in schema.py but left out of STEPS would never be applied."""
    from hcflash.store import schema

    written = sorted(name for name in vars(schema) if name[:1] == "m" and name[1:4].isdigit())
    assert list(STEP_NAMES) == written
