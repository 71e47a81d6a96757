"""Keeping the store safe: backups (daily, on request, before a restore), restore, and the doctor
that checks integrity and rebuilds card states from the review log."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from hcflash.backups import backed_up_today, backup_dir, prune
from hcflash.errors import StoreError
from hcflash.records import CardState, DoctorReport

if TYPE_CHECKING:
    from hcflash.service import StudyService


class Maintenance:
    def __init__(self, col: StudyService) -> None:
        self.col = col

    def backup(self, label: str = "manual") -> Path:
        """A consistent copy of the store in its backups folder; older ones beyond the limit go."""
        store = self.col.store
        folder = backup_dir(store.path)
        path = store.backup_to(folder, label, self.col.now())
        prune(folder, self.col.settings.backups_kept)
        return path

    def daily_backup(self) -> Path | None:
        """The once-a-day backup, taken on the first use of each study day."""
        day_start, _ = self.col.limits.day_bounds()
        if backed_up_today(backup_dir(self.col.store.path), day_start):
            return None
        return self.backup("daily")

    def restore(self, path: Path) -> Path:
        """Replace the store with a backup after checking it; the current store is backed up first."""
        problems = self.col.store.inspect_file(path)
        if problems:
            raise StoreError(f"{path}: cannot restore: {problems[0]}; the store was not changed")
        safety = self.backup("before-restore")
        self.col.store.restore_from(path)
        self.col.forget_caches()
        self.col.review.forget_session()
        return safety

    def doctor(self, fix: bool = True) -> DoctorReport:
        """Integrity check, orphan rows, and card states that disagree with their review log."""
        store = self.col.store
        problems = store.integrity.problems()
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
