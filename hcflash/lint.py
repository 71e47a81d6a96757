"""Rules beyond well-formedness, for the pull-request gate: HTML, links, sources, length, duplicates,
and the age of each card's verification and of the specification versions it was checked against.

Each rule has a stable code (documented in docs/deck-format.md). The rules read parsed decks and
their text; the only disk access is asking whether a linked file exists, passed in as a function.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from datetime import date
from itertools import combinations
from pathlib import Path, PurePosixPath

from markdown_it import MarkdownIt
from markdown_it.token import Token

from hcflash.cards import cloze_plain
from hcflash.issue_codes import (
    BAD_LINK,
    BAD_VERIFIED,
    LONG_ANSWER,
    NEAR_DUPLICATE,
    OLD_SPEC,
    RAW_HTML,
    STALE_VERIFIED,
    UNVERIFIED,
    WEAK_SOURCE,
    DeckIssue,
    shown,
)
from hcflash.records import DeckFile, Note

MAX_ANSWER_CHARS = 800
NEAR_DUPLICATE_THRESHOLD = 0.8
# No raw HTML at all (comments aside): neither the terminal nor the sanitized Anki export would render
# it the same way, so one rule holds everywhere. Markdown has the needed forms: a line break is a
# trailing backslash, a key is `code`, and Unicode has sub- and superscript digits.
WEB_SCHEMES = ("http://", "https://", "mailto:")

_md = MarkdownIt("commonmark").enable(["table", "strikethrough"])
# Possessive quantifiers and bracket-free runs: each pattern scans any stretch of text at most a
# fixed number of times, so a line of 20,000 `[` or `<` costs what any other line costs.
_TAG_RE = re.compile(r"<\s*+/?\s*+([a-zA-Z][a-zA-Z0-9-]*+)")
_LINK_RE = re.compile(r"\[([^\[\]]*+)\]\(([^)\s\[]*+)[^)\[]*+\)")
_BARE_URL_RE = re.compile(r"^<?(https?://\S+?)>?$")
_CFR_RE = re.compile(r"\b\d+\s+CFR\b(?!\s*(?:part\s*|§\s*|section\s*)?\d)", re.I)
_WORD_RE = re.compile(r"[a-z0-9]+(?:\.[a-z0-9]+)*")
_STOP = {"a", "an", "the", "of", "in", "on", "for", "to", "and", "or", "is", "are", "what", "which", "does", "do", "how", "why"}


def without_comments(html: str) -> str:
    """HTML with its comments removed, in one pass (an unclosed `<!--` hides the rest)."""
    parts, at = [], 0
    while (start := html.find("<!--", at)) >= 0:
        parts.append(html[at:start])
        end = html.find("-->", start + 4)
        if end < 0:
            return "".join(parts)
        at = end + 3
    parts.append(html[at:])
    return "".join(parts)


MAX_QUESTION_WORDS = 40  # words of a question compared for near-duplicates: bounds the pairs counted


def _walk(tokens: list[Token]):
    for token in tokens:
        yield token
        if token.children:
            yield from _walk(token.children)


def _note_tokens(note: Note) -> list[Token]:
    """The answer's Markdown tokens, flattened, or none when it cannot hold HTML or a link: raw HTML
    and autolinks start with `<`, links and images with `[`. Most answers have neither, and sync
    lints every changed card, so the parse is skipped for them (the result is the same)."""
    if "<" not in note.answer and "[" not in note.answer:
        return []
    return list(_walk(_md.parse(note.answer)))


def _raw_html(tokens: list[Token], note: Note, path: Path, out: list[DeckIssue]) -> None:
    # Raw HTML in a question needs a tag outside comments; only then is it worth a Markdown parse
    # (which tells a tag from one inside a code span).
    question = list(_walk(_md.parse(note.question))) if _TAG_RE.search(without_comments(note.question)) else []
    for token in question + tokens:
        if token.type not in ("html_block", "html_inline"):
            continue
        for tag in _TAG_RE.findall(without_comments(token.content)):
            out.append(DeckIssue(
                RAW_HTML, f"raw HTML <{tag}> is not allowed: write Markdown (a line break is a trailing backslash, "
                "a key is `code`, sub- and superscripts are Unicode characters)", path, note.line,
            ))
            return


def _targets(tokens: list[Token], note: Note) -> list[tuple[str, str]]:
    """(kind, target) for every link and image in the answer and the sources."""
    found: list[tuple[str, str]] = []
    for token in tokens:
        if token.type == "link_open":
            found.append(("link", str(token.attrGet("href") or "")))
        elif token.type == "image":
            found.append(("image", str(token.attrGet("src") or "")))
    for source in note.sources:
        found.extend(("link", m.group(2)) for m in _LINK_RE.finditer(source))
    return found


def _links(
    tokens: list[Token], note: Note, path: Path, decks_root: Path, exists: Callable[[Path], bool], out: list[DeckIssue]
) -> None:
    for kind, target in _targets(tokens, note):
        if kind == "link" and target.startswith(WEB_SCHEMES):
            continue
        if kind == "image" and target.startswith(WEB_SCHEMES):
            out.append(DeckIssue(BAD_LINK, f"image {shown(target)} is remote: put the file in the decks folder", path, note.line))
            continue
        if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", target):
            out.append(DeckIssue(BAD_LINK, f"{kind} {shown(target)} uses a scheme that is not allowed", path, note.line))
            continue
        relative = target.split("#", 1)[0].split("?", 1)[0]
        if not relative:
            continue
        resolved = (path.parent / PurePosixPath(relative)).resolve()
        try:
            resolved.relative_to(decks_root.resolve())
        except ValueError:
            out.append(DeckIssue(BAD_LINK, f"{kind} {shown(target)} points outside the decks folder", path, note.line))
            continue
        if not exists(resolved):
            out.append(DeckIssue(BAD_LINK, f"{kind} {shown(target)} points to a file that does not exist", path, note.line))


def _sources(note: Note, path: Path, out: list[DeckIssue]) -> None:
    for source in note.sources:
        titled = _LINK_RE.sub(lambda m: m.group(1), source).strip()
        if _BARE_URL_RE.match(source.strip()) or not titled or _BARE_URL_RE.match(titled):
            out.append(DeckIssue(WEAK_SOURCE, f"source {shown(source)} is a bare URL: name the document and section", path, note.line))
        elif len(titled) < 6:
            out.append(DeckIssue(WEAK_SOURCE, f"source {shown(source)} names no recognizable document", path, note.line))
        elif _CFR_RE.search(titled):
            out.append(DeckIssue(WEAK_SOURCE, f"source {shown(source)} cites the CFR without a part or section", path, note.line))


def _long_answer(note: Note, path: Path, out: list[DeckIssue]) -> None:
    if len(note.answer) > MAX_ANSWER_CHARS:
        out.append(
            DeckIssue(LONG_ANSWER, f"answer is {len(note.answer)} characters (limit {MAX_ANSWER_CHARS}): split the card", path, note.line, "warning")
        )


def _words(question: str) -> frozenset[str]:
    words = dict.fromkeys(w for w in _WORD_RE.findall(cloze_plain(question).lower()) if w not in _STOP)
    return frozenset(list(words)[:MAX_QUESTION_WORDS])


def near_duplicates(decks: list[DeckFile], threshold: float = NEAR_DUPLICATE_THRESHOLD) -> list[DeckIssue]:
    """Pairs of questions whose word sets overlap at least `threshold` (Jaccard), found through an
    inverted index so the cost grows with real overlaps, not with the square of the card count."""
    notes = [(deck.path, note, _words(note.question)) for deck in decks for note in deck.notes]
    index: dict[str, list[int]] = defaultdict(list)
    for i, (_, _, words) in enumerate(notes):
        for word in words:
            index[word].append(i)
    shared: dict[tuple[int, int], int] = defaultdict(int)
    for postings in index.values():
        if len(postings) > 200:  # too common to tell questions apart
            continue
        for i, j in combinations(postings, 2):
            shared[(i, j)] += 1
    issues = []
    for (i, j), common in shared.items():
        a, b = notes[i][2], notes[j][2]
        if len(a) < 3 or len(b) < 3:
            continue
        if common / len(a | b) >= threshold:
            first, second = notes[i], notes[j]
            issues.append(
                DeckIssue(
                    NEAR_DUPLICATE,
                    f"question is nearly the same as {first[0]}:{first[1].line} ({first[1].question[:60]!r})",
                    second[0], second[1].line, "warning",
                )
            )
    return issues


def months_before(day: date, months: int) -> date:
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    return date(year, month + 1, min(day.day, 28))


def _provenance(note: Note, deck: DeckFile, today: date, max_age_months: int, out: list[DeckIssue]) -> None:
    """Is the card dated, recently enough, and against the versions its deck calls current?"""
    if note.verified is None:
        if deck.header.require_verified:
            out.append(DeckIssue(UNVERIFIED, "card has no Verified: date (this deck requires one on every card)", deck.path, note.line, "warning"))
    elif note.verified > today:
        out.append(DeckIssue(BAD_VERIFIED, f"Verified: {note.verified} is later than today ({today})", deck.path, note.line))
    elif note.verified < months_before(today, max_age_months):
        out.append(
            DeckIssue(
                STALE_VERIFIED, f"Verified: {note.verified} is more than {max_age_months} months ago: check the card against its source again",
                deck.path, note.line, "warning",
            )
        )
    current = {spec.name.lower(): spec for spec in deck.header.specs}
    for spec in note.specs:
        newest = current.get(spec.name.lower())
        if newest is not None and not spec.pinned and spec.version_key < newest.version_key:
            out.append(
                DeckIssue(
                    OLD_SPEC, f"checked against {spec}, but the deck's current {newest.name} is {newest.version}: "
                    "check it against the current version (or mark the Spec: line '(pinned)' if the card is about that version)",
                    deck.path, note.line, "warning",
                )
            )


def lint_deck(
    deck: DeckFile, decks_root: Path, exists: Callable[[Path], bool] = Path.exists,
    today: date | None = None, max_age_months: int = 12, dated: bool = True,
) -> list[DeckIssue]:
    """Every rule beyond well-formedness. `dated` False leaves out the rules that depend on the day
    (a `Verified:` date later than today, and the provenance warnings): sync lints with it off, so a
    learner whose calendar is a day behind the author's is never refused a deck."""
    out: list[DeckIssue] = []
    today = today or date.today()
    for note in deck.notes:
        tokens = _note_tokens(note)
        _raw_html(tokens, note, deck.path, out)
        _links(tokens, note, deck.path, decks_root, exists, out)
        _sources(note, deck.path, out)
        _long_answer(note, deck.path, out)
        if dated:
            _provenance(note, deck, today, max_age_months, out)
    return out
