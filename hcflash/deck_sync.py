"""Sync: scan the deck folders, plan what changes (`sync.plan_sync`), and apply it in one transaction.

The scan reads only the files whose size or mtime moved, and parses only those whose content hash
changed, so a sync with nothing edited is near-instant; any error in any deck stops the sync before
the store is touched.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from hcflash.bulk import collector_paused
from hcflash.cards import expand_note
from hcflash.errors import ConfigError, DeckError
from hcflash.locations import deck_files, find_deck_files
from hcflash.records import SyncReport
from hcflash.store import FileRecord

if TYPE_CHECKING:
    from hcflash.issue_codes import DeckIssue
    from hcflash.records import CardContent, DeckFile
    from hcflash.reparse import ParseMemo
    from hcflash.service import StudyService


@dataclass(frozen=True)
class ParsedFile:
    """A deck file that changed, with what sync will record of it once the whole sync succeeds."""

    record: FileRecord
    deck: DeckFile


@dataclass
class DeckScan:
    """What the deck folders hold compared with the store's file index."""

    parsed: list[ParsedFile] = field(default_factory=list)  # files whose content changed, parsed
    touched: list[FileRecord] = field(default_factory=list)  # files with a new mtime but the same content
    current: set[str] = field(default_factory=set)  # every deck file found
    issues: list[DeckIssue] = field(default_factory=list)
    skipped: int = 0


def file_key(path: Path, folders: dict[Path, str] | None = None) -> str:
    """What the store's file index knows a deck file by: what `path.resolve()` gives, with each
    folder resolved once (`folders`) for a file that is no link."""
    if path.is_symlink():
        return str(path.resolve())
    parent = folders.get(path.parent) if folders is not None else None
    if parent is None:
        parent = str(path.parent.resolve())
        if folders is not None:
            folders[path.parent] = parent
    return os.path.join(parent, path.name)


def scan_decks(roots: Sequence[Path], index: dict[str, FileRecord], parses: dict[str, ParseMemo] | None = None) -> DeckScan:
    """Find every deck file below `roots`, reading and parsing only those that changed since `index`
    (a file that `parses` holds, parsed ahead of an edit, is re-parsed only around the edit).
    A changed file is held to the same rules as `hcflash check`: its parse errors and the linter's
    errors (raw HTML, links out of the deck folder, weak sources, ...; not the rules that depend on
    the day, see `lint_deck`) are the scan's issues. A file
    or folder that cannot be read is an error too, so its cards are never taken for removed."""
    scan = DeckScan()
    folders: dict[Path, str] = {}  # each folder resolved once: resolving every file cost ~2.5 ms per 100 files
    for root in roots:
        folder = find_deck_files(root)
        for path, why in folder.unreadable:
            scan.issues.append(_unreadable(f"cannot read folder: {why} (its cards would look removed)", path))
        for path in folder.files:
            key = file_key(path, folders)
            if key in scan.current:
                continue
            scan.current.add(key)
            known = index.get(key)
            try:
                stat = path.stat()
                if known and known.size == stat.st_size and known.mtime_ns == stat.st_mtime_ns:
                    scan.skipped += 1
                    continue
                data = path.read_bytes()
            except OSError as exc:
                scan.issues.append(_unreadable(f"cannot read file: {exc.strerror or exc}", path))
                continue
            import hashlib  # only for a file whose size or time moved

            digest = hashlib.sha256(data).hexdigest()
            record = FileRecord(key, digest, stat.st_size, stat.st_mtime_ns)
            if known and known.content_hash == digest:
                scan.touched.append(record)  # touched but not edited: remember the new mtime only
                scan.skipped += 1
                continue
            from hcflash.deck import deck_name_from_path, decode_deck_bytes, parse_deck  # only when a file changed
            from hcflash.lint import lint_deck

            try:
                text = decode_deck_bytes(data, path)
            except DeckError as exc:
                scan.issues.extend(exc.issues)
                continue
            base = root if root.is_dir() else root.parent
            relative = path.relative_to(root) if root.is_dir() else Path(path.name)
            deck = parse_deck(text, Path(key), deck_name_from_path(relative), parses)
            scan.issues.extend(deck.issues)
            scan.issues.extend(i for i in lint_deck(deck, base, dated=False) if i.severity == "error")
            scan.parsed.append(ParsedFile(record, deck))
    return scan


# The issue codes load with the first issue: a sync with nothing wrong, which starts every session,
# goes without them.
def _unreadable(message: str, path: Path) -> DeckIssue:
    from hcflash.issue_codes import UNREADABLE, DeckIssue

    return DeckIssue(UNREADABLE, message, path, 1)


def _refuse(errors: list[DeckIssue]) -> NoReturn:
    from hcflash.issue_codes import capped

    raise DeckError(capped(errors))


class DeckSync:
    """Keeps the store in line with the deck folders."""

    def __init__(self, col: StudyService) -> None:
        self.col = col
        # The deck files parsed ahead of an edit in this session (a few at most), so that the sync
        # after it (the review screen's edit key) re-parses only the cards around it (`parse_deck`).
        self.parses: dict[str, ParseMemo] = {}

    def expect_edit(self, path: Path) -> None:
        """Parse a deck file before an editor opens on it, so that the sync once it is saved
        re-parses only the cards the edit touched. A file that cannot be read is left to that sync."""
        from hcflash.deck import read_deck_text, remember_parse

        try:
            text = read_deck_text(path)
        except DeckError:
            return
        remember_parse(text, Path(file_key(path)), self.parses)

    def copy_bundled(self, dest: Path) -> tuple[int, SyncReport]:
        """Copy the bundled decks to a folder of the learner's (a fork's checkout, say), make it the
        deck folder, and sync: every card keeps its id and so its history; only its file moves.
        Returns the number of deck files copied and the sync report."""
        import shutil

        from hcflash.locations import bundled_decks_dir

        dest = dest.expanduser().resolve()
        if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
            raise ConfigError(f"{dest} is not an empty folder: choose a new or empty one, so nothing of yours is overwritten")
        source = bundled_decks_dir()
        try:
            shutil.copytree(source, dest, dirs_exist_ok=True, ignore=shutil.ignore_patterns("__pycache__"))
        except OSError as exc:
            raise ConfigError(f"cannot copy the decks to {dest}: {exc.strerror or exc}") from exc
        copied = len(deck_files(dest))
        from dataclasses import replace

        self.col.save_settings(replace(self.col.settings, deck_dirs=(str(dest),)))
        self.col.use_deck_dirs((dest,))
        return copied, self.run()

    def run(self) -> SyncReport:
        """Bring the store in line with the deck folders: all of it in one transaction, or nothing."""
        with collector_paused():
            return self._run()

    def _run(self) -> SyncReport:
        store = self.col.store
        roots = self.col.deck_dirs()
        for root in roots:
            if not root.exists():
                raise ConfigError(f"deck folder {root} does not exist")
        index = store.sync.file_index()
        now = self.col.now()
        today = self.col.limits.today(now)
        scan = scan_decks(roots, index, self.parses)
        errors = [i for i in scan.issues if i.severity == "error"]
        if errors:
            _refuse(errors)
        removed = sorted(set(index) - scan.current)
        expired = store.sync.expire(today, now)  # windows close on their day, edited or not
        if not scan.parsed and not removed:
            # Nothing edited: skip loading every stored card (the no-op sync must be near-instant).
            if scan.touched:
                from hcflash.sync import SyncPlan  # the planner loads only when a deck changed

                store.sync.apply(SyncPlan(), scan.touched, [], {}, now, today)
            if expired:
                self.col.limits.forget()
            return SyncReport(unchanged=store.cards.count(), files_skipped=scan.skipped, expired=expired)
        from hcflash.sync import plan_sync

        contents: list[CardContent] = []
        descriptions: dict[str, str] = {}
        for item in scan.parsed:
            header = item.deck.header
            if header.description:
                descriptions[header.name] = header.description
            for note in item.deck.notes:
                contents.extend(expand_note(note, header, item.record.path))
        reparsed = {p.record.path for p in scan.parsed} | set(removed)
        if any(card.replaces for card in contents):
            known = store.sync.known()  # Replaces: may name any card the store has ever held
        else:
            known = store.sync.known({card.key for card in contents}, reparsed)  # what the plan compares, no more
        plan = plan_sync(contents, reparsed, known, today)
        plan_errors = [i for i in plan.issues if i.severity == "error"]
        if plan_errors:
            _refuse(plan_errors)
        store.sync.apply(plan, [p.record for p in scan.parsed] + scan.touched, removed, descriptions, now, today)
        self.col.review.forget_previews()
        self.col.limits.forget()
        changed = sum(u.content_changed for u in plan.updates)
        facts = sum(u.change_kind == "fact" for u in plan.updates)
        revived = sum(u.revived for u in plan.updates)
        expired += sum(u.newly_expired for u in plan.updates) + sum(c.expired_on(today) for c in plan.inserts)
        moved = sum(u.moved and not u.content_changed and not u.revived for u in plan.updates)
        live = store.cards.count()
        return SyncReport(
            added=len(plan.inserts),
            changed=changed,
            moved=moved,
            retired=len(plan.retire_ids),
            revived=revived,
            facts=facts,
            expired=expired,
            unchanged=live - len(plan.inserts) - changed - moved - revived,
            carried=len(plan.carries),
            files_parsed=len(scan.parsed),
            files_skipped=scan.skipped,
            warnings=tuple(i for i in [*scan.issues, *plan.issues] if i.severity == "warning"),
        )
