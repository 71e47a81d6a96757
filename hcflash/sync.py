"""Deciding what a sync changes: pure functions from parsed decks and stored rows to a plan.

The store applies the plan in one transaction; keeping the decision here means the rules (edits keep
history, removals retire, ids are unique across all decks) are tested without a database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Literal

from hcflash.issue_codes import DUPLICATE_ID, REPLACES_LIVE, REPLACES_UNKNOWN, DeckIssue
from hcflash.records import CardContent, provenance_key


@dataclass(frozen=True)
class KnownCard:
    """What sync needs to know of a stored card."""

    id: int
    key: str
    deck: str
    file: str
    line: int
    content_hash: str
    tags: tuple[str, ...]
    retired: bool
    provenance: str = provenance_key(None, (), None, None, None)  # a card with no provenance lines
    change: tuple[str, str, str] | None = None  # the Change: line last applied: kind, date, reason
    retire_reason: str | None = None


ChangeKind = Literal["fact", "wording", "edit"]


@dataclass(frozen=True)
class CardUpdate:
    id: int
    content: CardContent
    content_changed: bool
    revived: bool
    moved: bool
    change_kind: ChangeKind | None = None  # why the content changed: the deck's new Change: line, else "edit"
    expired: bool = False  # the card's validity window has closed: it stays (or becomes) retired
    newly_expired: bool = False


@dataclass(frozen=True)
class Carry:
    """History to copy onto a newly added card from the cards its note `Replaces:`."""

    new_key: str
    old_ids: tuple[int, ...]


@dataclass
class SyncPlan:
    inserts: list[CardContent] = field(default_factory=list)
    carries: list[Carry] = field(default_factory=list)
    updates: list[CardUpdate] = field(default_factory=list)
    retire_ids: list[int] = field(default_factory=list)
    unchanged: int = 0
    issues: list[DeckIssue] = field(default_factory=list)


def plan_sync(
    parsed: list[CardContent],
    reparsed_files: set[str],
    known: dict[str, KnownCard],
    today: date | None = None,
) -> SyncPlan:
    """Compare the cards of the re-parsed (or removed) files with what the store holds.

    `parsed` holds every card of the files in `reparsed_files`; cards of files not listed there are
    untouched. `known` must hold at least the stored cards with a key in `parsed` or a file in
    `reparsed_files`, and every stored card when a parsed card names `Replaces:`. A key that is
    live in a file outside `reparsed_files` is a duplicate id. A content change takes its kind
    from a Change: line the store has not applied yet (a fact change or a wording fix), else it
    is a plain edit. A card whose validity window closed before `today` is kept retired, with its
    history, and comes back if the window is extended.
    `Replaces:` carries history to a card that is added or comes back (a rename that goes back,
    `a → b → a`, brings the reviews done under `b` home); it may not name a card that stays in the
    decks (that would copy one history into two live cards), and naming an id this store has never
    held is a warning.
    """
    plan = SyncPlan()
    seen: dict[str, CardContent] = {}
    _check_replaces(parsed, reparsed_files, known, plan)
    for card in parsed:
        if card.key in seen:
            first = seen[card.key]
            if first.note_id != card.note_id or first.file != card.file or first.line != card.line:
                plan.issues.append(
                    DeckIssue(DUPLICATE_ID, f"id {card.note_id!r} is already used at {first.file}:{first.line}", Path(card.file), card.line)
                )
            continue
        seen[card.key] = card
        old = known.get(card.key)
        if old is not None and not old.retired and old.file not in reparsed_files:
            plan.issues.append(
                DeckIssue(DUPLICATE_ID, f"id {card.note_id!r} is already used at {old.file}:{old.line}", Path(card.file), card.line)
            )
            continue
        expired = today is not None and card.expired_on(today)
        if old is None or (old.retired and not expired):  # added, or coming back
            sources = _replaced_cards(card, known)
            if sources:
                plan.carries.append(Carry(card.key, sources))
        if old is None:
            plan.inserts.append(card)
            continue
        content_changed = old.content_hash != card.content_hash
        moved = old.file != card.file or old.deck != card.deck
        same_place = old.line == card.line and old.tags == card.tags and old.provenance == card.provenance
        if content_changed or moved or old.retired or expired or not same_place:
            plan.updates.append(CardUpdate(
                old.id, card, content_changed, old.retired and not expired, moved, _change_kind(card, old) if content_changed else None,
                expired=expired, newly_expired=expired and not old.retired,
            ))
        else:
            plan.unchanged += 1
    for old in known.values():
        if old.file in reparsed_files and not old.retired and old.key not in seen:
            plan.retire_ids.append(old.id)
    return plan


def _change_kind(card: CardContent, old: KnownCard) -> ChangeKind:
    """A Change: line the store has not seen yet says why the content changed; an old one says nothing."""
    if card.change is not None and old.change != (card.change.kind, card.change.on.isoformat(), card.change.reason):
        return card.change.kind
    return "edit"


def note_of(key: str) -> str:
    """The note id of a card key (`x#c2` → `x`)."""
    return key.split("#", 1)[0]


def _check_replaces(parsed: list[CardContent], reparsed_files: set[str], known: dict[str, KnownCard], plan: SyncPlan) -> None:
    """`Replaces:` must name cards that leave the decks (HC114), and ids the store knows (HC115, a warning)."""
    if not any(card.replaces for card in parsed):
        return  # the usual edit: no need to index every stored card
    live: dict[str, tuple[str, int]] = {}
    for card in parsed:
        live.setdefault(card.note_id, (card.file, card.line))
    for old in known.values():
        if not old.retired and old.file not in reparsed_files:
            live.setdefault(note_of(old.key), (old.file, old.line))
    ever = {note_of(key) for key in known}
    checked: set[tuple[str, int]] = set()
    for card in parsed:
        if (card.file, card.line) in checked:
            continue
        checked.add((card.file, card.line))
        for old_note in card.replaces:
            if old_note == card.note_id or old_note in live:
                file, line = live.get(old_note, (card.file, card.line))
                plan.issues.append(DeckIssue(REPLACES_LIVE, replaces_live_message(old_note, f"{file}:{line}"), Path(card.file), card.line))
            elif known and old_note not in ever:
                plan.issues.append(
                    DeckIssue(
                        REPLACES_UNKNOWN, f"Replaces: {old_note} names no card this store has ever held; no history is carried",
                        Path(card.file), card.line, "warning",
                    )
                )


def replaces_live_message(old_note: str, where: str) -> str:
    return f"Replaces: {old_note} names a card that is still in the decks ({where}): remove that card, or this Replaces: line"


def _replaced_cards(card: CardContent, known: dict[str, KnownCard]) -> tuple[int, ...]:
    """Stored cards this card takes history from: the same card kind of each replaced note
    (`old#c2` for this note's `#c2`), or the old note's basic card."""
    suffix = card.key[len(card.note_id):]
    found = []
    for old_note in card.replaces:
        old = known.get(old_note + suffix) or (known.get(old_note) if suffix else None)
        if old is not None and old.key != card.key:
            found.append(old.id)
    return tuple(dict.fromkeys(found))
