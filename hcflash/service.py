"""The front the CLI and the TUI call: one learner's collection, handing out one object per noun.

Like Anki's `Collection` (`col.decks`, `col.sched`), `StudyService` owns what the nouns share (the
store, the clock, the settings, the deck folders) and hands out `review`, `details`, `limits`, `decks`,
`syncer`, `maintenance`, `parameters` and `anki`. The short methods below are the verbs the CLI and
the TUI use most, each passed straight to its noun. No SQL and no UI code here; time comes from an
injectable clock so tests run on a fixed one.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from hcflash import records
from hcflash.deck_sync import DeckSync
from hcflash.errors import ConfigError
from hcflash.limits import ROOT, DailyLimits
from hcflash.locations import bundled_decks_dir, env_deck_dirs
from hcflash.review import ReviewSession
from hcflash.settings import Settings, add_today, apply_setting
from hcflash.store import Store
from hcflash.store.wal import WalUpkeep
from hcflash.timeutil import as_utc, utcnow

if TYPE_CHECKING:
    from hcflash.anki.bridge import AnkiBridge
    from hcflash.card_details import CardDetails
    from hcflash.deck_list import DeckList
    from hcflash.maintenance import Maintenance
    from hcflash.optimize import FitResult, RetentionOutcome
    from hcflash.parameters import ParameterFitting
    from hcflash.records import (
        AnkiSyncReport,
        BrowseRow,
        CardInfo,
        DeckChange,
        DeckCounts,
        DoctorReport,
        ExportSummary,
        FlagRow,
        ImportReport,
        Preview,
        QueueCounts,
        ReviewCard,
        ReviewEntry,
        SessionSummary,
        SyncReport,
    )
    from hcflash.stats import Stats


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
        self.limits = DailyLimits(self)
        self.review = ReviewSession(self)
        self.syncer = DeckSync(self)
        self._wal = WalUpkeep(store.path)

    # The nouns no review needs load on first use: a session starts without importing them.

    @cached_property
    def decks(self) -> DeckList:
        from hcflash.deck_list import DeckList

        return DeckList(self)

    @cached_property
    def details(self) -> CardDetails:
        """A card's details and changes: a review asks for them only about a card edited since."""
        from hcflash.card_details import CardDetails

        return CardDetails(self)

    @cached_property
    def maintenance(self) -> Maintenance:
        from hcflash.maintenance import Maintenance

        return Maintenance(self)

    @cached_property
    def parameters(self) -> ParameterFitting:
        from hcflash.parameters import ParameterFitting

        return ParameterFitting(self)

    @cached_property
    def anki(self) -> AnkiBridge:
        from hcflash.anki.bridge import AnkiBridge

        return AnkiBridge(self)

    # -- what every noun shares -------------------------------------------------------------

    def now(self) -> datetime:
        return as_utc(self._clock())

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            self._settings = Settings.from_values(self.store.settings.load())
        return self._settings

    def settings_problems(self) -> list[str]:
        """Stored settings `hcflash config` would refuse (they are used as their defaults meanwhile)."""
        return Settings.stored_problems(self.store.settings.load())

    def set_setting(self, name: str, text: str) -> Settings:
        updated = apply_setting(self.settings, name, text)
        self.save_settings(updated)
        return updated

    def save_settings(self, settings: Settings) -> None:
        self.store.settings.save(settings.to_values())
        self._settings = settings
        self.review.forget_previews()
        self.limits.forget()

    def forget_caches(self) -> None:
        """Read settings, previews and today's usage afresh (the store was replaced under us)."""
        self._settings = None
        self.review.forget_previews()
        self.limits.forget()

    def use_deck_dirs(self, dirs: Sequence[Path]) -> None:
        """Read these deck folders from now on (after `decks copy`), whatever --decks said."""
        self._explicit_dirs = tuple(Path(d) for d in dirs)

    def deck_dirs(self) -> tuple[Path, ...]:
        """Folders to sync: `--decks`, else HCFLASH_DECKS, else the deck-dirs setting, else the bundled decks."""
        dirs = self._explicit_dirs or env_deck_dirs() or tuple(Path(d) for d in self.settings.deck_dirs)
        return dirs or (bundled_decks_dir(),)

    def day_bounds(self, now: datetime | None = None) -> tuple[datetime, datetime]:
        return self.limits.day_bounds(now)

    # -- the verbs used most, each handed to its noun --------------------------------------

    def sync(self) -> SyncReport:
        return self.syncer.run()

    def expect_edit(self, file: str) -> None:
        """A deck file is about to be edited (the review screen's edit key): see `DeckSync.expect_edit`."""
        self.syncer.expect_edit(Path(file))

    def queue_counts(self, decks: Sequence[str] | None = None) -> QueueCounts:
        return self.review.queue_counts(decks)

    def next_card(self, decks: Sequence[str] | None = None) -> ReviewCard | None:
        return self.review.next_card(decks)

    def review_card(self, card_id: int) -> ReviewCard:
        return self.review.review_card(card_id)

    def preview(self, card_id: int) -> dict[int, Preview]:
        return self.review.preview(card_id)

    def rate(self, card_id: int, rating: int, duration_ms: int | None = None) -> ReviewEntry:
        entry = self.review.rate(card_id, rating, duration_ms)
        self._wal.wrote()
        return entry

    def upkeep(self) -> Callable[[], None] | None:
        """The store's upkeep that is due (growing its log, or a checkpoint), as a job for a worker
        thread to run while the learner reads (the review screen starts it at the reveal), so that
        no rating waits for it; None when nothing is due. The job opens its own connection and may
        run on any thread."""
        return self._wal.due()

    def undo(self) -> int:
        """Take back the last action; the id of the card to show again."""
        return self.review.undo().card_id

    def card_change(self, card_id: int) -> str | None:
        return self.details.card_change(card_id)

    def reset(self, card_id: int) -> None:
        self.review.reset(card_id)

    def bury(self, card_id: int) -> None:
        self.review.bury(card_id)

    def suspend(self, card_id: int) -> None:
        self.review.suspend(card_id)

    def unsuspend(self, card_id: int) -> None:
        self.review.unsuspend(card_id)

    def flag(self, card_id: int, note: str = "") -> None:
        self.review.flag(card_id, note)

    def card_info(self, card_id: int) -> CardInfo:
        return self.details.card_info(card_id)

    def session_summary(self) -> SessionSummary:
        return self.review.summary()

    def deck_counts(self) -> list[DeckCounts]:
        return self.decks.counts()

    def study_more(self, deck: str | None, kind: str, amount: int = 0, tag: str | None = None) -> int:
        """Anki's custom study on a deck (None: all decks): raise today's new or review limit by
        `amount`, or start a session of forgotten cards, reviews ahead or a cram. Returns how many
        cards the session holds (for raised limits, how many the deck now offers today)."""
        if kind in ("new", "reviews"):
            day = self.limits.day_name(self.limits.day_bounds()[0])
            self.save_settings(add_today(self.settings, deck or ROOT, day, **{kind: amount}))
            counts = self.queue_counts([deck] if deck else None)
            return counts.new if kind == "new" else counts.review
        if kind not in ("forgotten", "ahead", "cram"):
            raise ConfigError(f"unknown kind of custom study {kind!r}")
        return self.review.start_custom(records.CustomStudy(kind, (deck,) if deck else None, max(1, amount), tag))  # type: ignore[arg-type]

    def open_flags(self) -> list[FlagRow]:
        return self.store.flags.open()

    def changes(self, since: datetime | None = None) -> list[DeckChange]:
        """What syncs changed in the decks since a moment; by default, what the latest sync that
        changed anything brought."""
        if since is None:
            since = self.store.changes.last_sync_with_changes()
            if since is None:
                return []
        return self.store.changes.since(since)

    def fact_changes_waiting(self) -> int:
        """Cards whose fact changed since the learner studied them, waiting to be relearned."""
        return self.store.changes.fact_changes_waiting()

    def browse(
        self, query: str = "", decks: Sequence[str] | None = None, tag: str | None = None,
        state: str | None = None, limit: int = 500, after_id: int = 0,
    ) -> list[BrowseRow]:
        from hcflash.browse import browse

        return browse(self.store, query, decks, tag, state, limit, self.now(), after_id)

    def stats(self) -> Stats:
        from hcflash.stats import build_stats

        now, s = self.now(), self.settings
        day_start, day_end = self.limits.day_bounds(now)
        return build_stats(
            now, s.rollover_hour, s.tz,
            reviews=self.store.log.between(day_start - timedelta(days=30), day_end),
            heat_times=self.store.log.times_since(day_start - timedelta(days=366)),
            due_times=self.store.states.due_times_before(day_end + timedelta(days=31)),
            states=self.store.states.counts(),
        )

    def optimize(self, dry_run: bool = False) -> FitResult:
        return self.parameters.optimize(dry_run)

    def simulate(self) -> list[RetentionOutcome]:
        return self.parameters.simulate()

    def backup(self, label: str = "manual") -> Path:
        return self.maintenance.backup(label)

    def daily_backup(self) -> Path | None:
        return self.maintenance.daily_backup()

    @property
    def soundness_pending(self) -> bool:
        """A quick check guards this session's writes (the TUI's) and has not passed yet; see
        `wait_until_sound`."""
        return self.store.check_pending

    def wait_until_sound(self) -> None:
        """Run the quick check that guards this session's writes, if it has not run, and block until
        it has passed; StoreDamaged, with the backup to restore, if it failed. The TUI asks on a
        worker once its first card is on screen, to say so at once."""
        self.store.wait_for_check()

    def restore(self, path: Path) -> Path:
        return self.maintenance.restore(path)

    def doctor(self, fix: bool = True) -> DoctorReport:
        return self.maintenance.doctor(fix)

    def export_anki(
        self, out: Path, decks: Sequence[str] | None = None, with_progress: bool = True,
        on_start: Callable[[int], None] = lambda total: None,
        advance: Callable[[int], None] = lambda n: None,
    ) -> ExportSummary:
        return self.anki.export(out, decks, with_progress, on_start, advance)

    def import_anki(self, path: Path) -> ImportReport:
        return self.anki.import_reviews(path)

    def anki_sync(
        self, collection: Path, dry_run: bool = False, on_phase: Callable[[str], None] = lambda phase: None,
    ) -> AnkiSyncReport:
        return self.anki.sync_collection(collection, dry_run, on_phase)
