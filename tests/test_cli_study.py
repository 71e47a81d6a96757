"""The study commands a daily user meets: presets, study more from the command line, readable stats, help."""

from __future__ import annotations

from click.testing import CliRunner

from hcflash.cli import main

from .conftest import basic_cards, write_deck


def run(*args, input=None):
    return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)


def test_a_preset_limits_its_deck_in_the_deck_list(tmp_path, deck_dir):
    write_deck(deck_dir, "a.md", basic_cards("a", 12, deck="Top::A"))
    write_deck(deck_dir, "b.md", basic_cards("b", 12, deck="Top::B"))
    base = ["--db", str(tmp_path / "s.db"), "--decks", str(deck_dir)]
    assert run(*base, "preset", "set", "Light", "--new", "4").exit_code == 0
    assert "Top::A uses Light" in run(*base, "preset", "use", "Top::A", "Light").output
    listing = run(*base, "preset").output
    assert "Light" in listing and "Top::A" in listing
    rows = {line.split()[0]: line.split()[1] for line in run(*base, "decks").output.splitlines()[1:] if line.strip()}
    assert rows == {"Top": "16", "A": "4", "B": "12"}  # Top: what A (4) and B (12) give, under its own 20
    result = run(*base, "preset", "use", "Top::A", "Nope")
    assert result.exit_code == 1 and "no preset named 'Nope'; known: Default, Light" in result.output


def test_study_more_from_the_command_line(tmp_path, deck_dir):
    write_deck(deck_dir, "a.md", basic_cards("a", 4))
    base = ["--db", str(tmp_path / "s.db"), "--decks", str(deck_dir)]
    assert run(*base, "config", "new-per-day", "1").exit_code == 0
    first = run(*base, "review", "--plain", input="\n4\n")
    assert "Reviewed 1 card(s)" in first.output
    assert "Nothing to study that way" in run(*base, "review", "--plain", "--forgotten", "2").output
    more = run(*base, "review", "--plain", "--new-today", "2", input="\n4\n\n4\n")
    assert "Reviewed 2 card(s)" in more.output
    both = run(*base, "review", "--ahead", "2", "--cram")
    assert both.exit_code == 1 and "choose one way to study more" in both.output


def test_stats_reads_like_a_sentence_and_help_says_what_no_command_does(tmp_path, deck_dir):
    write_deck(deck_dir, "a.md", basic_cards("a", 1))
    base = ["--db", str(tmp_path / "s.db"), "--decks", str(deck_dir)]
    run(*base, "sync")
    out = run(*base, "stats").output
    assert "[" not in out and "Due in the next 7 days:" in out
    assert "opens the deck list" in run("--help").output
