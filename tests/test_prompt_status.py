"""`hcflash status --short` / `--json` for shell prompts: the same counts as the full status, from
the store as it is, without the command line's imports; decks with limits of their own take the full path."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from hcflash.locations import default_db_path
from hcflash.prompt import quick_status, store_path, wants_quick_status
from hcflash.settings import set_preset, use_preset

from .conftest import basic_cards, write_deck

ROOT = Path(__file__).resolve().parent.parent


def test_only_status_short_or_json_takes_the_quick_path():
    assert wants_quick_status(["status", "--short"]) and wants_quick_status(["--db", "x.db", "status", "--json"])
    assert not wants_quick_status(["status"]) and not wants_quick_status(["status", "--short", "--json"])
    assert not wants_quick_status(["--decks", "d", "status", "--short"])


def test_the_default_store_is_where_the_full_command_looks(monkeypatch, tmp_path):
    monkeypatch.delenv("HCFLASH_DB", raising=False)
    for xdg in (None, str(tmp_path / "xdg")):
        if xdg is None:
            monkeypatch.delenv("XDG_DATA_HOME", raising=False)
        else:
            monkeypatch.setenv("XDG_DATA_HOME", xdg)
        assert Path(store_path([])) == default_db_path()


def test_the_quick_counts_equal_the_full_status(service, deck_dir, clock, capsys):
    write_deck(deck_dir, "a.md", basic_cards("a", 30))
    service.sync()
    for rating in (4, 4, 1, 3, 4):  # reviews due later, two cards in learning
        card = service.next_card()
        service.rate(card.id, rating)
    clock.advance(days=9)  # the Easy cards fall due
    full = service.queue_counts()
    assert quick_status(["--db", str(service.store.path), "status", "--json"], now=clock.now) == 0
    quick = json.loads(capsys.readouterr().out)
    assert (quick["review"], quick["learning"], quick["new"]) == (full.review, full.learning, full.new)
    assert (quick["review"], quick["learning"], quick["new"]) == (3, 2, 20)  # a new day: 20 of the 25 left


def test_decks_with_limits_of_their_own_take_the_full_path(service, deck_dir):
    write_deck(deck_dir, "a.md", basic_cards("a", 3, deck="Top::A"))
    service.sync()
    service.save_settings(use_preset(set_preset(service.settings, "Light", 1, 10), "Top::A", "Light"))
    assert quick_status(["--db", str(service.store.path), "status", "--short"]) is None
    result = subprocess.run(
        [sys.executable, "-m", "hcflash", "--db", str(service.store.path), "status", "--short"],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 0 and result.stdout.strip() == "0 due · 0 learning · 1 new"


def test_no_store_is_an_error_not_a_new_store(tmp_path):
    missing = tmp_path / "none.db"
    assert quick_status(["--db", str(missing), "status", "--short"]) == 1
    assert not missing.exists()


def test_a_store_path_with_uri_characters_is_read(tmp_path, deck_dir, capsys):
    from hcflash.service import StudyService
    from hcflash.store import Store

    write_deck(deck_dir, "a.md", basic_cards("a", 2))
    odd = tmp_path / "a?b#c%d.db"
    with Store.open(odd) as store:
        StudyService(store, [deck_dir]).sync()
    assert quick_status(["--db", str(odd), "status", "--short"]) == 0
    assert capsys.readouterr().out.strip() == "0 due · 0 learning · 2 new"


def test_the_prompt_path_imports_nothing_heavy(service, deck_dir):
    """A shell prompt runs this on every prompt: it must not pull in the command line, the store's
    library, the TUI or the scheduler (each costs more than the counts), nor `typing`."""
    write_deck(deck_dir, "a.md", basic_cards("a", 2))
    service.sync()
    script = (
        "import sys; from hcflash.entry import main; sys.argv = ['hcflash', '--db', sys.argv[1], 'status', '--short']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "heavy = ('click', 'sqlite_utils', 'textual', 'rich', 'fsrs', 'json', 'pathlib', 'typing', 'yaml', 'markdown_it')\n"
        "print(' '.join(sorted(m for m in heavy if m in sys.modules)) or 'none')\n"
    )
    result = subprocess.run([sys.executable, "-c", script, str(service.store.path)], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    counts, imported = result.stdout.strip().splitlines()
    assert counts == "0 due · 0 learning · 2 new" and imported == "none"
