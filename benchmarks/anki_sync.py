"""`hcflash anki sync` against Anki's own import of the same package.

The learner's situation after some weeks: a collection set up from hcflash's `.apkg` and synced
once, then 1,000 reviews done in hcflash and 1,000 in Anki (with Anki's scheduler). The row times the
sync that brings both sides together and compares it with Anki importing the `.apkg` of the same
store into an empty collection, the other way a learner would move that much progress. Printed, not
asserted.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import replace
from pathlib import Path

from benchmarks.run import Row, import_into_anki, median, timed
from hcflash.service import StudyService
from hcflash.store import Store

NEW_REVIEWS = 1_000


def _prepare(decks: Path, db: Path, work: Path, reviews: int) -> tuple[Path, Path, Path]:
    """(store, collection, package): the collection set up from the store's export and synced once,
    then `reviews` new reviews on each side (Easy in Anki, so that no card comes back in the same run)."""
    from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest
    from anki.scheduler_pb2 import CardAnswer

    folder = Path(tempfile.mkdtemp(dir=work))
    store_path = folder / "store.db"
    shutil.copy(db, store_path)
    collection = folder / "profile" / "collection.anki2"
    collection.parent.mkdir()
    package = folder / "setup.apkg"
    with Store.open(store_path) as store:
        service = StudyService(store, [decks])
        service.save_settings(replace(service.settings, new_per_day=99_999, reviews_per_day=99_999))
        service.export_anki(package)
        col = Collection(str(collection))
        try:
            col.import_anki_package(
                ImportAnkiPackageRequest(package_path=str(package), options=ImportAnkiPackageOptions(with_scheduling=True, with_deck_configs=True))
            )
            col.set_config("fsrs", True)
            for conf in col.decks.all_config():
                conf["new"]["perDay"] = conf["rev"]["perDay"] = 9_999  # Anki's highest
                col.decks.update_config(conf)
        finally:
            col.close()
        service.anki_sync(collection)  # the first sync pairs the exported reviews
        for _ in range(reviews):
            card = service.next_card()
            if card is None:
                break
            service.rate(card.id, 3)
    col = Collection(str(collection))
    try:
        col.decks.select(col.decks.id_for_name("Bench"))
        for answered in range(reviews):
            card = col.sched.getCard()
            if card is None:
                raise RuntimeError(f"Anki had only {answered} cards to answer")
            states = col._backend.get_scheduling_states(card.id)
            col.sched.answer_card(col.sched.build_answer(card=card, states=states, rating=CardAnswer.EASY))
    finally:
        col.close()
    return store_path, collection, package


def anki_sync_rows(stores: dict[int, tuple[Path, Path]], size: int, repeat: int, work: Path) -> list[Row]:
    decks, db = stores[size]
    reviews = min(NEW_REVIEWS, size // 5)  # a 1,000-card collection (--quick) has fewer cards to answer
    store_path, collection, package = _prepare(decks, db, work, reviews)
    reports = []
    folders: list[Path] = []

    def sync_a_copy() -> None:
        folder = Path(tempfile.mkdtemp(dir=work))
        (folder / "profile").mkdir()
        shutil.copy(store_path, folder / "store.db")
        shutil.copy(collection, folder / "profile" / "collection.anki2")
        with Store.open(folder / "store.db") as store:
            reports.append(StudyService(store, [decks]).anki_sync(folder / "profile" / "collection.anki2"))
        folders.append(folder)

    def sync_again() -> None:  # the daily case: nothing new on either side
        with Store.open(folders[-1] / "store.db") as store:
            reports.append(StudyService(store, [decks]).anki_sync(folders[-1] / "profile" / "collection.anki2"))

    ours = timed(sync_a_copy, repeat)
    assert all(r.reviews_to_anki == reviews and r.reviews_from_anki == reviews for r in reports), reports[0]
    again = timed(sync_again, repeat)
    assert reports[-1].nothing_to_do, reports[-1]
    imports = timed(lambda: import_into_anki(package, work), repeat)
    return [
        Row(f"anki sync, {reviews:,} new reviews each side", f"{size:,}", median(ours), median(imports),
            "reported (vs Anki's import of the .apkg)"),
        Row("anki sync with nothing new", f"{size:,}", median(again), median(imports), "reported (vs Anki's import of the .apkg)"),
    ]
