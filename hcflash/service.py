"""The thin layer the CLI and the TUI both call: sync, the review loop, deck counts, card info.

It owns the rules of a study day (limits, order, undo within a session) and calls the store for
every read and write; it holds no SQL and no UI code. Time comes from an injectable clock so tests
run on a fixed one.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from hcflash import schedule
from hcflash.cards import expand_note, front_and_back
from hcflash.errors import ConfigError, DeckError, ReviewError, StoreError
from hcflash.issue_codes import DeckIssue
from hcflash.locations import bundled_decks_dir, deck_files, env_deck_dirs
from hcflash.records import (
    BrowseRow,
    CardContent,
    CardInfo,
    CardState,
    DeckCounts,
    DeckFile,
    DoctorReport,
    ExportCard,
    ExportSummary,
    FlagRow,
    ImportReport,
    Preview,
    QueueCounts,
    ReviewCard,
    ReviewEntry,
    SessionSummary,
    StoredCard,
    SyncReport,
)
from hcflash.settings import Settings, apply_setting
from hcflash.stats import Stats, build_stats

if TYPE_CHECKING:
    from hcflash.optimize import FitResult, RetentionOutcome
from hcflash.store import FileRecord, StateChanged, Store
from hcflash.sync import SyncPlan, plan_sync
from hcflash.timeutil import as_utc, next_study_day_start, study_day_start, utcnow

MAX_ANSWER_MS = 60_000  # like Anki's "maximum answer seconds": a card left open doesn't skew stats


@dataclass(frozen=True)
class _ParsedFile:
    record: FileRecord
    deck: DeckFile


class StudyService:
    """One learner's collection: a store, the deck folders it mirrors, and a clock."""

    def __init__(
        self,
        store: Store,
        deck_dirs: Sequence[Path] | None = None,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.store = store
        self._explicit_dirs = tuple(Path(d) for d in deck_dirs or ())
        self._clock = clock
        self._settings: Settings | None = None
        self._previews: dict[int, tuple[CardState, dict[int, CardState]]] = {}
        self._shown_at: dict[int, datetime] = {}
        self._undo_stack: list[int] = []
        self._session: dict[int, ReviewEntry] = {}  # this session's ratings by log id, for its summary
        self._usage: tuple[datetime, int, int] | None = None  # (study day start, new seen, reviews done)

    # -- settings ---------------------------------------------------------------------------

    def now(self) -> datetime:
        return as_utc(self._clock())

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            self._settings = Settings.from_values(self.store.settings.load())
        return self._settings

    def set_setting(self, name: str, text: str) -> Settings:
        updated = apply_setting(self.settings, name, text)
        self.save_settings(updated)
        return updated

    def save_settings(self, settings: Settings) -> None:
        self.store.settings.save(settings.to_values())
        self._settings = settings
        self._previews.clear()
        self._usage = None

    def deck_dirs(self) -> tuple[Path, ...]:
        """Folders to sync: `--decks`, else HCFLASH_DECKS, else the deck-dirs setting, else the bundled decks."""
        dirs = self._explicit_dirs or env_deck_dirs() or tuple(Path(d) for d in self.settings.deck_dirs)
        return dirs or (bundled_decks_dir(),)

    # -- sync -------------------------------------------------------------------------------

    def sync(self) -> SyncReport:
        """Bring the store in line with the deck folders: all of it in one transaction, or nothing."""
        roots = self.deck_dirs()
        for root in roots:
            if not root.exists():
                raise ConfigError(f"deck folder {root} does not exist")
        index = self.store.cards.file_index()
        current: set[str] = set()
        parsed: list[_ParsedFile] = []
        touched: list[FileRecord] = []
        issues: list[DeckIssue] = []
        skipped = 0
        for root in roots:
            for path in deck_files(root):
                key = str(path.resolve())
                if key in current:
                    continue
                current.add(key)
                stat = path.stat()
                known = index.get(key)
                if known and known.size == stat.st_size and known.mtime_ns == stat.st_mtime_ns:
                    skipped += 1
                    continue
                data = path.read_bytes()
                digest = hashlib.sha256(data).hexdigest()
                record = FileRecord(key, digest, stat.st_size, stat.st_mtime_ns)
                if known and known.content_hash == digest:
                    touched.append(record)  # touched but not edited: remember the new mtime only
                    skipped += 1
                    continue
                from hcflash.deck import deck_name_from_path, decode_deck_bytes, parse_deck  # only when a file changed

                try:
                    text = decode_deck_bytes(data, path)
                except DeckError as exc:
                    issues.extend(exc.issues)
                    continue
                relative = path.relative_to(root) if root.is_dir() else Path(path.name)
                deck = parse_deck(text, Path(key), deck_name_from_path(relative))
                issues.extend(deck.issues)
                parsed.append(_ParsedFile(record, deck))
        errors = [i for i in issues if i.severity == "error"]
        if errors:
            raise DeckError(errors)
        removed = sorted(set(index) - current)
        if not parsed and not removed:
            # Nothing edited: skip loading every stored card (the no-op sync must be near-instant).
            if touched:
                self.store.cards.apply_sync(SyncPlan(), touched, [], {}, self.now())
            return SyncReport(unchanged=self.store.cards.count(), files_skipped=skipped)
        contents: list[CardContent] = []
        descriptions: dict[str, str] = {}
        for item in parsed:
            header = item.deck.header
            if header.description:
                descriptions[header.name] = header.description
            for note in item.deck.notes:
                contents.extend(expand_note(note, header, item.record.path))
        plan = plan_sync(contents, {p.record.path for p in parsed} | set(removed), self.store.cards.known())
        if plan.issues:
            raise DeckError(plan.issues)
        self.store.cards.apply_sync(plan, [p.record for p in parsed] + touched, removed, descriptions, self.now())
        self._previews.clear()
        changed = sum(u.content_changed for u in plan.updates)
        revived = sum(u.revived for u in plan.updates)
        moved = sum(u.moved and not u.content_changed and not u.revived for u in plan.updates)
        live = self.store.cards.count()
        return SyncReport(
            added=len(plan.inserts),
            changed=changed,
            moved=moved,
            retired=len(plan.retire_ids),
            revived=revived,
            unchanged=live - len(plan.inserts) - changed - moved - revived,
            carried=len(plan.carries),
            files_parsed=len(parsed),
            files_skipped=skipped,
            warnings=tuple(i for i in issues if i.severity == "warning"),
        )

    # -- the study day ----------------------------------------------------------------------

    def day_bounds(self, now: datetime | None = None) -> tuple[datetime, datetime]:
        now = now or self.now()
        s = self.settings
        return study_day_start(now, s.rollover_hour, s.tz), next_study_day_start(now, s.rollover_hour, s.tz)

    def _remaining_limits(self, now: datetime, day_start: datetime) -> tuple[int, int]:
        # Today's usage is read once per study day and then kept up to date by rate() and undo(),
        # so showing the next card costs no scan of the review log.
        if self._usage is None or self._usage[0] != day_start:
            self._usage = (day_start, *self.store.queue.studied_since(day_start))
        _, new_done, reviews_done = self._usage
        s = self.settings
        return max(0, s.new_per_day - new_done), max(0, s.reviews_per_day - reviews_done)

    def _count_usage(self, entry: ReviewEntry, sign: int) -> None:
        if self._usage is None or entry.reviewed_at < self._usage[0]:
            return
        day_start, new_done, reviews_done = self._usage
        new_done += sign * (entry.before.state == "new")
        reviews_done += sign * (entry.before.state == "review")
        self._usage = (day_start, new_done, reviews_done)

    def queue_counts(self, decks: Sequence[str] | None = None) -> QueueCounts:
        now = self.now()
        day_start, day_end = self.day_bounds(now)
        new_left, reviews_left = self._remaining_limits(now, day_start)
        learn_until = now + timedelta(minutes=self.settings.learn_ahead_minutes)
        return QueueCounts(
            new=self.store.queue.count_new(now, decks, cap=new_left),
            learning=self.store.queue.count_due(("learning", "relearning"), learn_until, now, decks),
            review=self.store.queue.count_due(("review",), day_end, now, decks, cap=reviews_left),
        )

    def next_card(self, decks: Sequence[str] | None = None) -> ReviewCard | None:
        """The card to show now: learning cards due, then reviews due today, then new cards, within
        the daily limits; then learning cards due within the learn-ahead window. None when done."""
        now = self.now()
        day_start, day_end = self.day_bounds(now)
        new_left, reviews_left = self._remaining_limits(now, day_start)
        learning = ("learning", "relearning")
        just_after_now = now + timedelta(microseconds=1)
        ids = self.store.queue.due_ids(learning, just_after_now, now, decks, 1)
        if not ids and reviews_left:
            ids = self.store.queue.due_ids(("review",), day_end, now, decks, 1)
        if not ids and new_left:
            ids = self.store.queue.new_ids(now, decks, 1)
        if not ids:
            ahead = now + timedelta(minutes=self.settings.learn_ahead_minutes)
            ids = self.store.queue.due_ids(learning, ahead, now, decks, 1)
        if not ids:
            return None
        card = self.review_card(ids[0])
        self._shown_at[card.id] = now
        return card

    def review_card(self, card_id: int) -> ReviewCard:
        card, state = self.store.cards.with_state(card_id)
        front, back = front_and_back(card.kind, card.ord, card.question, card.answer)
        edited = bool(
            card.content_changed_at and state.last_review and card.content_changed_at > state.last_review
        )
        tags = card.tags + (("leech",) if state.leech and "leech" not in card.tags else ())
        return ReviewCard(
            id=card.id, key=card.key, deck=card.deck, kind=card.kind, front=front, back=back,
            sources=card.sources, tags=tags, file=card.file, line=card.line, state=state,
            edited_since_review=edited,
        )

    def preview(self, card_id: int) -> dict[int, Preview]:
        """What each rating would do, as intervals; `rate` stores exactly these results."""
        now = self.now()
        state = self.store.states.get(card_id)
        cached = self._previews.get(card_id)
        if cached is None or cached[0] != state:
            scheduler = schedule.make_scheduler(self.settings)
            cached = (state, schedule.preview(scheduler, state, now, self.settings))
            self._previews[card_id] = cached
        return {
            rating: Preview(rating, after, (after.due or now) - (after.last_review or now))
            for rating, after in cached[1].items()
        }

    def rate(self, card_id: int, rating: int, duration_ms: int | None = None) -> ReviewEntry:
        """Record a rating; committed to disk before this returns."""
        if rating not in schedule.RATINGS:
            raise ReviewError(f"rating must be 1 (Again) to 4 (Easy), not {rating}")
        if duration_ms is None and card_id in self._shown_at:
            duration_ms = int((self.now() - self._shown_at[card_id]).total_seconds() * 1000)
        if duration_ms is not None:
            duration_ms = max(0, min(duration_ms, MAX_ANSWER_MS))
        for attempt in range(3):
            before = self.store.states.get(card_id)
            after = self.preview(card_id)[rating].state
            reviewed_at = after.last_review or self.now()
            try:
                log_id = self.store.log.record(card_id, rating, reviewed_at, duration_ms, before, after)
                break
            except StateChanged:
                # Another process rated this card first: apply this rating on top of theirs.
                self._previews.pop(card_id, None)
                if attempt == 2:
                    raise
        self._previews.pop(card_id, None)
        self._shown_at.pop(card_id, None)
        self._undo_stack.append(log_id)
        entry = ReviewEntry(log_id, card_id, rating, reviewed_at, duration_ms, before, after)
        self._session[log_id] = entry
        self._count_usage(entry, +1)
        return entry

    def undo(self) -> int:
        """Take back the last rating of this session; returns the card id so it can be shown again."""
        while self._undo_stack:
            log_id = self._undo_stack.pop()
            entry = self.store.log.entry(log_id)
            self._session.pop(log_id, None)
            if entry is not None:
                self.store.log.undo(entry)
                self._count_usage(entry, -1)
                self._previews.pop(entry.card_id, None)
                return entry.card_id
        raise ReviewError("nothing to undo in this session")

    def card_change(self, card_id: int) -> str | None:
        """What changed in the card's text since the learner last reviewed it, as a short diff."""
        card, state = self.store.cards.with_state(card_id)
        if not (card.content_changed_at and state.last_review and card.content_changed_at > state.last_review):
            return None
        if card.previous_question is None and card.previous_answer is None:
            return None
        old = f"{card.previous_question or ''}\n{card.previous_answer or ''}"
        return content_diff(old, f"{card.question}\n{card.answer}") or None

    def reset(self, card_id: int) -> None:
        """Start the card over as new (its review history stays in the log)."""
        current = self.store.states.get(card_id)
        self.store.states.save(CardState(card_id=card_id, suspended=current.suspended))
        self._previews.pop(card_id, None)

    def bury(self, card_id: int) -> None:
        """Hide until the next study day (Anki's bury)."""
        _, day_end = self.day_bounds()
        self.store.states.set_flags(card_id, buried_until=day_end)
        self._previews.pop(card_id, None)

    def suspend(self, card_id: int) -> None:
        self.store.states.set_flags(card_id, suspended=True)
        self._previews.pop(card_id, None)

    def unsuspend(self, card_id: int) -> None:
        """Unsuspend; a leech keeps its tag but comes back to the queue."""
        self.store.states.set_flags(card_id, suspended=False)

    def card_info(self, card_id: int) -> CardInfo:
        card, state = self.store.cards.with_state(card_id)
        scheduler = schedule.make_scheduler(self.settings)
        return CardInfo(
            card=card,
            state=state,
            history=tuple(self.store.log.of_card(card_id)),
            retrievability=schedule.retrievability(scheduler, state, self.now()),
        )

    # -- decks ------------------------------------------------------------------------------

    def deck_counts(self) -> list[DeckCounts]:
        """Every deck and its parents, with counts summed over sub-decks, in tree order."""
        now = self.now()
        _, day_end = self.day_bounds(now)
        learn_until = now + timedelta(minutes=self.settings.learn_ahead_minutes)
        totals: dict[str, list[int]] = {}
        for row in self.store.queue.deck_rows(day_end, learn_until, now):
            parts = row.name.split("::")
            for depth in range(1, len(parts) + 1):
                node = totals.setdefault("::".join(parts[:depth]), [0, 0, 0, 0])
                node[0] += row.new
                node[1] += row.learning
                node[2] += row.due
                node[3] += row.total
        # Like Anki, a deck shows what today's limits let you study, not everything that is waiting.
        new_left, reviews_left = self._remaining_limits(now, self.day_bounds(now)[0])
        return [
            DeckCounts(name, min(new, new_left), learning, min(due, reviews_left), total)
            for name, (new, learning, due, total) in sorted(totals.items(), key=lambda kv: kv[0].split("::"))
        ]

    # -- session, flags, browse, stats ------------------------------------------------------

    def session_summary(self) -> SessionSummary:
        entries = list(self._session.values())
        now = self.now()
        _, day_end = self.day_bounds(now)
        tomorrow_end = next_study_day_start(day_end, self.settings.rollover_hour, self.settings.tz)
        due_tomorrow = self.store.queue.count_due(("review", "learning", "relearning"), tomorrow_end, now, None)
        return SessionSummary(
            reviewed=len(entries),
            again=sum(e.rating == 1 for e in entries),
            seconds=sum((e.duration_ms or 0) for e in entries) / 1000,
            due_tomorrow=due_tomorrow,
        )

    def flag(self, card_id: int, note: str = "") -> None:
        """Record that a card looks wrong, for the deck authors (`hcflash flags` lists them)."""
        self.store.flags.add(card_id, note.strip(), self.now())

    def open_flags(self) -> list[FlagRow]:
        return self.store.flags.open()

    def browse(
        self, query: str = "", decks: Sequence[str] | None = None, tag: str | None = None,
        state: str | None = None, limit: int = 500,
    ) -> list[BrowseRow]:
        """Cards matching a full-text query (every word, as a prefix) and filters, in deck order."""
        return self.store.cards.search(fts_query(query), decks, tag or None, state or None, limit)

    def stats(self) -> Stats:
        now = self.now()
        s = self.settings
        day_start, day_end = self.day_bounds(now)
        month_ago = day_start - timedelta(days=30)
        year_ago = day_start - timedelta(days=366)
        return build_stats(
            now, s.rollover_hour, s.tz,
            reviews=self.store.log.between(month_ago, day_end),
            heat_times=self.store.log.times_since(year_ago),
            due_times=self.store.states.due_times_before(day_end + timedelta(days=31)),
            states=self.store.states.counts(),
        )

    # -- personal scheduling ----------------------------------------------------------------

    def optimize(self, dry_run: bool = False) -> FitResult:
        """Fit FSRS to this learner's reviews; keep the result only if it predicts them better."""
        from hcflash.optimize import fit, training_items

        s = self.settings
        items = training_items(self.store.log.all().values(), s.rollover_hour, s.tz)
        result = fit(items, s.fsrs_parameters or schedule.DEFAULT_PARAMETERS, num_relearning_steps=len(s.relearning_steps))
        if result.improves and not dry_run:
            assert result.fitted is not None and result.fitted_eval is not None
            self.save_settings(
                replace(s, fsrs_parameters=result.fitted, optimized_at=self.now().isoformat(timespec="seconds"),
                        optimized_log_loss=result.fitted_eval.log_loss)
            )
            self._refresh_memory_states()
        return result

    def _refresh_memory_states(self) -> None:
        """Recompute every studied card's stability and difficulty under the current parameters, as
        Anki does when parameters change; due dates stay as they are."""
        from hcflash.optimize import memory_states

        s = self.settings
        reviews = self.store.log.all()
        fresh = memory_states(s.fsrs_parameters, reviews, s.rollover_hour, s.tz)
        states = self.store.states.all()
        self.store.states.save_all([
            states[card_id].with_changes(stability=stability, difficulty=difficulty)
            for card_id, (stability, difficulty) in fresh.items()
            if states[card_id].state != "new"
        ])
        self._previews.clear()

    def simulate(self) -> list[RetentionOutcome]:
        """Workload and knowledge after a year for a range of desired retentions, on this collection."""
        from hcflash.optimize import simulate_retention

        s = self.settings
        return simulate_retention(
            s.fsrs_parameters or schedule.DEFAULT_PARAMETERS,
            deck_size=self.store.cards.count(),
            new_per_day=s.new_per_day,
            reviews_per_day=s.reviews_per_day,
            maximum_interval=s.maximum_interval,
        )

    # -- safety -------------------------------------------------------------------------------

    def backup(self, label: str = "manual") -> Path:
        """A consistent copy of the store in its backups folder; older ones beyond the limit go."""
        from hcflash.backups import backup_dir, prune

        folder = backup_dir(self.store.path)
        path = self.store.backup_to(folder, label, self.now())
        prune(folder, self.settings.backups_kept)
        return path

    def daily_backup(self) -> Path | None:
        """The once-a-day backup, taken on the first use of each study day."""
        from hcflash.backups import backed_up_today, backup_dir

        day_start, _ = self.day_bounds()
        if backed_up_today(backup_dir(self.store.path), day_start):
            return None
        return self.backup("daily")

    def restore(self, path: Path) -> Path:
        """Replace the store with a backup after checking it; the current store is backed up first."""
        problems = self.store.inspect_file(path)
        if problems:
            raise StoreError(f"{path}: cannot restore: {problems[0]}; the store was not changed")
        safety = self.backup("before-restore")
        self.store.restore_from(path)
        self._settings = None
        self._previews.clear()
        self._usage = None
        self._undo_stack.clear()
        return safety

    def doctor(self, fix: bool = True) -> DoctorReport:
        """Integrity check, orphan rows, and card states that disagree with their review log."""
        problems = self.store.integrity.problems()
        orphans = {kind: ids for kind, ids in self.store.integrity.orphans().items() if ids}
        logged = self.store.log.last_states()
        states = self.store.states.all()
        rebuilt: list[CardState] = []
        for card_id, last in logged.items():
            current = states.get(card_id)
            if current is None:
                continue
            if current.state == "new" and current.last_review is None:
                continue  # a card the learner reset keeps its history but starts over
            if (current.state, current.due, current.last_review, current.reps, current.lapses) != (
                last.state, last.due, last.last_review, last.reps, last.lapses
            ):
                rebuilt.append(last.with_changes(card_id=card_id, suspended=current.suspended, buried_until=current.buried_until))
        for card_id, current in states.items():
            if card_id not in logged and current.state != "new":
                rebuilt.append(CardState(card_id=card_id, suspended=current.suspended))
        if fix:
            if orphans:
                self.store.integrity.fix_orphans(self.store.integrity.orphans())
            if rebuilt:
                self.store.states.save_all(rebuilt)
            self._previews.clear()
        return DoctorReport(tuple(problems), {k: len(v) for k, v in orphans.items()}, tuple(s.card_id for s in rebuilt), fix)

    # -- Anki ---------------------------------------------------------------------------------

    def export_items(self, decks: Sequence[str] | None = None) -> list[ExportCard]:
        states = self.store.states.all()
        reviews = self.store.log.for_export()
        return [
            ExportCard(card, states[card.id], tuple(reviews.get(card.id, ())))
            for card in self.store.cards.active(decks)
        ]

    def export_anki(
        self, out: Path, decks: Sequence[str] | None = None, with_progress: bool = True,
        on_start: Callable[[int], None] = lambda total: None,
        advance: Callable[[int], None] = lambda n: None,
    ) -> ExportSummary:
        """Write an .apkg; `on_start(total notes)` and `advance(n)` drive a progress bar."""
        from hcflash.export.anki import export_anki

        items = self.export_items(decks)
        on_start(len({i.card.note_id for i in items}))
        html = self.store.html.cached()
        known = set(html)
        summary = export_anki(items, out, self.settings, self.now(), with_progress, advance, html)
        self.store.html.save({key: fields for key, fields in html.items() if key not in known})
        return summary

    def import_anki(self, path: Path) -> ImportReport:
        """Merge reviews done in Anki into the log (no duplicates), then rebuild those cards' states."""
        from hcflash.importing.anki import is_known, millis, read_package

        package = read_package(path)
        existing = self.store.log.all()
        cards: dict[str, StoredCard | None] = {}
        added: dict[int, list[tuple[datetime, int, int]]] = {}
        seen: dict[int, set[int]] = {}
        unknown_cards: set[str] = set()
        already = 0
        for review in package.reviews:
            if review.card_key not in cards:
                cards[review.card_key] = self.store.cards.by_key(review.card_key)
            card = cards[review.card_key]
            if card is None:
                unknown_cards.add(review.card_key)
                continue
            known = seen.setdefault(card.id, {millis(e.reviewed_at) for e in existing.get(card.id, ())})
            if is_known(review, known):
                already += 1
                continue
            known.add(review.revlog_id)
            added.setdefault(card.id, []).append((review.reviewed_at, review.rating, review.duration_ms))
        scheduler = schedule.make_scheduler(replace(self.settings, fuzz=False))
        new_entries: list[ReviewEntry] = []
        final_states: list[CardState] = []
        for card_id, imported in added.items():
            current = self.store.states.get(card_id)
            timeline = sorted(
                [(e.reviewed_at, e.rating, e.duration_ms, None) for e in existing.get(card_id, ())]
                + [(at, rating, duration, "anki") for at, rating, duration in imported],
                key=lambda row: row[0],
            )
            state = CardState(card_id=card_id)
            for at, rating, duration, origin in timeline:
                after = schedule.review(scheduler, state, rating, at, self.settings)
                if origin:
                    new_entries.append(ReviewEntry(0, card_id, rating, at, duration, state, after, origin))
                state = after
            final_states.append(
                state.with_changes(
                    suspended=current.suspended or state.suspended,
                    buried_until=current.buried_until,
                    leech=current.leech or state.leech,
                )
            )
        self.store.log.merge(new_entries, final_states)
        self._previews.clear()
        self._usage = None
        return ImportReport(len(new_entries), len(final_states), already, package.unknown_notes, tuple(sorted(unknown_cards)))


def fts_query(text: str) -> str | None:
    """A user's words as a safe FTS5 query: each word quoted and matched as a prefix, all required."""
    words = [w.replace('"', "") for w in text.split()]
    terms = [f'"{w}"*' for w in words if w]
    return " ".join(terms) or None


def content_diff(old: str, new: str, max_lines: int = 12) -> str:
    """The changed lines between two versions of a card, `-` old and `+` new, at most `max_lines`."""
    import difflib

    lines = [
        line for line in difflib.unified_diff(old.splitlines(), new.splitlines(), lineterm="", n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]
    if len(lines) > max_lines:
        lines = lines[:max_lines] + [f"… {len(lines) - max_lines} more changed line(s)"]
    return "\n".join(lines)

