"""`hcflash anki sync`: hcflash and the learner's own Anki collection, made to agree both ways.

Order of work, chosen so that any failure leaves both sides as they were and a sync cut short between
its two commits is repaired by the next one:

1. Open the collection (refused while Anki has it open) and take hcflash's store write lock.
2. Read both sides and plan every change (pure: `note_plan`, `review_merge`, `scheduling`).
3. Nothing to do: stop; neither file is written. Otherwise take Anki's own backup.
4. Write hcflash's side inside its still-open transaction.
5. Write Anki's side in one Anki transaction, and commit it.
6. Commit hcflash's side.

A failure before step 5 commits rolls back both. If the process dies between 5 and 6, Anki holds
hcflash's reviews (under their own millisecond times) and hcflash does not yet know it: the next sync
pairs them by card, rating and time instead of sending them again, takes Anki's reviews in once, and
sets the same schedules again.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hcflash.anki.apply import AnkiWrites, apply_to_anki
from hcflash.anki.collection import backup, opened
from hcflash.anki.export import cached_fields, trusted_cache
from hcflash.anki.html import markdown_html
from hcflash.anki.note_plan import plan_descriptions, plan_notes
from hcflash.anki.notetypes import BASIC_FIELDS, CLOZE_FIELDS, CLOZE_MODEL_ID, needs_sync, outdated_notetypes
from hcflash.anki.review_plan import ReviewPlan
from hcflash.anki.scheduling import DayFrame
from hcflash.anki.view import CollectionView, read_collection
from hcflash.errors import AnkiError, HcflashError
from hcflash.records import AnkiSyncReport, StoredCard, StoreSyncWrites
from hcflash.settings import Settings

if TYPE_CHECKING:
    from hcflash.service import StudyService


@dataclass(frozen=True)
class SyncPlan:
    """Everything one sync will write on each side, decided before anything is written."""

    sync_id: str
    frame: DayFrame
    anki: AnkiWrites
    store: StoreSyncWrites
    store_changed: bool
    html: dict[str, dict[str, str]]  # fields rendered for the first time, for the store's cache
    report: AnkiSyncReport

    @property
    def empty(self) -> bool:
        anki = self.anki
        return not (self.store_changed or anki.revlog or anki.schedules or not anki.notes.empty or anki.update_notetypes)


class AnkiSync:
    """Syncs one learner's store with one Anki collection (see the module's docstring for the order)."""

    def __init__(self, col: StudyService) -> None:
        self.col = col

    def run(self, path: Path, dry_run: bool = False, on_phase: Callable[[str], None] = lambda phase: None) -> AnkiSyncReport:
        """Sync with the collection at `path`. `on_phase` hears "planned", "hcflash-written" (not yet
        committed), "anki-written" (not yet committed), "anki-committed" and "done", in that order."""
        store, settings, now = self.col.store, self.col.settings, self.col.now()
        with opened(path) as anki, store.anki.locked():
            view = read_collection(anki)
            plan = self._plan(anki, view, path, now, settings)
            on_phase("planned")
            if dry_run or plan.empty:
                return replace(plan.report, dry_run=dry_run)
            taken = backup(anki, path)
            store.anki.write(plan.sync_id, str(path), now, plan.store)
            if plan.html:
                store.html.save(plan.html)
            on_phase("hcflash-written")
            try:
                apply_to_anki(anki, view, plan.anki, plan.frame, settings, on_phase)
            except HcflashError:
                raise
            except Exception as exc:  # the anki backend raises its own types; nothing was committed on either side
                raise AnkiError(f"{path}: Anki refused the sync ({exc}); neither side was changed") from exc
            on_phase("anki-committed")
        on_phase("done")
        self.col.review.forget_previews()
        self.col.limits.forget()
        return replace(plan.report, backup=taken)

    # -- planning ---------------------------------------------------------------------------

    def _plan(self, anki: Any, view: CollectionView, path: Path, now: datetime, settings: Settings) -> SyncPlan:  # noqa: ANN401
        store = self.col.store
        sync_id = view.sync_id or uuid.uuid4().hex
        known = store.anki.collection(sync_id) if view.sync_id else None
        cards = store.cards.every()
        html_cache = trusted_cache(store.html.cached())
        cached_keys = set(html_cache)
        notes = plan_notes(cards, _rendered(cards, html_cache), view, store.anki.note_links(sync_id), known.synced_at if known else None)
        used_decks = {c.deck for c in cards if c.retired_at is None}
        wanted = {d: markdown_html(t) for d, t in store.cards.deck_descriptions().items() if d in used_decks}
        plan_descriptions(notes, wanted, _deck_descriptions(anki, wanted), known.decks if known else {})
        frame = DayFrame.of(now, view.anki_today, settings)
        reviews = ReviewPlan(anki, view, store.anki.review_links(sync_id), frame, settings)
        stamps, adding = store.log.stamps(), {a.note_id for a in notes.adds}
        for card in cards:
            reviews.pair(card, stamps.get(card.id, []), adding)
        states = store.states.all()
        reviews.merge(store.log.of_cards(reviews.cards_to_merge()), states)
        moved = set(store.log.moved_since_last_review())
        reviews.reschedule_moved([c for c in cards if c.id in moved], states)
        revlog = reviews.revlog_rows()
        writes = StoreSyncWrites(
            new_reviews=tuple(reviews.new_reviews), rewritten=tuple(reviews.rewritten), states=tuple(reviews.states),
            links=tuple(reviews.links), notes=tuple(notes.links), decks=notes.described,
        )
        store_changed = bool(writes.new_reviews or writes.rewritten or writes.states or writes.links or writes.notes
                             or notes.described != (known.decks if known else {}))
        versions = {model_id: info.version for model_id, info in view.notetypes.items()}
        # hcflash's note types are added with its first note, and brought up to date once they are there.
        update_notetypes = needs_sync(versions) and bool(notes.adds or view.notetypes)
        anki_writes = AnkiWrites(sync_id, view.sync_id is None, versions, update_notetypes, notes, revlog, reviews.schedules)
        report = _report(path, anki_writes, reviews, view, settings)
        return SyncPlan(sync_id, frame, anki_writes, writes, store_changed, {k: v for k, v in html_cache.items() if k not in cached_keys}, report)


def _rendered(cards: list[StoredCard], cache: dict[str, dict[str, str]]) -> dict[str, tuple[str, ...]]:
    """The Anki fields of every live note, in the note type's field order (rendered once per content)."""
    groups: dict[str, list[StoredCard]] = {}
    for card in cards:
        if card.retired_at is None:
            groups.setdefault(card.note_id, []).append(card)
    out = {}
    for note_id, group in groups.items():
        first = min(group, key=lambda c: (c.kind != "basic", c.ord))
        model_id, fields = cached_fields(first, cache)
        if any(c.kind == "reverse" for c in group):
            fields["Reverse"] = "y"
        names = CLOZE_FIELDS if model_id == CLOZE_MODEL_ID else BASIC_FIELDS
        out[note_id] = tuple(fields.get(name, "") for name in names)
    return out


def _deck_descriptions(anki: Any, names: dict[str, str]) -> dict[str, str]:  # noqa: ANN401
    out = {}
    for name in names:
        deck = anki.decks.by_name(name)
        if deck is not None:
            out[name] = deck.get("desc", "")
    return out


def _report(path: Path, anki: AnkiWrites, reviews: ReviewPlan, view: CollectionView, settings: Settings) -> AnkiSyncReport:
    notes = anki.notes
    warnings = []
    if view.rollover_hour != settings.rollover_hour:
        warnings.append(
            f"Anki starts a new day at {view.rollover_hour}:00 and hcflash at {settings.rollover_hour}:00: due dates and memory "
            f"states count days differently (`hcflash config rollover-hour {view.rollover_hour}` makes them agree)"
        )
    if settings.timezone and _offset(settings.tz) != _offset(None):
        warnings.append(
            f"hcflash counts study days in {settings.timezone} and Anki in this computer's time zone: "
            "due dates can differ by a day near the rollover (`hcflash config timezone ''` makes them agree)"
        )
    if not view.fsrs_enabled:
        warnings.append("FSRS is off in this Anki collection: Anki schedules these cards with SM-2 until you turn it on (Deck options › FSRS)")
    if reviews.deferred:
        warnings.append(f"{reviews.deferred} card(s) sit in a filtered deck: their hcflash reviews go to Anki once they are back home")
    moved = sum(len(ids) for ids in notes.moves.values())
    return AnkiSyncReport(
        collection=path,
        notes_added=len(notes.adds),
        notes_updated=sum(1 for c in notes.changes if c.fields is not None),
        notes_retired=notes.retired_notes,
        notes_revived=notes.revived_notes,
        cards_moved=moved,
        cards_suspended=len(notes.suspend),
        notetypes_changed=outdated_notetypes(anki.notetype_versions) if anki.update_notetypes else (),
        descriptions=len(notes.descriptions),
        reviews_to_anki=len(anki.revlog),
        reviews_from_anki=len(reviews.new_reviews),
        reviews_paired=reviews.paired,
        cards_rescheduled_in_anki=len(anki.schedules),
        cards_updated_in_hcflash=len(reviews.states),
        reviews_of_retired=reviews.from_retired,
        unknown_cards=reviews.unknown_keys(),
        skipped=tuple(notes.skipped),
        warnings=tuple(warnings),
    )


def _offset(tz: tzinfo | None) -> timedelta | None:
    now = datetime.now(UTC)
    return now.astimezone(tz).utcoffset() if tz is not None else now.astimezone().utcoffset()
