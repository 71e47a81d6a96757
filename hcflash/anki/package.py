"""Bring reviews done in Anki back into hcflash's log, so one history follows the learner.

The package (an .apkg exported from Anki with scheduling, or a whole .colpkg) is opened with the
official `anki` package in a temporary folder. Notes are matched to hcflash cards by GUID; their
revlog rows become hcflash reviews unless hcflash already has them (a review hcflash exported comes
back with the same millisecond id), so importing the same file twice changes nothing. The affected
cards' FSRS state is then recomputed from the merged history.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from hcflash.anki.keys import key_for_anki_card, note_id_from_guid
from hcflash.anki.library import require_anki
from hcflash.errors import AnkiError


@dataclass(frozen=True)
class AnkiReview:
    """One revlog row of a matched card: the Anki id is its time in epoch milliseconds."""

    card_key: str
    revlog_id: int
    rating: int
    duration_ms: int

    @property
    def reviewed_at(self) -> datetime:
        return datetime.fromtimestamp(self.revlog_id / 1000, tz=UTC)


@dataclass(frozen=True)
class AnkiPackageReviews:
    reviews: tuple[AnkiReview, ...]
    unknown_notes: tuple[str, ...]  # GUIDs (or first fields) of notes hcflash did not make


# Anki revlog types: 0 learn, 1 review, 2 relearn, 3 filtered/cram, 4 manual (rescheduling, no answer).
_ANSWERED_TYPES = (0, 1, 2, 3)


def read_package(path: Path) -> AnkiPackageReviews:
    """Every answered review of an hcflash note in the package, and the notes it did not recognize."""
    require_anki("import")
    from anki._backend import RustBackend
    from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest

    if not path.is_file():
        raise AnkiError(f"{path}: no such file")
    with tempfile.TemporaryDirectory(prefix="hcflash-import-") as tmp:
        col_path = str(Path(tmp) / "collection.anki2")
        try:
            if path.suffix.lower() == ".colpkg":
                RustBackend().import_collection_package(
                    col_path=col_path, backup_path=str(path),
                    media_folder=str(Path(tmp) / "media"), media_db=str(Path(tmp) / "media.db"),
                )
                col = Collection(col_path)
            else:
                col = Collection(col_path)
                col.import_anki_package(
                    ImportAnkiPackageRequest(
                        package_path=str(path),
                        options=ImportAnkiPackageOptions(with_scheduling=True, with_deck_configs=False),
                    )
                )
        except Exception as exc:  # the anki backend raises its own types; say which file
            raise AnkiError(f"{path}: not a readable Anki package ({exc})") from exc
        try:
            return _collect(col)
        finally:
            col.close()


def _collect(col) -> AnkiPackageReviews:  # noqa: ANN001 - an anki Collection
    reviews: list[AnkiReview] = []
    unknown: list[str] = []
    cloze_models = {m["id"] for m in col.models.all() if m.get("type") == 1}
    for note_row in col.db.all("SELECT id, guid, mid, sfld FROM notes"):
        nid, guid, mid, first_field = note_row
        note_id = note_id_from_guid(guid)
        if note_id is None:
            unknown.append(str(first_field)[:60] or guid)
            continue
        for cid, ord_ in col.db.all("SELECT id, ord FROM cards WHERE nid = ?", nid):
            key = key_for_anki_card(note_id, mid in cloze_models, ord_)
            for revlog_id, ease, time_ms, kind in col.db.all(
                "SELECT id, ease, time, type FROM revlog WHERE cid = ? ORDER BY id", cid
            ):
                if kind in _ANSWERED_TYPES and 1 <= ease <= 4:
                    reviews.append(AnkiReview(key, int(revlog_id), int(ease), int(time_ms)))
    return AnkiPackageReviews(tuple(reviews), tuple(unknown))


def is_known(review: AnkiReview, known_times_ms: set[int], tolerance_ms: int = 10) -> bool:
    """True when hcflash already has this review: an export writes the review's own millisecond
    time as the revlog id (moved by a few ms only when two reviews share a millisecond)."""
    return any(review.revlog_id - delta in known_times_ms for delta in range(tolerance_ms + 1))


def millis(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


