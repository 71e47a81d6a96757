"""Keeping the store safe: checked backups (daily, on request, before a restore), the sound-store
check before anything is written, restore (also over a damaged store), the doctor that checks
integrity and rebuilds card states from the review log, and reviews dated in the future."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from hcflash.backups import CLOCK_TOLERANCE, backed_up_today, backup_path, prune
from hcflash.errors import StoreError
from hcflash.records import CardState
from hcflash.settings import Settings
from hcflash.store import Store
from hcflash.store.base import StoreDamaged, damage_advice
from hcflash.store.copies import build_restored_copy, probe_store, replace_store_file
from hcflash.store.soundness import refusal

if TYPE_CHECKING:
    from hcflash.records import DoctorReport
    from hcflash.service import StudyService

# A store up to this size is quick-checked whenever a command opens it for writing (about 60 ms at
# this size); a larger one is checked once a day, when its daily backup is copied and checked.
QUICK_CHECK_MAX_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True)
class RestoreOutcome:
    """Where the store as it was went: a checked backup if it was sound, else the damaged file set aside."""

    saved: Path | None
    damaged_aside: Path | None


class Maintenance:
    def __init__(self, col: StudyService) -> None:
        self.col = col

    def backup(self, label: str = "manual") -> Path:
        """A checked copy of the store in its backups folder; older ones beyond the limit go, never
        the copy just taken (the last good one)."""
        store, now = self.col.store, self.col.now()
        path = store.backup_to(backup_path(store.path, now, label))
        prune(store.path, self.col.settings.backups_kept, protect=path, now=now)
        return path

    def daily_backup(self) -> Path | None:
        """The once-a-day backup, taken on the first use of each study day."""
        now = self.col.now()
        day_start, _ = self.col.limits.day_bounds(now)
        if backed_up_today(self.col.store.path, day_start, now):
            return None
        return self.backup("daily")

    def ensure_sound(self, beside: bool = False) -> None:
        """Refuse to write to a store that fails SQLite's quick check (see QUICK_CHECK_MAX_BYTES).

        `beside`: check on a thread of its own while the caller goes on (a review session showing
        its first card), started when the verdict is first asked for, the store's first write
        waiting for it; otherwise check now."""
        store = self.col.store
        try:
            size = store.path.stat().st_size
        except OSError:
            return
        if size > QUICK_CHECK_MAX_BYTES:
            return
        if beside:
            store.check_before_writes()
            return
        problems = store.quick_check()
        if problems:
            raise refusal(store.path, problems)

    def clamp_future_reviews(self) -> int:
        """Reviews dated more than CLOCK_TOLERANCE ahead of now (the clock ran ahead, then was put
        right) count as given now, their cards scheduled from now with the same intervals. Returns
        how many moved, for the caller to say so."""
        now = self.col.now()
        limit = now + CLOCK_TOLERANCE
        if not self.col.store.log.count_after(limit):
            return 0
        moved = self.col.store.log.clamp_after(limit, now)
        self.col.forget_caches()
        return moved

    def restore(self, path: Path) -> Path:
        """Replace the open store with a backup after checking it; the current store is backed up first."""
        problems = Store.inspect_file(path)
        if problems:
            raise StoreError(f"{path}: cannot restore: {problems[0]}; the store was not changed")
        store = self.col.store
        temp = _restoring_path(store.path)
        build_restored_copy(path, temp, store.path, store.page_size())
        try:
            safety = self.backup("before-restore")
            store.replace_content(temp)
        finally:
            temp.unlink(missing_ok=True)
        self.col.forget_caches()
        self.col.review.forget_session()
        return safety

    def doctor(self, fix: bool = True) -> DoctorReport:
        """Integrity check, orphan rows, and card states that disagree with their review log. A store
        that fails the integrity check is reported, with the backup to restore, and not touched."""
        from hcflash.records import DoctorReport  # the command reports load when a command reports

        store = self.col.store
        problems = store.integrity.problems()
        if problems:
            return DoctorReport(tuple(problems), {}, (), False, advice=damage_advice(store.path))
        orphans = {kind: ids for kind, ids in store.integrity.orphans().items() if ids}
        logged = store.log.last_states()
        states = store.states.all()
        fact_changes = store.changes.latest_fact_changes()
        rebuilt: list[CardState] = []
        for card_id, last in logged.items():
            current = states.get(card_id)
            if current is None:
                continue
            if current.state == "new" and current.last_review is None:
                continue  # a card the learner reset keeps its history but starts over
            changed_at = fact_changes.get(card_id)
            if changed_at is not None and last.state != "new" and (last.last_review is None or last.last_review < changed_at):
                # A fact changed after the newest review: the sync sent the card to relearning, which
                # no review row records. That state is the expected one, not damage.
                last = last.with_changes(state="relearning", step=0, due=changed_at)
            if (current.state, current.due, current.last_review, current.reps, current.lapses) != (
                last.state, last.due, last.last_review, last.reps, last.lapses
            ):
                rebuilt.append(last.with_changes(card_id=card_id, suspended=current.suspended, buried_until=current.buried_until))
        for card_id, current in states.items():
            if card_id not in logged and current.state != "new":
                rebuilt.append(CardState(card_id=card_id, suspended=current.suspended))
        if fix:
            if orphans:
                store.integrity.fix_orphans(store.integrity.orphans())
            if rebuilt:
                store.states.save_all(rebuilt)
            self.col.review.forget_previews()
        return DoctorReport(tuple(problems), {k: len(v) for k, v in orphans.items()}, tuple(s.card_id for s in rebuilt), fix)


def _restoring_path(store_path: Path) -> Path:
    return store_path.with_name(f".{store_path.name}.restoring-{os.getpid()}")


def restore_store(store_path: Path, backup: Path, now: datetime, create_folder: bool = False) -> RestoreOutcome:
    """Put a checked backup in place of the store at `store_path`, whatever state the store is in.

    The backup is checked first, and nothing changes if it fails. A sound store is backed up, then
    its content replaced in one step (as `Maintenance.restore`). A store that is damaged, garbage
    or missing is never opened for writing: the restored file is prepared beside it and renamed
    over it, and the damaged file is kept aside (`<name>.damaged-<time>`)."""
    store_path = Path(store_path)
    problems = Store.inspect_file(backup)
    if problems:
        raise StoreError(f"{backup}: cannot restore: {problems[0]}; the store was not changed")
    if store_path.exists() and Path(backup).resolve() == store_path.resolve():
        raise StoreError(f"{backup} is the store itself; name a backup")
    if not store_path.parent.is_dir():
        if not create_folder:
            raise StoreError(f"{store_path}: the folder {store_path.parent} does not exist (a typo in --db?); create it first")
        store_path.parent.mkdir(parents=True, exist_ok=True)
    condition = probe_store(store_path)
    if condition.busy:
        raise StoreError(f"{store_path}: another hcflash session has this store open; close it and try again")
    temp = _restoring_path(store_path)
    build_restored_copy(backup, temp, store_path, condition.page_size if condition.sound else None)
    try:
        if condition.sound:
            saved = _swap_into_sound_store(store_path, temp, now)
            if saved is not None:
                return RestoreOutcome(saved=saved, damaged_aside=None)
            temp.unlink(missing_ok=True)  # the store proved damaged: rebuild at the backup's own page size
            build_restored_copy(backup, temp, store_path, None)
        return RestoreOutcome(saved=None, damaged_aside=replace_store_file(store_path, temp))
    finally:
        temp.unlink(missing_ok=True)


def _swap_into_sound_store(store_path: Path, temp: Path, now: datetime) -> Path | None:
    """Back up the store, then replace its content; None if the backup found it damaged after all."""
    with Store.open(store_path) as store:
        settings = Settings.from_values(store.settings.load())
        try:
            saved = store.backup_to(backup_path(store_path, now, "before-restore"))
        except StoreDamaged:
            return None
        prune(store_path, settings.backups_kept, protect=saved, now=now)
        store.replace_content(temp)
    return saved
