"""`hcflash check`: every issue in a set of deck files, and `--fix` for what can be fixed safely.

Reads files only; never touches the store. `--fix` appends id comments to card headings that lack
one and changes no other byte, so running it twice changes nothing the second time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from hcflash.card_meta import ID_RE
from hcflash.cards import cloze_plain, expand_note
from hcflash.deck import ID_MAX, deck_name_from_path, heading_spans, parse_deck, read_deck_text
from hcflash.errors import DeckError
from hcflash.issue_codes import (
    BAD_FRONT_MATTER,
    BAD_FRONT_MATTER_KEY,
    DUPLICATE_ID,
    REPLACES_LIVE,
    UNREADABLE,
    DeckIssue,
    capped,
)
from hcflash.lint import lint_deck, near_duplicates, without_comments
from hcflash.locations import deck_files, find_deck_files
from hcflash.records import DeckFile
from hcflash.sync import replaces_live_message

_STOP_WORDS = {
    "a", "an", "the", "of", "in", "on", "for", "to", "and", "or", "is", "are", "what", "which", "who",
    "does", "do", "did", "how", "why", "when", "where", "by", "with", "its", "it", "be", "as", "at",
}


@dataclass(frozen=True)
class CheckResult:
    files: tuple[Path, ...]
    decks: tuple[DeckFile, ...]
    issues: tuple[DeckIssue, ...]
    cards: int  # what a learner reviews: a reversed note is two cards, a cloze note one per number
    notes: int = 0  # what an author writes: one `##` heading each

    @property
    def errors(self) -> tuple[DeckIssue, ...]:
        return tuple(i for i in self.issues if i.severity == "error")

    @property
    def warnings(self) -> tuple[DeckIssue, ...]:
        return tuple(i for i in self.issues if i.severity == "warning")


def collect_files(paths: list[Path]) -> tuple[list[tuple[Path, Path]], list[DeckIssue]]:
    """(root, file) pairs for every deck file named or found below the given paths, and an HC100
    issue for each folder that could not be read."""
    found: list[tuple[Path, Path]] = []
    unreadable: list[DeckIssue] = []
    for path in paths:
        root = path if path.is_dir() else path.parent
        folder = find_deck_files(path)
        found.extend((root, f) for f in folder.files)
        unreadable.extend(DeckIssue(UNREADABLE, f"cannot read folder: {why}", where, 1) for where, why in folder.unreadable)
    return found, unreadable


def check_paths(paths: list[Path], today: date | None = None, max_age_months: int = 12) -> CheckResult:
    decks: list[DeckFile] = []
    files, issues = collect_files(paths)
    for root, path in files:
        try:
            text = read_deck_text(path)
        except DeckError as exc:
            issues.extend(exc.issues)
            continue
        deck = parse_deck(text, path, deck_name_from_path(path.relative_to(root)))
        decks.append(deck)
        issues.extend(deck.issues)
        issues.extend(lint_deck(deck, root, today=today, max_age_months=max_age_months))
    issues.extend(near_duplicates(decks))
    first_use: dict[str, tuple[Path, int]] = {}
    for deck in decks:
        for note in deck.notes:
            if note.id is None:
                continue
            if note.id in first_use and first_use[note.id][0] != deck.path:
                where = first_use[note.id]
                issues.append(DeckIssue(DUPLICATE_ID, f"id {note.id!r} is already used at {where[0]}:{where[1]}", deck.path, note.line))
            first_use.setdefault(note.id, (deck.path, note.line))
    for deck in decks:
        for note in deck.notes:
            for old in dict.fromkeys(note.replaces):
                if old == note.id or old in first_use:
                    where = first_use.get(old, (deck.path, note.line))
                    issues.append(DeckIssue(REPLACES_LIVE, replaces_live_message(old, f"{where[0]}:{where[1]}"), deck.path, note.line))
    cards = sum(len(expand_note(note, d.header, str(d.path))) for d in decks for note in d.notes)
    notes = sum(len(d.notes) for d in decks)
    ordered = capped(sorted(issues, key=lambda i: (str(i.path), i.line, i.code)))
    return CheckResult(tuple(f for _, f in files), tuple(decks), tuple(ordered), cards, notes)


def ids_in(paths: list[Path]) -> set[str]:
    """Every card id, and every id named by `Replaces:`, in the deck files below `paths`."""
    found: set[str] = set()
    for root in paths:
        if not root.exists():
            continue
        for path in deck_files(root):
            try:
                deck = parse_deck(read_deck_text(path), path)
            except DeckError:
                continue
            for note in deck.notes:
                if note.id:
                    found.add(note.id)
                found.update(note.replaces)
    return found


def slugify(text: str, prefix: str | None, max_words: int = 6) -> str:
    """An id from a question's main words, after `prefix-`: never the prefix twice (`uscdi-uscdi-`),
    never longer than the check allows, even with a long prefix (room is left for a `-N` suffix)."""
    plain = cloze_plain(without_comments(text)).lower().replace("'", "")
    words = [w for w in re.findall(r"[a-z0-9]+", plain) if w not in _STOP_WORDS]
    if prefix:
        prefix_words = prefix.split("-")
        while words[: len(prefix_words)] == prefix_words:
            words = words[len(prefix_words):]
    slug = "-".join(words[:max_words]) or "card"
    if not prefix:
        return slug[:SLUG_CHARS].rstrip("-") or "card"
    room = max(SLUG_CHARS, len(prefix) + 13) - len(prefix) - 1
    room = min(room, ID_MAX - SUFFIX_ROOM - len(prefix) - 1)
    return f"{prefix}-{slug[:room].rstrip('-') or 'card'}"


SLUG_CHARS = 60  # ids --fix writes stay short enough to read
SUFFIX_ROOM = 4  # `-999`, to keep an id unique


def _unique(candidate: str, taken: set[str]) -> str:
    if candidate not in taken:
        return candidate
    n = 2
    while True:
        suffix = f"-{n}"
        name = candidate[: ID_MAX - len(suffix)].rstrip("-") + suffix
        if name not in taken:
            return name
        n += 1


def _valid_new_id(new_id: str, prefix: str | None) -> bool:
    """The same rules `check` applies (HC111, HC112): --fix never writes an id that check refuses."""
    return len(new_id) <= ID_MAX and bool(ID_RE.match(new_id)) and (not prefix or new_id.startswith(prefix + "-"))


def fix_text(text: str, prefix: str | None, taken: set[str]) -> tuple[str, list[str]]:
    """Append an id comment to each card heading that lacks one; returns new text and the new ids.
    Line endings (LF, CRLF, a lone CR) are kept as they are: lines are counted as the parser counts them."""
    parts = _LINE_ENDINGS.split(text)  # line, ending, line, ending, ..., last line
    added: list[str] = []
    for span in heading_spans(text):
        if span.has_id:
            continue
        new_id = _unique(slugify(span.question, prefix), taken)
        if not _valid_new_id(new_id, prefix):
            continue  # a prefix too long to leave room: check reports it (HC102)
        taken.add(new_id)
        added.append(new_id)
        index = 2 * (span.line - 1)
        # An ATX heading may close with #s; the id goes before the line ending, after the text.
        parts[index] = f"{parts[index].rstrip()} <!-- id: {new_id} -->"
    return "".join(parts), added


_LINE_ENDINGS = re.compile(r"(\r\n|\r|\n)")


def fix_paths(paths: list[Path], avoid: set[str] | None = None) -> dict[Path, list[str]]:
    """Write missing ids (and a missing final newline) into deck files. New ids are unique across
    the files checked and never one of `avoid` (the ids of the other deck files in the folder and
    every id the learner's store has ever held: an old id on a new fact would give it the old card's
    history). Files whose front matter has errors are left alone. Returns the files changed and the
    ids added to each."""
    result = check_paths(paths)
    taken = {n.id for d in result.decks for n in d.notes if n.id} | set(avoid or ())
    taken |= {old for d in result.decks for n in d.notes for old in n.replaces}
    changed: dict[Path, list[str]] = {}
    for deck in result.decks:
        if any(i.code in (BAD_FRONT_MATTER, BAD_FRONT_MATTER_KEY) for i in deck.issues):
            continue
        text = read_deck_text(deck.path)
        prefix = deck.header.id_prefix or slugify(deck.path.stem, None, max_words=2)
        new_text, added = fix_text(text, prefix, taken)
        if new_text and not new_text.endswith(("\n", "\r")):
            new_text += "\n"  # the one other safe normalization: a final newline
        if new_text != text:
            raw = deck.path.read_bytes()
            had_bom = raw.startswith(b"\xef\xbb\xbf")
            deck.path.write_bytes((b"\xef\xbb\xbf" if had_bom else b"") + new_text.encode("utf-8"))
            changed[deck.path] = added
    return changed


@dataclass(frozen=True)
class StaleCard:
    """A card for the maintainer's work list: never dated, dated too long ago, or checked against an
    older version of a specification than its deck calls current."""

    path: Path
    line: int
    id: str
    verified: date | None
    old_specs: tuple[str, ...]

    def describe(self, today: date) -> str:
        if self.verified is None:
            age = "never verified"
        else:
            months = (today.year - self.verified.year) * 12 + today.month - self.verified.month
            age = f"verified {self.verified} ({months} month(s) ago)"
        return age + "".join(f"; {spec}" for spec in self.old_specs)


def stale_cards(result: CheckResult, today: date, max_age_months: int = 12) -> list[StaleCard]:
    """Every card the `HC160`-`HC162` rules would flag, oldest verification first (never dated first)."""
    from hcflash.lint import months_before

    cutoff = months_before(today, max_age_months)
    found = []
    for deck in result.decks:
        current = {spec.name.lower(): spec for spec in deck.header.specs}
        for note in deck.notes:
            old = tuple(
                f"checked against {spec}, current {current[spec.name.lower()].version}"
                for spec in note.specs
                if spec.name.lower() in current and not spec.pinned and spec.version_key < current[spec.name.lower()].version_key
            )
            if note.id and (note.verified is None or note.verified < cutoff or old):
                found.append(StaleCard(deck.path, note.line, note.id, note.verified, old))
    return sorted(found, key=lambda c: (c.verified or date.min, str(c.path), c.line))
