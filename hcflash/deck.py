"""Parsing deck files: Markdown text in, a `DeckFile` of notes and issues out.

Knows nothing of the store. Every finding carries `path:line` (1-based) and a stable code, so the
same parse serves `hcflash sync` (errors abort), `hcflash check` (everything reported) and
`check --fix` (which needs the heading lines of cards without ids).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.front_matter import front_matter_plugin

from hcflash.bulk import collector_paused
from hcflash.card_meta import ID_MAX, ID_RE, CardMeta, metadata_lines, parse_meta
from hcflash.cards import scan_clozes
from hcflash.errors import DeckError
from hcflash.front_matter import parse_front_matter
from hcflash.issue_codes import (
    BAD_CLOZE,
    BAD_FRONT_MATTER,
    BAD_ID,
    CLOZE_REVERSED,
    DUPLICATE_ID,
    EMPTY_ANSWER,
    EMPTY_QUESTION,
    ID_PREFIX,
    LINE_TOO_LONG,
    MISSING_ID,
    MISSING_SOURCE,
    NO_CARDS,
    TOO_COMPLEX,
    TOO_DEEP,
    TOO_LARGE,
    UNREADABLE,
    DeckIssue,
    IssueList,
)
from hcflash.records import DeckFile, DeckHeader, Note
from hcflash.reparse import MEMO_FILES, ParseMemo, reparse

_ID_TAIL_RE = re.compile(r"<!--\s*id:(.*?)-->\s*$", re.S)
_ID_ANYWHERE_RE = re.compile(r"<!--\s*+id:")

MAX_FILE_BYTES = 5 * 1024 * 1024  # the largest bundled deck is under 100 KB
MAX_LINE_CHARS = 20_000
MAX_LINES = 50_000  # the largest bundled deck has about 1,200
MAX_CARDS = 2_000  # card headings in one file; the largest bundled deck has about 140
MAX_BLOCKS = 100_000  # Markdown block tokens in one file: what bounds the parser's memory
MAX_TABLE_CELLS = 20_000  # `|` in one file: a table's rows are made in one go, before the block budget is seen
MAX_CARD_CHARS = 50_000  # one card's answer: what bounds rendering and the linter's inline parse
MAX_NESTING = 10  # lists in quotes in lists...: deeper than this is an accident or an attack


class _TooManyBlocks(Exception):
    def __init__(self, line: int) -> None:
        self.line = line


def _block_budget(state, start_line: int, end_line: int, silent: bool) -> bool:  # noqa: ANN001 - markdown-it rule
    """Runs before every block rule: stops the parse once the file has made MAX_BLOCKS tokens."""
    if len(state.tokens) > MAX_BLOCKS:
        raise _TooManyBlocks(start_line + 1)
    return False


# Block structure is all a deck parse needs (headings, paragraphs, their raw text); skipping the
# core inline pass halves the cost of reading a deck. Rendering uses its own parsers.
_md = MarkdownIt("commonmark").enable("table").use(front_matter_plugin).disable("inline")
_md.block.ruler.before(_md.block.ruler.__rules__[0].name, "hcflash_budget", _block_budget)


def normalize_newlines(text: str) -> str:
    """CRLF and a lone CR become LF, once, before anything reads lines: CommonMark counts a lone CR
    as a line ending, so the parser, markdown-it and every line number agree."""
    if "\r" not in text:
        return text
    return text.replace("\r\n", "\n").replace("\r", "\n")


@dataclass(frozen=True)
class HeadingSpan:
    """Where a card's heading sits, for `check --fix` to append an id without touching the rest."""

    line: int  # 1-based line where the heading's text ends: where an id comment belongs
    question: str
    has_id: bool


def deck_name_from_path(relative: Path) -> str:
    """`healthcare-interop/uscdi.md` → `Healthcare interop::Uscdi`, used when front matter names none."""
    parts = [*relative.parent.parts, relative.stem]
    names = [re.sub(r"[-_]+", " ", p).strip() for p in parts if p not in ("", ".")]
    return "::".join(n[:1].upper() + n[1:] for n in names if n) or "Default"


def _line_at(data: bytes, offset: int) -> int:
    """The 1-based line of a byte offset, counting CRLF, LF and a lone CR as one line ending each."""
    before = data[:offset]
    return before.count(b"\n") + before.count(b"\r") - before.count(b"\r\n") + 1


def decode_deck_bytes(data: bytes, path: Path) -> str:
    """The file's text; binary or non-UTF-8 content is a deck error at the line where it starts."""
    if len(data) > MAX_FILE_BYTES:
        raise DeckError([DeckIssue(TOO_LARGE, f"file is {len(data):,} bytes; a deck may be at most {MAX_FILE_BYTES:,}", path, 1)])
    if b"\x00" in data:
        line = _line_at(data, data.index(b"\x00"))
        raise DeckError([DeckIssue(UNREADABLE, "binary file (NUL byte), not a Markdown deck", path, line)])
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = _line_at(data, exc.start)
        raise DeckError([DeckIssue(UNREADABLE, f"invalid UTF-8 at byte {exc.start}", path, line)]) from exc
    return text.removeprefix("\ufeff")


def read_deck_text(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DeckError([DeckIssue(UNREADABLE, f"cannot read file: {exc.strerror}", path, 1)]) from exc
    return decode_deck_bytes(data, path)


def _top_level_blocks(tokens: list[Token], start: int, end: int) -> list[tuple[Token, Token | None]]:
    """(opening token, inline child if a paragraph) for each top-level block in tokens[start:end]."""
    blocks: list[tuple[Token, Token | None]] = []
    for i in range(start, end):
        tok = tokens[i]
        if tok.level != 0 or tok.map is None or tok.nesting == -1:
            continue
        inline = tokens[i + 1] if tok.type == "paragraph_open" else None
        blocks.append((tok, inline))
    return blocks


def _split_heading(raw: str) -> tuple[str, str | None, bool]:
    """Heading text without its id comment, the id text if one ends the heading, and whether an id
    comment sits anywhere else in it (an error: the id must come last). Only the last `<!--` is
    tried, so a heading full of `<!-- id:` costs time in proportion to its length."""
    at = raw.rfind("<!--")
    if at >= 0:
        m = _ID_TAIL_RE.match(raw, at)
        if m:
            return raw[:at].strip(), m.group(1).strip(), False
    return raw.strip(), None, _ID_ANYWHERE_RE.search(raw) is not None


def _lines_within_limits(text: str, out: IssueList) -> list[str] | None:
    """The file's lines, or None (with the issue) for a file no deck needs to be: refused cheaply,
    before the text is split or markdown-it runs."""
    count = text.count("\n") + 1
    if count > MAX_LINES:
        out.add(TOO_COMPLEX, f"file has {count:,} lines; a deck may have at most {MAX_LINES:,} (split it)", MAX_LINES + 1)
        return None
    if text.count("|") > MAX_TABLE_CELLS:
        out.add(TOO_COMPLEX, f"file has more than {MAX_TABLE_CELLS:,} table cells (`|`); split it", 1)
        return None
    lines = text.split("\n")
    for number, line in enumerate(lines, start=1):
        if len(line) > MAX_LINE_CHARS:
            out.add(LINE_TOO_LONG, f"line is {len(line):,} characters long (at most {MAX_LINE_CHARS:,})", number)
            return None
    return lines


def _front_matter_opened(lines: list[str]) -> bool:
    return bool(lines) and lines[0].rstrip() == "---"


def parse_deck(
    text: str, path: Path, default_name: str = "Default", memory: dict[str, ParseMemo] | None = None
) -> DeckFile:
    """Parse one deck file. Never raises for bad content: problems come back as `issues`. Time and
    memory grow in proportion to the text, within the limits above.

    With `memory` (the caller's, keyed by path), a file it holds (`remember_parse`) is re-parsed
    only from the card before its first changed line to the card after its last one, and the memory
    then holds the new parse: editing one card of a 2,000-card file costs about one card's parse,
    not the file's (`hcflash.reparse`)."""
    with collector_paused():
        return _parse_deck(text, path, default_name, memory)


def remember_parse(text: str, path: Path, memory: dict[str, ParseMemo]) -> None:
    """Parse a file into `memory` ahead of an edit, so that the parse after it is a small one."""
    text = normalize_newlines(text)
    lines = _lines_within_limits(text, IssueList(path))
    if lines is not None:
        try:
            _block_tokens(text, lines, str(path), memory, remember=True)
        except _TooManyBlocks:
            pass  # the sync after the edit parses it whole and says why it is refused


def _block_tokens(
    text: str, lines: list[str], key: str, memory: dict[str, ParseMemo] | None, remember: bool = False
) -> list[Token]:
    """markdown-it's block tokens for the text, from the memory's earlier parse where it holds one;
    the memory then holds this parse. A file it does not hold is added only when asked (`remember`):
    a sync that parses many files would otherwise keep each one's tokens past its parse, and the
    fresh memory the next parse then takes made a full sync ≈5% slower."""
    before = memory.pop(key, None) if memory is not None else None
    tokens = None
    if before is not None:
        try:
            tokens = reparse(lines, before, _md.parse)
        except _TooManyBlocks:  # its line is the piece's, not the file's
            tokens = None
    if tokens is None or len(tokens) > MAX_BLOCKS:  # a whole parse says where the budget ran out
        tokens = _md.parse(text)  # may raise _TooManyBlocks: nothing is remembered then
    if memory is not None and (before is not None or remember):
        memory[key] = ParseMemo(lines, tokens)
        while len(memory) > MEMO_FILES:
            del memory[next(iter(memory))]  # the least recently parsed
    return tokens


def _parse_deck(text: str, path: Path, default_name: str, memory: dict[str, ParseMemo] | None = None) -> DeckFile:
    out = IssueList(path)
    text = normalize_newlines(text)
    empty = DeckFile(path=path, header=DeckHeader(name=default_name), notes=(), issues=())
    lines = _lines_within_limits(text, out)
    if lines is None:
        return replace(empty, issues=tuple(out.issues))
    try:
        tokens = _block_tokens(text, lines, str(path), memory)
    except _TooManyBlocks as exc:
        out.add(TOO_COMPLEX, f"file has more than {MAX_BLOCKS:,} Markdown blocks (split it)", exc.line)
        return replace(empty, issues=tuple(out.issues))
    deep = next((t for t in tokens if t.level > MAX_NESTING and t.map), None)
    if deep is not None:
        out.add(TOO_DEEP, f"Markdown nested more than {MAX_NESTING} levels deep", deep.map[0] + 1)  # type: ignore[index]
    front = tokens[0] if tokens and tokens[0].type == "front_matter" else None
    if front is None and _front_matter_opened(lines):
        out.add(BAD_FRONT_MATTER, "front matter opened with `---` on line 1 is never closed with a `---` line", 1)
    header = parse_front_matter(front.content if front is not None else None, default_name, out)

    # Section boundaries: every top-level h1 or h2.
    bounds = [
        i
        for i, tok in enumerate(tokens)
        if tok.type == "heading_open" and tok.level == 0 and tok.tag in ("h1", "h2")
    ]
    cards = sum(tokens[i].tag == "h2" for i in bounds)
    if cards > MAX_CARDS:
        first_over = [i for i in bounds if tokens[i].tag == "h2"][MAX_CARDS]
        out.add(TOO_COMPLEX, f"file has {cards:,} cards; a deck file may have at most {MAX_CARDS:,} (split it)", tokens[first_over].map[0] + 1)  # type: ignore[index]
        return DeckFile(path=path, header=header, notes=(), issues=tuple(out.issues))
    notes: list[Note] = []
    seen_ids: dict[str, int] = {}
    for n, start in enumerate(bounds):
        heading = tokens[start]
        if heading.tag != "h2":
            continue
        end = bounds[n + 1] if n + 1 < len(bounds) else len(tokens)
        note = _parse_card(tokens, start, end, lines, header, out)
        if note.id is not None:
            if note.id in seen_ids:
                out.add(DUPLICATE_ID, f"id {note.id!r} is already used at line {seen_ids[note.id]}", note.line)
            else:
                seen_ids[note.id] = note.line
        notes.append(note)
    if not notes and not any(i.severity == "error" for i in out.issues):
        out.add(NO_CARDS, "deck has no cards: a card is a `## question` heading followed by its answer", 1)
    return DeckFile(path=path, header=header, notes=tuple(notes), issues=tuple(out.issues))


def _parse_card(
    tokens: list[Token], start: int, end: int, lines: list[str], header: DeckHeader, out: IssueList
) -> Note:
    heading = tokens[start]
    assert heading.map is not None
    line = heading.map[0] + 1
    question, note_id, misplaced = _split_heading(tokens[start + 1].content)

    if misplaced:
        out.add(BAD_ID, "the id comment must end the heading (`## Question <!-- id: ... -->`)", line)
    elif note_id is None:
        out.add(MISSING_ID, "card has no id: run `hcflash check --fix` to add one", line)
    elif len(note_id) > ID_MAX or not ID_RE.match(note_id):
        out.add(BAD_ID, f"id {note_id[:ID_MAX + 10]!r} must be lowercase letters and digits joined by hyphens, at most {ID_MAX} characters", line)
        note_id = None
    elif header.id_prefix and not note_id.startswith(header.id_prefix + "-"):
        out.add(ID_PREFIX, f"id {note_id!r} does not start with this deck's prefix '{header.id_prefix}-'", line)
    if not question:
        out.add(EMPTY_QUESTION, "card heading has no question text", line)

    blocks = _top_level_blocks(tokens, start + 3, end)
    card_end_line = blocks[-1][0].map[1] if blocks else heading.map[1]  # type: ignore[index]
    meta = CardMeta([], [], None, [])
    body_end_line = card_end_line
    meta_blocks: list[tuple[list[tuple[int, str, str]], int]] = []
    for block, inline in reversed(blocks):
        if inline is None:
            break
        entries = metadata_lines(inline.content)
        if entries is None:
            break
        assert block.map is not None
        meta_blocks.append((entries, block.map[0] + 1))
        body_end_line = block.map[0]
    for entries, first_line in reversed(meta_blocks):
        parse_meta(entries, first_line, out, meta)

    answer = "\n".join(lines[heading.map[1] : body_end_line]).strip("\n")
    answer = answer.strip()
    if len(answer) > MAX_CARD_CHARS:
        out.add(TOO_COMPLEX, f"answer is {len(answer):,} characters; a card may have at most {MAX_CARD_CHARS:,}", line)
        answer = answer[:MAX_CARD_CHARS]
    clozes, problem = scan_clozes(question + "\n" + answer)
    numbers = tuple(sorted({c.number for c in clozes}))
    if problem:
        out.add(BAD_CLOZE, problem, line)
    if numbers and meta.reverse:
        out.add(CLOZE_REVERSED, "a cloze card cannot be reversed", line)
    if not numbers and not answer and not problem:
        out.add(EMPTY_ANSWER, "card has no answer", line)
    if not meta.sources:
        out.add(MISSING_SOURCE, "card has no Source: line (cite the primary document and section)", line)
    return Note(
        id=note_id,
        question=question,
        answer=answer,
        sources=tuple(meta.sources),
        tags=tuple(dict.fromkeys(meta.tags)),
        line=line,
        reverse=None if numbers else meta.reverse,
        replaces=tuple(meta.replaces),
        cloze_numbers=numbers,
        verified=meta.verified,
        specs=tuple(meta.specs),
        valid_from=meta.valid_from,
        valid_until=meta.valid_until,
        change=meta.change,
    )


def heading_spans(text: str) -> list[HeadingSpan]:
    """Card headings of a deck text, for `check --fix`; lines are counted after `normalize_newlines`.
    Empty for a file beyond the parse limits (check reports why)."""
    text = normalize_newlines(text)
    if _lines_within_limits(text, IssueList(Path("-"))) is None:
        return []
    try:
        tokens = _md.parse(text)
    except _TooManyBlocks:
        return []
    spans: list[HeadingSpan] = []
    for i, tok in enumerate(tokens):
        if tok.type == "heading_open" and tok.level == 0 and tok.tag == "h2" and tok.map:
            question, note_id, misplaced = _split_heading(tokens[i + 1].content)
            # A setext heading's text may span lines above its underline: the id goes on the last.
            last = tok.map[1] - 1 if tok.markup in ("=", "-") else tok.map[0] + 1
            spans.append(HeadingSpan(line=last, question=question, has_id=note_id is not None or misplaced))
    return spans
