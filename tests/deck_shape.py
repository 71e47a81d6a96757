"""How atomic the bundled decks are: which notes still hold a list or table of more than three items.

Wozniak's minimum-information principle: a card asks for one thing. A note whose answer (or cloze
text) holds a Markdown list or table with more than three items asks for a set; a few may, where the
whole set is the point. Run it as a script for the work list:

    python -m tests.deck_shape [DECK_DIR]
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from markdown_it import MarkdownIt

from hcflash.check import check_paths
from hcflash.records import Note

MAX_ITEMS = 3  # a list or table longer than this makes a "list card"
MAX_SHARE = 0.03  # at most this share of notes may be list cards
DECKS = Path(__file__).resolve().parent.parent / "decks"

_md = MarkdownIt("commonmark").enable("table")
_NAME_N_RE = re.compile(r"\bname (?:two|three|four|five|six|seven|eight|\d+) (?:of|examples)\b", re.I)


def largest_set(note: Note) -> int:
    """Items in the longest list or table of the note (top-level items of each list, body rows of each table)."""
    tokens = _md.parse(note.question + "\n\n" + note.answer)
    largest = 0
    for i, token in enumerate(tokens):
        if token.type in ("bullet_list_open", "ordered_list_open"):
            depth = token.level + 1
            count = 0
            for inner in tokens[i + 1 :]:
                if inner.type in ("bullet_list_close", "ordered_list_close") and inner.level == token.level:
                    break
                if inner.type == "list_item_open" and inner.level == depth:
                    count += 1
            largest = max(largest, count)
        elif token.type == "tbody_open":
            count = 0
            for inner in tokens[i + 1 :]:
                if inner.type == "tbody_close":
                    break
                if inner.type == "tr_open":
                    count += 1
            largest = max(largest, count)
    return largest


def list_notes(folder: Path = DECKS) -> tuple[list[tuple[Path, Note, int]], int]:
    """(file, note, items) for every list note, and the number of notes in all."""
    result = check_paths([folder])
    found = []
    total = 0
    for deck in result.decks:
        for note in deck.notes:
            total += 1
            items = largest_set(note)
            if items > MAX_ITEMS:
                found.append((deck.path, note, items))
    return found, total


def name_n_questions(folder: Path = DECKS) -> list[tuple[Path, Note]]:
    """Questions of the "Name four of..." kind, which have more than one right answer."""
    result = check_paths([folder])
    return [(d.path, n) for d in result.decks for n in d.notes if _NAME_N_RE.search(n.question)]


def main(argv: list[str]) -> int:
    folder = Path(argv[0]) if argv else DECKS
    found, total = list_notes(folder)
    for path, note, items in sorted(found, key=lambda f: (str(f[0]), f[1].line)):
        print(f"{path}:{note.line}: {items} items: {note.question[:70]}")
    for path, note in name_n_questions(folder):
        print(f"{path}:{note.line}: 'name N of' question: {note.question[:70]}")
    share = len(found) / total if total else 0.0
    print(f"{len(found)} of {total} notes ({share:.1%}) hold a list or table of more than {MAX_ITEMS} items; the limit is {MAX_SHARE:.0%}")
    return 0 if share <= MAX_SHARE else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
