"""Every card's reviews on both sides, paired and merged: what a sync writes to each log and schedule.

Three passes so that a sync costs little more than the reviews that are new: every review is first
paired by id and time only (no state snapshots read); the full history is then read for the few cards
that gained a review on either side; those are merged (`review_merge`). Reviews going to Anki get
revlog ids from one range read of the ids Anki already uses.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from hcflash import schedule
from hcflash.anki.keys import key_for_anki_card, note_id_from_guid
from hcflash.anki.notetypes import CLOZE_MODEL_ID
from hcflash.anki.review_merge import AnkiCardNow, ReviewPairing, RevlogRow, merge_card, millis, pair_reviews, revlog_row
from hcflash.anki.scheduling import DayFrame, anki_schedule
from hcflash.anki.view import AnkiCard, CollectionView, memory_states, revlog_ids_between
from hcflash.records import CardState, ReviewEntry, ReviewStamp, StoredCard
from hcflash.settings import Settings


@dataclass(frozen=True)
class _Open:
    """A card with reviews one side lacks, waiting for its full history."""

    card: StoredCard
    anki_card: AnkiCard | None
    pairing: ReviewPairing
    to_anki: tuple[tuple[int, int | None], ...]
    in_filtered_deck: bool


class ReviewPlan:
    """Pairs, then merges, each card's reviews, collecting what each side must write."""

    def __init__(self, anki: Any, view: CollectionView, links: dict[int, int], frame: DayFrame, settings: Settings) -> None:  # noqa: ANN401
        self.anki, self.view, self.frame, self.settings = anki, view, frame, settings
        self.known_links = links
        self.linked_revlog = set(links.values())
        self.scheduler = schedule.make_scheduler(replace(settings, fuzz=False))
        self.by_key: dict[str, AnkiCard] = {}
        for guid, note in view.notes.items():
            note_id = note_id_from_guid(guid) or ""
            for anki_card in view.cards.get(note.id, []):
                self.by_key[key_for_anki_card(note_id, note.notetype_id == CLOZE_MODEL_ID, anki_card.ord)] = anki_card
        self.open: list[_Open] = []
        self.new_reviews: list[tuple[ReviewEntry, int]] = []
        self.rewritten: list[ReviewEntry] = []
        self.states: list[CardState] = []
        self.links: list[tuple[int, int]] = []  # (review id, revlog id) to record
        self.push: list[tuple[ReviewEntry, int | None, str]] = []
        self.schedules: dict[str, CardState] = {}
        self.deferred = 0
        self.from_retired = 0
        self.paired = 0
        self.moved = 0
        self.seen_keys: set[str] = set()

    def pair(self, card: StoredCard, stamps: list[ReviewStamp], adding: set[str]) -> None:
        """First pass: which of this card's reviews each side lacks (`adding`: notes Anki gets now)."""
        self.seen_keys.add(card.key)
        anki_card = self.by_key.get(card.key)
        revlog = self.view.revlog.get(anki_card.id, []) if anki_card else []
        if not stamps and not revlog:
            return
        pairing = pair_reviews(stamps, revlog, self.known_links, self.linked_revlog)
        self.links.extend(pairing.links)
        self.paired += len(pairing.links)
        will_exist = anki_card is not None or (card.retired_at is None and card.note_id in adding)
        to_anki = pairing.to_anki if will_exist else ()  # a retired card never sent stays hcflash's
        in_filtered_deck = anki_card is not None and anki_card.original_deck_id != 0
        if in_filtered_deck and to_anki:
            self.deferred += 1  # its schedule there is Anki's until it goes back to its deck
            to_anki = ()
        if to_anki or pairing.from_anki:
            self.open.append(_Open(card, anki_card, pairing, to_anki, in_filtered_deck))

    def cards_to_merge(self) -> list[int]:
        return [item.card.id for item in self.open]

    def merge(self, histories: dict[int, list[ReviewEntry]], states: dict[int, CardState]) -> None:
        """Second pass, over the cards the first found: merge each one's full history."""
        incoming = [item.anki_card.id for item in self.open if item.anki_card is not None and item.pairing.from_anki]
        memories = memory_states(self.anki, incoming)
        for item in self.open:
            entries, current = histories[item.card.id], states[item.card.id]
            anki_now = None
            if item.anki_card is not None:
                a = item.anki_card
                anki_now = AnkiCardNow(a.type, a.queue, a.due, a.left, memories.get(a.id))
            merged = merge_card(entries, current, list(item.pairing.from_anki), bool(item.to_anki), anki_now,
                                self.frame, self.settings, self.scheduler)
            self.new_reviews.extend(merged.new_entries)
            self.rewritten.extend(merged.rewritten)
            if merged.state is not None and merged.state != current:
                self.states.append(merged.state)
            if merged.anki_state is not None and not item.in_filtered_deck:
                self.schedules[item.card.key] = merged.anki_state
            if item.card.retired_at is not None:
                self.from_retired += len(item.pairing.from_anki)
            by_id = {e.id: e for e in entries} | {e.id: e for e in merged.rewritten}
            self.push.extend((by_id[review_id], revlog_id, item.card.key) for review_id, revlog_id in item.to_anki)

    def reschedule_moved(self, cards: list[StoredCard], states: dict[int, CardState]) -> None:
        """Cards hcflash moved without a review (a fact change sends them back to relearning): Anki
        gets their schedule too, unless it already shows it or the card has reviews to merge."""
        merging = {item.card.id for item in self.open}
        for card in cards:
            anki_card = self.by_key.get(card.key)
            if card.id in merging or anki_card is None or anki_card.original_deck_id != 0 or card.retired_at is not None:
                continue
            state = states[card.id]
            wanted = anki_schedule(state.with_changes(suspended=False), self.frame, self.settings)
            shown = (anki_card.type, anki_card.queue if anki_card.queue >= 0 else wanted.queue, anki_card.due)
            if (wanted.type, wanted.queue, wanted.due) != shown:
                self.schedules[card.key] = state
                self.moved += 1

    def revlog_rows(self) -> list[RevlogRow]:
        """The reviews going to Anki, each under its own millisecond, or the next one free."""
        wanted = sorted(
            ((entry, revlog_id if revlog_id is not None else millis(entry.reviewed_at), key) for entry, revlog_id, key in self.push),
            key=lambda item: item[1],
        )
        chosen: dict[int, int] = {}
        if wanted:
            low, high = wanted[0][1], wanted[-1][1] + len(wanted)
            taken = revlog_ids_between(self.anki, low, high)
            for entry, candidate, _ in wanted:
                while candidate in taken:
                    candidate += 1
                    if candidate > high:  # past the range read: read on
                        taken |= revlog_ids_between(self.anki, candidate, candidate + len(wanted))
                        high = candidate + len(wanted)
                chosen[entry.id] = candidate
                taken.add(candidate)
        self.links.extend((entry.id, chosen[entry.id]) for entry, _, _ in wanted)
        return [revlog_row(entry, chosen[entry.id], key, self.frame) for entry, _, key in wanted]

    def unknown_keys(self) -> tuple[str, ...]:
        """Cards of hcflash's notes that Anki has and hcflash does not know, with reviews hcflash cannot take."""
        return tuple(sorted(
            key for key, anki_card in self.by_key.items()
            if key not in self.seen_keys and any(r.id not in self.linked_revlog for r in self.view.revlog.get(anki_card.id, []))
        ))
