"""The collection's side of Anki export, import and sync: what to export from the store, how reviews
done in Anki join the log (no duplicates; the affected cards' states replayed from the merged history),
and the two-way sync with the learner's own collection."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from hcflash.bulk import collector_paused
from hcflash.errors import AnkiError
from hcflash.records import AnkiSyncReport, CardState, ExportSummary, ImportReport, ReviewEntry, StoredCard

if TYPE_CHECKING:
    from hcflash.service import StudyService


class AnkiBridge:
    def __init__(self, col: StudyService) -> None:
        self.col = col

    def export(
        self, out: Path, decks: Sequence[str] | None = None, with_progress: bool = True,
        on_start: Callable[[int], None] = lambda total: None,
        advance: Callable[[int], None] = lambda n: None,
    ) -> ExportSummary:
        """Write an .apkg; `on_start(total notes)` and `advance(n)` drive a progress bar. Fails,
        before any work, on a folder that does not exist or a deck name that matches no deck."""
        from hcflash.anki.library import require_anki

        require_anki("export")  # before importing the exporter, which needs the anki extra itself
        from hcflash.anki.export import export_anki, export_workspace, remove_stale_exports, trusted_cache
        from hcflash.anki.export_rows import PROGRESS_FILE

        if not out.parent.is_dir():
            raise AnkiError(f"{out}: the folder {out.parent} does not exist")
        if decks:
            names = [row.name for row in self.col.deck_counts()]
            unknown = [d for d in decks if not any(n == d or n.startswith(d + "::") for n in names)]
            if unknown:
                raise AnkiError(f"no deck named {unknown[0]!r}; the decks are: {', '.join(names) or 'none'}")
        remove_stale_exports()
        store = self.col.store
        # The render cache, then the review log (the largest read, written into the export's
        # temporary folder), on a second thread from the start: SQLite does most of it without
        # Python's lock, while this thread reads the cards and Anki adds the notes.
        # Collector paused (`bulk`): an export holds every card and state at once, none in a
        # reference cycle, and each pass of the collector would walk them all.
        with (
            collector_paused(),
            export_workspace(out) as folder,
            ThreadPoolExecutor(max_workers=1, thread_name_prefix="hcflash-export-log") as reader,
        ):
            workspace = Path(folder)
            cached = reader.submit(lambda: trusted_cache(store.html.cached()))
            reviews = reader.submit(store.export.revlog_into, workspace / PROGRESS_FILE) if with_progress else None
            cards = store.export.cards(decks)
            on_start(len({card.note_id for card in cards}))
            html = cached.result()
            known = set(html)
            summary = export_anki(
                cards, reviews.result if reviews is not None else None, out, self.col.settings, self.col.now(),
                workspace, advance, html, store.cards.deck_descriptions(),
            )
        store.html.save({key: fields for key, fields in html.items() if key not in known})
        return summary

    def sync_collection(
        self, path: Path, dry_run: bool = False, on_phase: Callable[[str], None] = lambda phase: None,
    ) -> AnkiSyncReport:
        """Two-way sync with the learner's own collection (`hcflash.anki.sync`)."""
        from hcflash.anki.sync import AnkiSync

        return AnkiSync(self.col).run(path, dry_run, on_phase)

    def import_reviews(self, path: Path) -> ImportReport:
        """Merge reviews done in Anki into the log (no duplicates), then rebuild those cards' states."""
        from hcflash import schedule  # fsrs loads on first use: start-up stays short
        from hcflash.anki.package import is_known, millis, read_package

        store, settings = self.col.store, self.col.settings
        package = read_package(path)
        existing = store.log.all()
        cards: dict[str, StoredCard | None] = {}
        added: dict[int, list[tuple[datetime, int, int]]] = {}
        seen: dict[int, set[int]] = {}
        unknown_cards: set[str] = set()
        already = 0
        for review in package.reviews:
            if review.card_key not in cards:
                cards[review.card_key] = store.cards.by_key(review.card_key)
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
        scheduler = schedule.make_scheduler(replace(settings, fuzz=False))
        new_entries: list[ReviewEntry] = []
        final_states: list[CardState] = []
        for card_id, imported in added.items():
            current = store.states.get(card_id)
            timeline = sorted(
                [(e.reviewed_at, e.rating, e.duration_ms, None) for e in existing.get(card_id, ())]
                + [(at, rating, duration, "anki") for at, rating, duration in imported],
                key=lambda row: row[0],
            )
            state = CardState(card_id=card_id)
            for at, rating, duration, origin in timeline:
                after = schedule.review(scheduler, state, rating, at, settings)
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
        store.log.merge(new_entries, final_states)
        self.col.review.forget_previews()
        self.col.limits.forget()
        return ImportReport(len(new_entries), len(final_states), already, package.unknown_notes, tuple(sorted(unknown_cards)))
