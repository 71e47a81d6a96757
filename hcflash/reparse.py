"""Re-parsing a deck file around an edit: markdown-it's block tokens for the new text, built from
the last parse of the old text and a parse of the changed stretch alone.

A learner fixing one card's wording should not wait for the whole file's parse (≈85 µs a card, so
≈170 ms for the largest file a deck may be); `parse_deck` uses this when its caller keeps a memory
of the file (the review screen's edit key). The result must be exactly a whole parse's, or a
sync would store wrong cards or lines: `tests/test_deck_reparse.py` holds it to that for any edit.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from markdown_it.token import Token


@dataclass(frozen=True)
class ParseMemo:
    """A file's text as lines and markdown-it's block tokens for it, kept by `parse_deck` so that
    the next parse of the same file after a small edit re-parses only the cards around the edit."""

    lines: list[str]
    tokens: list[Token]


# The files a memory holds at most, the last parsed: one file is edited at a time, and a file's
# tokens take ≈0.8 MB per 100 cards.
MEMO_FILES = 4


def is_anchor(tok: Token) -> bool:
    """A top-level ATX heading (`## ...`): the parser starts the line after one afresh, and its own
    line alone makes it one, so a parse may be cut and joined there. Setext headings are left out:
    one takes two lines, and the check at a cut's end (`reparse`) is for a heading of one line."""
    return tok.type == "heading_open" and tok.level == 0 and tok.markup.startswith("#")


def reparse(lines: list[str], before: ParseMemo, parse: Callable[[str], list[Token]]) -> list[Token] | None:
    """The new text's tokens from the old parse, re-parsing only what lies between the last anchor
    heading before the first changed line and the first anchor heading after the last changed
    line; None when no such cut holds (an edit in the front matter or before the first card, or
    one that swallows the next heading into a code block or HTML), and the caller parses whole.

    Why the pieces join into what a whole parse gives: an anchor heading's line is unchanged and a
    top-level block starts on it in the old parse, so every block before it ended on earlier lines,
    which are unchanged too. Parsed alone, the changed stretch must end in the same anchor heading,
    at the top level, on its (shifted) line; from there the parser goes on afresh over lines that
    are the old ones, so the old tokens hold, moved by the change in line count. They are moved in
    place and become the new parse's: `before` is spent (`parse_deck` drops it from its memory)."""
    old_lines, old_tokens = before.lines, before.tokens
    n_old, n_new = len(old_lines), len(lines)
    shortest = min(n_old, n_new)
    first = 0  # the first changed line
    while first < shortest and old_lines[first] == lines[first]:
        first += 1
    if first == n_old == n_new:
        return old_tokens
    same_tail = 0  # lines equal at the end of both, after the first changed line
    while same_tail < shortest - first and old_lines[n_old - 1 - same_tail] == lines[n_new - 1 - same_tail]:
        same_tail += 1
    start = end = None  # token indexes of the two anchors
    for i, tok in enumerate(old_tokens):
        if not is_anchor(tok):
            continue
        line = tok.map[0]  # type: ignore[index]
        if line < first:
            start = i
        elif line >= n_old - same_tail:
            end = i
            break
    if start is None:
        return None
    shift = n_new - n_old
    from_line = old_tokens[start].map[0]  # type: ignore[index]
    if end is None:
        piece = parse("\n".join(lines[from_line:]))
    else:
        anchor_line = old_tokens[end].map[0] + shift - from_line  # type: ignore[index]
        piece = parse("\n".join(lines[from_line : from_line + anchor_line + 1]))
        closing = piece[-3] if len(piece) >= 3 else None
        if closing is None or not is_anchor(closing) or closing.map != [anchor_line, anchor_line + 1]:
            return None
        if closing.markup != old_tokens[end].markup:
            return None
        del piece[-3:]
    tail = old_tokens[end:] if end is not None else []
    for tok in piece:
        if tok.map is not None:
            tok.map = [tok.map[0] + from_line, tok.map[1] + from_line]
    if shift:
        for tok in tail:
            if tok.map is not None:
                tok.map = [tok.map[0] + shift, tok.map[1] + shift]
    return old_tokens[:start] + piece + tail
