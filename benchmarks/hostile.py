"""Hostile deck shapes at 1× and 10× their size: parse and lint time should grow about tenfold.

The shapes (`tests/hostile_inputs.py`) once took time in proportion to the square of their size;
the row compares each at 10× with itself at 1× in the same run, so the ratio reads directly: about
10× is linear, about 100× would be quadratic.
"""

from __future__ import annotations

from pathlib import Path

from benchmarks.run import Row, median, timed
from hcflash.deck import normalize_newlines, parse_deck
from hcflash.lint import lint_deck
from tests.hostile_inputs import LINEAR


def parse_and_lint(text: str) -> None:
    """What check and sync do with a changed file: parse it, then lint it."""
    deck = parse_deck(normalize_newlines(text), Path("bench.md"))
    lint_deck(deck, Path("."), exists=lambda _: True)


def hostile_rows(repeat: int) -> list[Row]:
    rows = []
    for name, build in LINEAR.items():
        small, large = build(1), build(10)
        once = median(timed(lambda text=small: parse_and_lint(text), repeat))
        tenfold = median(timed(lambda text=large: parse_and_lint(text), repeat))
        rows.append(
            Row(f"parse + lint, {name}", f"{len(large) // 1024:,} KB vs {len(small) // 1024:,} KB", tenfold, once,
                "≈ 10× (linear; 100× is quadratic)", check=lambda r: r <= 15)
        )
    return rows
