"""`hcflash check`: every issue in a set of deck files, and `--fix` for what can be fixed safely.

Reads files only; never touches the store. `--fix` appends id comments to card headings that lack
one and changes no other byte, so running it twice changes nothing the second time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from hcflash.deck import ID_MAX, deck_name_from_path, heading_spans, parse_deck, read_deck_text
from hcflash.errors import DeckError
from hcflash.issue_codes import DUPLICATE_ID, DeckIssue
from hcflash.lint import lint_deck, near_duplicates
from hcflash.locations import deck_files
from hcflash.records import DeckFile

_STOP_WORDS = {
    "a", "an", "the", "of", "in", "on", "for", "to", "and", "or", "is", "are", "what", "which", "who",
    "does", "do", "did", "how", "why", "when", "where", "by", "with", "its", "it", "be", "as", "at",
}


@dataclass(frozen=True)
class CheckResult:
    files: tuple[Path, ...]
    decks: tuple[DeckFile, ...]
    issues: tuple[DeckIssue, ...]
    cards: int

    @property
    def errors(self) -> tuple[DeckIssue, ...]:
        return tuple(i for i in self.issues if i.severity == "error")

    @property
    def warnings(self) -> tuple[DeckIssue, ...]:
        return tuple(i for i in self.issues if i.severity == "warning")


def collect_files(paths: list[Path]) -> list[tuple[Path, Path]]:
    """(root, file) pairs for every deck file named or found below the given paths."""
    found: list[tuple[Path, Path]] = []
    for path in paths:
        root = path if path.is_dir() else path.parent
        found.extend((root, f) for f in deck_files(path))
    return found


def check_paths(paths: list[Path], today: date | None = None, max_age_months: int = 12) -> CheckResult:
    decks: list[DeckFile] = []
    issues: list[DeckIssue] = []
    files = collect_files(paths)
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
    cards = sum(len(d.notes) for d in decks)
    ordered = sorted(issues, key=lambda i: (str(i.path), i.line, i.code))
    return CheckResult(tuple(f for _, f in files), tuple(decks), tuple(ordered), cards)


def slugify(text: str, prefix: str | None, max_words: int = 6) -> str:
    words = [w for w in re.findall(r"[a-z0-9]+", text.lower().replace("'", "")) if w not in _STOP_WORDS]
    slug = "-".join(words[:max_words]) or "card"
    full = f"{prefix}-{slug}" if prefix else slug
    return full[:60].rstrip("-")


def _unique(candidate: str, taken: set[str]) -> str:
    if candidate not in taken:
        return candidate
    n = 2
    while f"{candidate}-{n}" in taken:
        n += 1
    return f"{candidate}-{n}"


def fix_text(text: str, prefix: str | None, taken: set[str]) -> tuple[str, list[str]]:
    """Append an id comment to each card heading that lacks one; returns new text and the new ids."""
    lines = text.split("\n")
    added: list[str] = []
    for span in heading_spans(text):
        if span.has_id:
            continue
        index = span.line - 1
        new_id = _unique(slugify(span.question, prefix), taken)[:ID_MAX]
        taken.add(new_id)
        added.append(new_id)
        line = lines[index]
        ending = "\r" if line.endswith("\r") else ""
        body = line[: len(line) - len(ending)]
        # An ATX heading may close with #s; the id goes before the line ending, after the text.
        lines[index] = f"{body.rstrip()} <!-- id: {new_id} -->{ending}"
    return "\n".join(lines), added


def fix_paths(paths: list[Path]) -> dict[Path, list[str]]:
    """Write missing ids (and a missing final newline) into deck files; ids stay unique across all
    the files checked. Returns the files changed and the ids added to each."""
    result = check_paths(paths)
    taken = {n.id for d in result.decks for n in d.notes if n.id}
    changed: dict[Path, list[str]] = {}
    for deck in result.decks:
        text = read_deck_text(deck.path)
        prefix = deck.header.id_prefix or slugify(deck.path.stem, None, max_words=2)
        new_text, added = fix_text(text, prefix, taken)
        if new_text and not new_text.endswith("\n"):
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
