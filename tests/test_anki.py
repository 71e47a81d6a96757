"""Anki export and import with the real `anki` package: no mocks of the client."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest

pytest.importorskip("anki")

from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest  # noqa: E402  # isort: skip

from hcflash.anki.notetypes import BASIC_MODEL_ID, CLOZE_MODEL_ID  # noqa: E402
from hcflash.service import StudyService  # noqa: E402
from hcflash.settings import Settings  # noqa: E402
from hcflash.store import Store  # noqa: E402
from hcflash.timeutil import utcnow  # noqa: E402

from .anki_world import answer_in_anki  # noqa: E402
from .conftest import FakeClock, write_deck  # noqa: E402
from .decks import ANKI_DECK as DECK  # noqa: E402


class ElementCollector(HTMLParser):
    """Every tag and attribute a browser would build from the HTML."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: set[str] = set()
        self.attributes: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        self.attributes.extend((name.lower(), (value or "").strip().lower()) for name, value in attrs)

@pytest.fixture
def collection_dir(tmp_path: Path) -> Path:
    path = tmp_path / "anki"
    path.mkdir()
    return path


@pytest.fixture
def hc(tmp_path: Path):
    decks = tmp_path / "decks"
    write_deck(decks, "standards.md", DECK)
    clock = FakeClock(now=utcnow())
    store = Store.open(tmp_path / "hc.db")
    service = StudyService(store, [decks], clock=clock)
    service.save_settings(Settings(fuzz=False, desired_retention=0.87))
    service.sync()
    yield service, clock, decks
    store.close()


def open_collection(folder: Path, name: str = "collection.anki2") -> Collection:
    return Collection(str(folder / name))


def import_into(col: Collection, package: Path):
    return col.import_anki_package(
        ImportAnkiPackageRequest(
            package_path=str(package),
            options=ImportAnkiPackageOptions(with_scheduling=True, with_deck_configs=True, update_notes=1, update_notetypes=1),
        )
    )


def note_by_guid(col: Collection, guid: str):
    nid = col.db.scalar("SELECT id FROM notes WHERE guid = ?", guid)
    return col.get_note(nid)


def study_some(service: StudyService, clock: FakeClock) -> dict[str, int]:
    """Rate the ORU card Good twice (it graduates) and the first cloze Again: a small history."""
    ratings = {}
    for rating in (3, 3, 1):
        card = service.next_card()
        service.rate(card.id, rating)
        ratings[card.key] = ratings.get(card.key, 0) + 1
        clock.advance(minutes=11)
    return ratings


def test_export_imports_cleanly_with_decks_fields_tags_and_cloze(hc, collection_dir, tmp_path):
    service, clock, _ = hc
    out = tmp_path / "out.apkg"
    summary = service.export_anki(out)
    assert (summary.notes, summary.cards) == (3, 5)
    col = open_collection(collection_dir)
    try:
        import_into(col, out)
        assert col.note_count() == 3 and col.card_count() == 5
        assert col.decks.id_for_name("Interop::Standards") is not None
        assert col.decks.id_for_name("Interop") is not None
        oru = note_by_guid(col, "hcflash:std-oru")
        assert oru.mid == BASIC_MODEL_ID
        assert "<strong>ORU^R01</strong>" in oru["Back"] and "<table>" in oru["Back"]
        assert 'href="https://www.hl7.org/"' in oru["Source"]
        assert oru["Id"] == "std-oru"
        assert set(oru.tags) == {"demo", "v2", "lab"}
        pix = note_by_guid(col, "hcflash:std-pix")
        assert pix.mid == CLOZE_MODEL_ID and "{{c2::other domains}}" in pix["Text"]
        assert len(pix.cards()) == 2
        xds = note_by_guid(col, "hcflash:std-xds")
        assert len(xds.cards()) == 2  # the reversed card exists
    finally:
        col.close()


def test_progress_carries_memory_state_due_and_review_history(hc, collection_dir, tmp_path):
    service, clock, _ = hc
    study_some(service, clock)
    oru_id = service.store.cards.by_key("std-oru").id
    state = service.store.states.get(oru_id)
    assert state.state == "review"
    out = tmp_path / "progress.apkg"
    summary = service.export_anki(out)
    assert summary.reviews == 3
    col = open_collection(collection_dir)
    try:
        import_into(col, out)
        card = note_by_guid(col, "hcflash:std-oru").cards()[0]
        assert card.type == 2 and card.queue == 2
        assert card.memory_state.stability == pytest.approx(state.stability, abs=1e-3)  # Anki keeps 3 decimals
        assert card.memory_state.difficulty == pytest.approx(state.difficulty, abs=1e-3)
        days_until_due = round((state.due - clock.now).total_seconds() / 86400)
        assert abs((card.due - col.sched.today) - days_until_due) <= 1
        assert col.db.scalar("SELECT COUNT(*) FROM revlog WHERE cid = ?", card.id) == 2
        config = col.decks.config_dict_for_deck_id(card.did)
        assert config["desiredRetention"] == pytest.approx(0.87)
        assert len(config["fsrsParams6"]) == 21
    finally:
        col.close()


def test_notes_added_in_chunks_keep_their_own_fields_and_progress(hc, collection_dir, tmp_path, monkeypatch):
    """Anki adds the notes in chunks and the schedules and reviews are joined to the notes it made:
    with one note to a chunk, every note, card schedule and review still lands on its own note, and
    the progress bar moves once per chunk."""
    import hcflash.anki.export as export

    monkeypatch.setattr(export, "CHUNK", 1)
    service, clock, _ = hc
    ratings = study_some(service, clock)
    oru_state = service.store.states.get(service.store.cards.by_key("std-oru").id)
    moves: list[int] = []
    out = tmp_path / "chunks.apkg"
    summary = service.export_anki(out, advance=moves.append)
    assert moves == [1, 1, 1] and summary.reviews == 3
    col = open_collection(collection_dir)
    try:
        import_into(col, out)
        for guid, note_id in ((guid, guid.removeprefix("hcflash:")) for guid in col.db.list("SELECT guid FROM notes")):
            assert note_by_guid(col, guid)["Id"] == note_id
        oru = note_by_guid(col, "hcflash:std-oru").cards()[0]
        assert (oru.type, oru.queue) == (2, 2)
        assert oru.memory_state.stability == pytest.approx(oru_state.stability, abs=1e-3)
        reviewed = {note_by_guid(col, guid)["Id"]: count for guid, count in col.db.all(
            "SELECT n.guid, COUNT(*) FROM revlog r JOIN cards c ON c.id = r.cid JOIN notes n ON n.id = c.nid GROUP BY n.guid")}
        assert reviewed == {key.split("#")[0]: count for key, count in ratings.items()}
    finally:
        col.close()


def test_reviews_in_the_same_millisecond_get_revlog_ids_one_apart(hc, collection_dir, tmp_path):
    """Anki keys its review log by time in milliseconds: two reviews at the same moment must both
    arrive, the second moved on by 1 ms."""
    service, clock, _ = hc
    first = service.next_card()
    service.rate(first.id, 3)
    second = service.next_card()
    assert second.id != first.id
    service.rate(second.id, 3)  # the clock has not moved: the same millisecond
    out = tmp_path / "same-ms.apkg"
    assert service.export_anki(out).reviews == 2
    col = open_collection(collection_dir)
    try:
        import_into(col, out)
        ids = sorted(col.db.list("SELECT id FROM revlog"))
        assert abs(ids[0] - clock.now.timestamp() * 1000) < 1 and ids[1] == ids[0] + 1
        assert col.db.scalar("SELECT COUNT(DISTINCT cid) FROM revlog") == 2
    finally:
        col.close()


def test_no_progress_exports_new_cards_only(hc, collection_dir, tmp_path):
    service, clock, _ = hc
    study_some(service, clock)
    out = tmp_path / "share.apkg"
    service.export_anki(out, with_progress=False)
    col = open_collection(collection_dir)
    try:
        import_into(col, out)
        assert col.db.scalar("SELECT COUNT(*) FROM revlog") == 0
        assert col.db.scalar("SELECT COUNT(*) FROM cards WHERE type != 0") == 0
    finally:
        col.close()


def test_a_newer_export_updates_notes_in_place_and_keeps_anki_history(hc, collection_dir, tmp_path):
    service, clock, decks = hc
    study_some(service, clock)
    first = tmp_path / "v1.apkg"
    service.export_anki(first)
    col = open_collection(collection_dir)
    try:
        import_into(col, first)
        note_id = note_by_guid(col, "hcflash:std-oru").id
        revlog_before = col.db.scalar("SELECT COUNT(*) FROM revlog")

        path = decks / "standards.md"
        path.write_text(path.read_text().replace("results sit in OBX segments", "each result is an OBX segment"))
        clock.advance(minutes=5)
        assert service.sync().changed == 1
        second = tmp_path / "v2.apkg"
        service.export_anki(second)
        import_into(col, second)

        assert col.note_count() == 3
        note = note_by_guid(col, "hcflash:std-oru")
        assert note.id == note_id
        assert "each result is an OBX segment" in note["Back"]
        assert col.db.scalar("SELECT COUNT(*) FROM revlog") == revlog_before
        assert len(col.models.all_names_and_ids()) == len({m.name for m in col.models.all_names_and_ids()})
    finally:
        col.close()


@pytest.mark.parametrize("package_kind", ["apkg", "colpkg"])
def test_round_trip_brings_anki_reviews_back_once(hc, collection_dir, tmp_path, package_kind):
    from anki.collection import ExportAnkiPackageOptions

    service, clock, _ = hc
    study_some(service, clock)
    out = tmp_path / "to-anki.apkg"
    service.export_anki(out)
    log_before = service.store.log.count()

    col = open_collection(collection_dir)
    try:
        import_into(col, out)
        answered = [guid for guid, _ in answer_in_anki(col, 2)]
        assert answered
        back = tmp_path / f"from-anki.{package_kind}"
        if package_kind == "apkg":
            col.export_anki_package(
                out_path=str(back),
                options=ExportAnkiPackageOptions(with_scheduling=True, with_deck_configs=False, with_media=False),
                limit=None,
            )
        else:
            col.export_collection_package(str(back), include_media=False, legacy=False)
    finally:
        col.close()

    keys_answered = {service.store.cards.by_key(g.removeprefix("hcflash:")) for g in answered}
    before_states = {c.id: service.store.states.get(c.id) for c in keys_answered if c is not None}
    report = service.import_anki(back)
    assert report.reviews_added == len(answered)
    assert report.already_known == 3
    assert service.store.log.count() == log_before + len(answered)
    anki_rows = service.store.db.execute("SELECT COUNT(*) FROM review_log WHERE origin = 'anki'").fetchone()[0]
    assert anki_rows == len(answered)
    moved = [cid for cid, before in before_states.items() if service.store.states.get(cid) != before]
    assert moved, "importing Anki reviews must move the schedule of the reviewed cards"

    again = service.import_anki(back)
    assert again.reviews_added == 0 and service.store.log.count() == log_before + len(answered)


def test_unknown_notes_are_reported_and_skipped(hc, collection_dir, tmp_path):
    from anki.collection import ExportAnkiPackageOptions

    service, _, _ = hc
    col = open_collection(collection_dir)
    try:
        note = col.new_note(col.models.by_name("Basic"))
        note["Front"], note["Back"] = "Someone else's card", "x"
        col.add_note(note, col.decks.id("Mine"))
        assert answer_in_anki(col, 1, deck="Mine")
        pkg = tmp_path / "other.apkg"
        col.export_anki_package(
            out_path=str(pkg),
            options=ExportAnkiPackageOptions(with_scheduling=True, with_deck_configs=False, with_media=False),
            limit=None,
        )
    finally:
        col.close()
    report = service.import_anki(pkg)
    assert report.reviews_added == 0 and len(report.unknown_notes) == 1
    assert service.store.log.count() == 0


EVIL_DECK = (
    '## <script>alert(1)</script> Q <!-- id: evil-q -->\n\n'
    '<img src=x onerror="alert(1)"> [click](javascript:alert(1)) ![track](https://evil.example/p.png)\n'
    '<iframe src="https://evil.example"></iframe>\n\n'
    'Source: <a href="javascript:alert(2)" onclick="x()">spec</a>\n'
)


def store_without_the_linter(store: Store, path: Path) -> None:
    """What sync stored before it ran the linter (#18): hostile text could reach the store then,
    and a store keeps it until the card changes."""
    from hcflash.cards import expand_note
    from hcflash.deck import parse_deck
    from hcflash.sync import plan_sync

    deck = parse_deck(path.read_text(), path)
    contents = [card for note in deck.notes for card in expand_note(note, deck.header, str(path))]
    store.sync.apply(plan_sync(contents, {str(path)}, store.sync.known()), [], [], {}, utcnow())


def test_sync_refuses_hostile_card_text_as_check_does(tmp_path):
    from hcflash.check import check_paths
    from hcflash.errors import DeckError

    decks = tmp_path / "decks"
    write_deck(decks, "evil.md", EVIL_DECK)
    checked = {(i.code, i.line) for i in check_paths([decks]).errors}
    with Store.open(tmp_path / "e.db") as store:
        with pytest.raises(DeckError) as err:
            StudyService(store, [decks]).sync()
        assert store.cards.count() == 0
    assert {("HC140", 1), ("HC141", 1)} <= {(i.code, i.line) for i in err.value.issues} <= checked


def test_hostile_card_text_comes_out_inert(tmp_path, collection_dir):
    decks = tmp_path / "decks"
    path = write_deck(decks, "evil.md", EVIL_DECK)
    with Store.open(tmp_path / "e.db") as store:
        store_without_the_linter(store, path)
        service = StudyService(store, [decks])
        out = tmp_path / "evil.apkg"
        service.export_anki(out)
    col = open_collection(collection_dir)
    try:
        import_into(col, out)
        note = note_by_guid(col, "hcflash:evil-q")
        elements = ElementCollector()
        for field in note.fields:
            elements.feed(field)
        assert not {"script", "img", "iframe", "object", "embed", "style"} & elements.tags
        assert not [name for name, _ in elements.attributes if name.startswith("on")]
        assert not [value for name, value in elements.attributes if name in ("href", "src") and not value.startswith("https:")]
        assert "&lt;script&gt;" in note["Front"]  # shown as text, never run
    finally:
        col.close()


def test_html_from_the_stores_render_cache_is_sanitized_again(hc, collection_dir, tmp_path):
    """The cache is a table in a file on disk: HTML read back from it is checked as if new."""
    service, _, _ = hc
    service.export_anki(tmp_path / "first.apkg")  # fills the cache
    poisoned = {
        key: {**fields, "Back": '<script>alert(1)</script><img src=x onerror="alert(2)"><a href="javascript:x()">y</a>'}
        for key, fields in service.store.html.cached().items()
    }
    service.store.html.save(poisoned)
    out = tmp_path / "second.apkg"
    service.export_anki(out)
    col = open_collection(collection_dir)
    try:
        import_into(col, out)
        elements = ElementCollector()
        elements.feed(note_by_guid(col, "hcflash:std-oru")["Back"])
        assert not {"script", "img"} & elements.tags
        assert not [name for name, _ in elements.attributes if name.startswith("on")]
        assert not [value for name, value in elements.attributes if name == "href" and value.startswith("javascript")]
    finally:
        col.close()


@pytest.mark.parametrize(
    "html",
    [
        '<script>alert(1)</script>', '<a href="javascript:x()" rel="noopener noreferrer">y</a>', '<p onclick="x()">p</p>',
        '<img src=x onerror=y>', '<a href="https://x" rel="noopener noreferrer" onclick="y">z</a>', '<th style="background:url(x)">t</th>',
        '<ol start="1" onload="x">', '<p>ok</p><scr', '<iframe src="https://evil.example"></iframe>',
    ],
)
def test_cached_html_that_is_not_plainly_what_the_renderer_writes_is_sanitized(html):
    from hcflash.anki.html import resanitize

    elements = ElementCollector()
    elements.feed(resanitize({"Back": html})["Back"])
    assert not {"script", "img", "iframe"} & elements.tags
    assert not [name for name, _ in elements.attributes if name.startswith("on") or name == "src"]
    assert not [value for name, value in elements.attributes if name == "href" and not value.startswith("https:")]
    assert not [value for name, value in elements.attributes if name == "style" and "url" in value]


def test_cached_html_the_renderer_wrote_is_kept_as_it_is():
    from hcflash.anki.html import markdown_html, resanitize

    html = markdown_html("**b** `c`\n\n- a\n\n| a | b |\n|:--|--:|\n| 1 | 2 |\n\n[l](https://x.org/?a=1&b=2 \"t\") [m](mailto:a@b.c)")
    assert resanitize({"Back": html}) == {"Back": html}
