"""From notes to cards, and what each card shows on its front and back.

Pure functions: no I/O. A note becomes one card (basic), two (basic plus reversed), or one per
cloze number; each card's key is derived from the note id so it is stable across edits.
"""

from __future__ import annotations

import hashlib
import json
import re

from hcflash.records import CardContent, CardKind, DeckHeader, Note

# {{c1::text}} or {{c1::text::hint}}; text may span lines but not contain "}}".
CLOZE_RE = re.compile(r"\{\{c(\d+)::(.*?)(?:::([^{}]*?))?\}\}", re.S)
# Something meant as a cloze but written wrong: `{{c` and then a number or a colon. `{{context.x}}`
# (a CDS Hooks prefetch template in a code sample) is not one.
CLOZE_START_RE = re.compile(r"\{\{c(?:\d+|:)")

REVERSE_SUFFIX = "#reverse"


def cloze_numbers(text: str) -> tuple[int, ...]:
    return tuple(sorted({int(m.group(1)) for m in CLOZE_RE.finditer(text)}))


def malformed_cloze(text: str) -> str | None:
    """Describe the first cloze-like marker that is not a valid deletion, or None if all are fine."""
    valid_spans = [m.span() for m in CLOZE_RE.finditer(text)]
    for m in CLOZE_RE.finditer(text):
        if int(m.group(1)) < 1:
            return f"cloze number must be 1 or more in {m.group(0)!r}"
        if not m.group(2).strip():
            return f"cloze deletion {m.group(0)!r} hides nothing"
    for m in CLOZE_START_RE.finditer(text):
        if not any(start <= m.start() < end for start, end in valid_spans):
            snippet = text[m.start() : m.start() + 30].splitlines()[0]
            return f"malformed cloze {snippet!r}: write {{{{c1::text}}}} or {{{{c1::text::hint}}}}"
    return None


def content_hash(question: str, answer: str, sources: tuple[str, ...]) -> str:
    """Hash of what the learner reads; a change here is an edit worth telling them about."""
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
            CardContent(key=card_key(note.id, "cloze", n), kind="cloze", ord=n, **common)
            for n in note.cloze_numbers
        ]
    cards = [CardContent(key=note.id, kind="basic", ord=0, **common)]
    wants_reverse = header.reverse if note.reverse is None else note.reverse
    if wants_reverse:
        cards.append(CardContent(key=card_key(note.id, "reverse", 0), kind="reverse", ord=0, **common))
    return cards


def _cloze_replace(text: str, active: int, reveal: bool) -> str:
    def sub(m: re.Match[str]) -> str:
        number, body, hint = int(m.group(1)), m.group(2), m.group(3)
        if number != active:
            return body
        if reveal:
            return f"**{body}**"
        return f"**[{hint}]**" if hint else "**[...]**"

    return CLOZE_RE.sub(sub, text)


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
    return CLOZE_RE.sub(lambda m: m.group(2), text)
