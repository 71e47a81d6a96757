"""From notes to cards, and what each card shows on its front and back.

Pure functions: no I/O. A note becomes one card (basic), two (basic plus reversed), or one per
cloze number; each card's key is derived from the note id so it is stable across edits.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from hcflash import records

if TYPE_CHECKING:  # a parsed deck's records load with the parser, not before a review's first card
    from hcflash.records import CardContent, CardKind, DeckHeader, Note

MAX_CLOZE_NUMBER = 999  # Anki numbers cards by cloze; a huge number is a typo (and overflows SQLite)
_BRACES_RE = re.compile(r"\{\{|\}\}")
_CLOZE_HEAD_RE = re.compile(r"\{\{c(\d+)::")
_CLOZE_LIKE_RE = re.compile(r"\{\{c[0-9:]")

REVERSE_SUFFIX = "#reverse"


@dataclass(frozen=True)
class Cloze:
    """One cloze deletion, `{{cN::body}}` or `{{cN::body::hint}}`, at text[start:end]."""

    start: int
    end: int
    number: int
    body: str
    hint: str | None


def _shown(text: str, start: int) -> str:
    """A short, single-line piece of the text for a message (never the whole of a huge input)."""
    return repr(text[start : start + 40].split("\n", 1)[0])


def _cloze_at(text: str, start: int, end: int) -> tuple[Cloze | None, str | None]:
    """The cloze `text[start:end]` (from its `{{` to its closing `}}`), or what is wrong with it."""
    head = _CLOZE_HEAD_RE.match(text, start, end)
    if head is None:
        return None, f"malformed cloze {_shown(text, start)}: write {{{{c1::text}}}} or {{{{c1::text::hint}}}}"
    digits = head.group(1)
    number = int(digits) if len(digits) <= 3 else MAX_CLOZE_NUMBER + 1
    if number < 1:
        return None, f"cloze number must be 1 or more in {_shown(text, start)}"
    if number > MAX_CLOZE_NUMBER:
        return None, f"cloze number must be at most {MAX_CLOZE_NUMBER} in {_shown(text, start)}"
    inner = text[head.end() : end - 2]
    # The hint follows the first `::` after the last brace: a hint holds no braces.
    last_brace = max(inner.rfind("{"), inner.rfind("}"))
    split = inner.find("::", last_brace + 1)
    body, hint = (inner, None) if split < 0 else (inner[:split], inner[split + 2 :])
    if not body.strip():
        return None, f"cloze deletion {_shown(text, start)} hides nothing"
    return Cloze(start, end, number, body, hint), None


def _cloze_like(text: str, at: int) -> bool:
    """Something meant as a cloze: `{{c` and then a number or a colon. `{{context.x}}` (a CDS Hooks
    prefetch template in a code sample) is not one."""
    return _CLOZE_LIKE_RE.match(text, at) is not None


def scan_clozes(text: str) -> tuple[list[Cloze], str | None]:
    """Every cloze deletion in `text`, and the first problem with any cloze-like marker (`{{c1`, `{{c:`):
    unclosed, malformed, numbered out of range, empty, or nested in another. One pass over the
    `{{` and `}}` of the text, so the time grows with its length, whatever it holds."""
    clozes: list[Cloze] = []
    problem: str | None = None
    opened: list[int] = []
    nested_at: int | None = None
    for m in _BRACES_RE.finditer(text):
        if m.group(0) == "{{":
            if opened and nested_at is None and (_cloze_like(text, m.start()) or _cloze_like(text, opened[0])):
                nested_at = m.start()
            opened.append(m.start())
            continue
        if not opened:
            continue
        start = opened.pop()
        if opened:
            continue
        if _cloze_like(text, start):
            if nested_at is not None:
                problem = problem or f"cloze deletions cannot be nested: {_shown(text, nested_at)} inside {_shown(text, start)}"
            else:
                cloze, error = _cloze_at(text, start, m.end())
                if cloze is not None:
                    clozes.append(cloze)
                problem = problem or error
        nested_at = None
    for start in opened:
        if _cloze_like(text, start):
            problem = problem or f"malformed cloze {_shown(text, start)}: it is never closed with }}}}"
            break
    return clozes, problem


def cloze_numbers(text: str) -> tuple[int, ...]:
    return tuple(sorted({c.number for c in scan_clozes(text)[0]}))


def malformed_cloze(text: str) -> str | None:
    """Describe the first cloze-like marker that is not a valid deletion, or None if all are fine."""
    return scan_clozes(text)[1]


def content_hash(question: str, answer: str, sources: tuple[str, ...]) -> str:
    """Hash of what the learner reads; a change here is an edit worth telling them about."""
    import hashlib  # cards are hashed when a deck is parsed, never before a review's first card

    payload = json.dumps([question, answer, list(sources)], ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:32]


def card_key(note_id: str, kind: CardKind, ord: int) -> str:
    if kind == "reverse":
        return note_id + REVERSE_SUFFIX
    if kind == "cloze":
        return f"{note_id}#c{ord}"
    return note_id


def sibling_rank(kind: CardKind, ord: int) -> int:
    """The card type number Anki sorts new cards by: basic 0, reverse 1, cloze n is n - 1."""
    if kind == "cloze":
        return ord - 1
    return 1 if kind == "reverse" else 0


def expand_note(note: Note, header: DeckHeader, file: str) -> list[CardContent]:
    """The cards a note defines. Notes without an id yield none (check --fix gives them one)."""
    if note.id is None:
        return []
    common = dict(
        note_id=note.id,
        deck=header.name,
        question=note.question,
        answer=note.answer,
        sources=note.sources,
        tags=tuple(dict.fromkeys(header.tags + note.tags)),
        file=file,
        line=note.line,
        content_hash=content_hash(note.question, note.answer, note.sources),
        replaces=note.replaces,
        verified=note.verified,
        specs=note.specs,
        valid_from=note.valid_from,
        valid_until=note.valid_until,
        change=note.change,
    )
    if note.is_cloze:
        return [
            records.CardContent(key=card_key(note.id, "cloze", n), kind="cloze", ord=n, **common)
            for n in note.cloze_numbers
        ]
    cards = [records.CardContent(key=note.id, kind="basic", ord=0, **common)]
    wants_reverse = header.reverse if note.reverse is None else note.reverse
    if wants_reverse:
        cards.append(records.CardContent(key=card_key(note.id, "reverse", 0), kind="reverse", ord=0, **common))
    return cards


def _cloze_replace(text: str, active: int, reveal: bool) -> str:
    parts: list[str] = []
    at = 0
    for cloze in scan_clozes(text)[0]:
        parts.append(text[at : cloze.start])
        if cloze.number != active:
            parts.append(cloze.body)
        elif reveal:
            parts.append(f"**{cloze.body}**")
        else:
            parts.append(f"**[{cloze.hint}]**" if cloze.hint else "**[...]**")
        at = cloze.end
    parts.append(text[at:])
    return "".join(parts)


def front_and_back(kind: CardKind, ord: int, question: str, answer: str) -> tuple[str, str]:
    """Markdown for the front (prompt) and back (full answer) of a card."""
    if kind == "reverse":
        return answer, question
    if kind == "cloze":
        front = _cloze_replace(question, ord, reveal=False)
        back = _cloze_replace(question, ord, reveal=True)
        if answer.strip():
            front = front + "\n\n" + _cloze_replace(answer, ord, reveal=False)
            back = back + "\n\n" + _cloze_replace(answer, ord, reveal=True)
        return front, back
    return question, answer


def cloze_plain(text: str) -> str:
    """Text with every cloze deletion shown, for listings and search."""
    parts: list[str] = []
    at = 0
    for cloze in scan_clozes(text)[0]:
        parts.extend((text[at : cloze.start], cloze.body))
        at = cloze.end
    parts.append(text[at:])
    return "".join(parts)
