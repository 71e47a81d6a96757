"""`hcflash anki sync` against real Anki collections, answered with Anki's own scheduler: no mocks."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("anki")

from anki.collection import Collection  # noqa: E402
from anki.scheduler_pb2 import CardAnswer  # noqa: E402
from click.testing import CliRunner  # noqa: E402

from hcflash.anki.collection import find_collection  # noqa: E402
from hcflash.anki.keys import key_for_anki_card, note_guid  # noqa: E402
from hcflash.anki.notetypes import BASIC_MODEL_ID, CLOZE_MODEL_ID, NOTETYPE_VERSION, VERSION_KEY  # noqa: E402
from hcflash.anki.scheduling import DayFrame  # noqa: E402
from hcflash.cli import main  # noqa: E402
from hcflash.errors import AnkiError  # noqa: E402
from hcflash.timeutil import utcnow  # noqa: E402

from .anki_world import (  # noqa: E402
    World,
    anki_cards_by_key,
    answer_in_anki,
    assert_in_step,
    make_world,
    review_in_hcflash,
    run_in_zone,
)
from .conftest import basic_cards  # noqa: E402


@pytest.fixture
def world(tmp_path) -> World:
    return make_world(tmp_path)  # this machine's time zone, which Anki in this process uses too


# -- the round trip ---------------------------------------------------------------------------------


def test_three_rounds_on_both_sides_give_one_history_and_one_schedule(tmp_path):
    three_rounds(tmp_path, "")  # this machine's zone


def test_three_rounds_in_new_york_give_one_history_and_one_schedule(tmp_path):
    run_in_zone(three_rounds, "America/New_York", tmp_path)


def three_rounds(tmp_path: Path, zone: str) -> None:
    """Reviews on both sides, three times, a sync after each: one history, one schedule."""
    world = make_world(tmp_path, zone)
    first = world.sync()
    assert (first.notes_added, first.reviews_to_anki) == (9, 0)
    both_sides = set()
    for _round in range(3):
        with world.hcflash() as service:
            by_hcflash = review_in_hcflash(service, [3, 1, 4, 3, 2])
        world.travel(minutes=1)  # a learner is never on both sides in the same millisecond
        with world.anki() as col:
            by_anki = answer_in_anki(col, 4)
            by_anki += answer_in_anki(col, 1, CardAnswer.AGAIN)
        world.travel(minutes=11)
        with world.hcflash() as service:
            by_hcflash += review_in_hcflash(service, [3, 3])
        world.travel(minutes=1)
        with world.anki() as col:
            by_anki += answer_in_anki(col, 2, CardAnswer.HARD)
        report = world.sync()
        assert report.reviews_to_anki == len(by_hcflash) and report.reviews_from_anki == len(by_anki)
        anki_keys = {key_for_anki_card(guid.removeprefix("hcflash:"), guid == note_guid("std-pix"), ord_) for guid, ord_ in by_anki}
        both_sides |= set(by_hcflash) & anki_keys
        assert assert_in_step(world) >= 5
        world.travel(days=3)
    assert both_sides, "some card must have been reviewed on both sides between two syncs"
    with world.hcflash() as service:
        for key in both_sides:
            history = service.store.log.of_card(service.store.cards.by_key(key).id)
            assert {e.origin for e in history} == {"hcflash", "anki"}
            assert [e.reviewed_at for e in history] == sorted(e.reviewed_at for e in history)


def test_a_collection_set_up_from_an_export_is_recognized_review_for_review(world, tmp_path):
    from anki.collection import ImportAnkiPackageOptions, ImportAnkiPackageRequest

    with world.hcflash() as service:
        done = review_in_hcflash(service, [3, 1, 4, 2])
        package = tmp_path / "setup.apkg"
        service.export_anki(package)
    with world.anki() as col:
        col.import_anki_package(ImportAnkiPackageRequest(
            package_path=str(package), options=ImportAnkiPackageOptions(with_scheduling=True, with_deck_configs=True),
        ))
    report = world.sync()
    assert (report.notes_added, report.reviews_to_anki, report.reviews_from_anki) == (0, 0, 0)
    assert report.reviews_paired == len(done)  # each exported review found in the revlog, none sent twice
    assert assert_in_step(world) == len(done)
    assert world.sync().nothing_to_do


def test_reviews_done_in_anki_keep_ankis_due_dates_in_hcflash(world):
    world.sync()
    with world.anki() as col:
        answer_in_anki(col, 3, CardAnswer.EASY)
        due = {key: col.get_card(cid).due for key, cid in anki_cards_by_key(col).items() if col.get_card(cid).type == 2}
        today = col.sched.today
    assert len(due) == 3
    world.sync()
    with world.hcflash() as service:
        frame = DayFrame.of(utcnow(), today, service.settings)
        for key, day in due.items():
            state = service.store.states.get(service.store.cards.by_key(key).id)
            assert (state.state, frame.anki_day(state.due)) == ("review", day)


def test_a_fact_change_sends_the_card_back_to_relearning_in_anki_too(world):
    with world.hcflash() as service:
        oru = service.store.cards.by_key("std-oru").id
        service.rate(oru, 3)
    world.travel(minutes=11)
    with world.hcflash() as service:
        service.rate(oru, 3)  # graduated: due in a few days
    world.sync()
    world.travel(days=1)
    path = world.decks / "standards.md"
    path.write_text(path.read_text().replace(
        "Source: [HL7 v2.5.1](https://www.hl7.org/), chapter 7\n",
        "Source: [HL7 v2.5.1](https://www.hl7.org/), chapter 7\nChange: fact 2026-11-20 results moved to a new segment\n",
    ).replace("results sit in OBX segments", "results sit in NEW segments"))
    with world.hcflash() as service:
        state = service.store.states.get(oru)
        assert state.state == "relearning"  # hcflash's own deck sync did this, without a review
    report = world.sync()
    assert report.cards_rescheduled_in_anki == 1 and report.reviews_to_anki == 0
    with world.anki() as col:
        card = col.get_card(anki_cards_by_key(col)["std-oru"])
        assert (card.type, card.queue, card.due) == (3, 1, int(state.due.timestamp()))
    assert world.sync().nothing_to_do


# -- what a sync leaves alone ------------------------------------------------------------------------


def test_a_second_sync_with_nothing_new_changes_neither_file(world):
    with world.hcflash() as service:
        review_in_hcflash(service, [3, 3, 1, 4])
    world.sync()
    with world.anki() as col:
        answer_in_anki(col, 3)
    world.sync()
    before = world.files()
    report = world.sync()
    assert report.nothing_to_do
    assert world.files() == before
    assert not Path(f"{world.collection}-wal").exists() and not Path(f"{world.db}-wal").exists()


def test_the_learners_own_notes_styling_and_tags_are_left_alone(world):
    world.sync()
    with world.anki() as col:
        own = col.new_note(col.models.by_name("Basic"))
        own["Front"], own["Back"] = "My own card", "mine"
        col.add_note(own, col.decks.id("Mine"))
        model = col.models.get(BASIC_MODEL_ID)
        model["css"] = ".card { font-size: 40px; }"
        col.models.update_dict(model)
        oru = col.get_note(col.db.scalar("SELECT id FROM notes WHERE guid = ?", note_guid("std-oru")))
        oru.tags.append("my-tag")
        col.update_note(oru)
        col.db.execute("UPDATE notes SET mod = mod - 60")  # as if added a minute ago: a new mod time shows
        mods = dict(col.db.all("SELECT guid, mod FROM notes"))
        own_fields = col.get_note(own.id).fields
    path = world.decks / "standards.md"
    text = path.read_text().replace("results sit in OBX segments", "each result is an OBX segment")
    path.write_text(text.replace("\n---\n\n## Which HL7", "\n---\n\n\n\n## Which HL7"))  # every card's line moves down too
    report = world.sync()
    assert report.notes_updated == 1 and report.notes_added == 0
    with world.anki() as col:
        after = dict(col.db.all("SELECT guid, mod FROM notes"))
        changed = {guid for guid in after if after[guid] != mods[guid]}
        assert changed == {note_guid("std-oru")}
        oru = col.get_note(col.db.scalar("SELECT id FROM notes WHERE guid = ?", note_guid("std-oru")))
        assert "each result is an OBX segment" in oru["Back"] and "my-tag" in oru.tags
        assert col.get_note(own.id).fields == own_fields
        assert col.models.get(BASIC_MODEL_ID)["css"] == ".card { font-size: 40px; }"
        assert col.decks.by_name("Interop::Standards")["desc"] == "<p>Messages and profiles, <strong>by the spec</strong>.</p>"


def test_note_types_change_only_when_hcflashs_templates_are_newer(world):
    world.sync()
    with world.anki() as col:
        basic = col.models.get(BASIC_MODEL_ID)
        basic["tmpls"][0]["qfmt"] = "{{Front}} (as an older hcflash had it)"
        basic[VERSION_KEY] = NOTETYPE_VERSION - 1
        basic["css"] = ".card { color: teal; }"  # the learner's own styling
        col.models.update_dict(basic)
        cloze = col.models.get(CLOZE_MODEL_ID)
        cloze["css"] = ".cloze { color: red; }"
        col.models.update_dict(cloze)
    report = world.sync()
    assert report.notetypes_changed == ("hcflash Basic",)
    with world.anki() as col:
        basic = col.models.get(BASIC_MODEL_ID)
        assert basic["tmpls"][0]["qfmt"] == "{{Front}}" and basic[VERSION_KEY] == NOTETYPE_VERSION
        assert basic["css"] == ".card { color: teal; }"
        assert col.models.get(CLOZE_MODEL_ID)["css"] == ".cloze { color: red; }"
    assert world.sync().nothing_to_do


def test_the_command_says_what_it_did_and_finds_the_profile(world, monkeypatch):
    monkeypatch.setenv("ANKI_BASE", str(world.collection.parent.parent))

    def run(*args: str):  # noqa: ANN202
        return CliRunner().invoke(main, ["--db", str(world.db), "--decks", str(world.decks), "anki", "sync", *args])

    dry = run("--dry-run")
    assert dry.exit_code == 0 and "Would sync with" in dry.output and "Notes: 9 added" in dry.output
    done = run()
    assert done.exit_code == 0 and "Synced with" in done.output and "Anki backup:" in done.output
    again = run("--profile", "User 1")
    assert again.exit_code == 0 and "already in step, nothing to change" in again.output


def test_a_card_removed_from_the_decks_is_retired_in_anki_never_deleted(world):
    with world.hcflash() as service:
        review_in_hcflash(service, [3, 3, 3])
    world.sync()
    path = world.decks / "more.md"
    path.write_text(path.read_text().replace("## Question 1? <!-- id: more-q1 -->\n\nAnswer 1.\n\nSource: Spec section 1\n", ""))
    report = world.sync()
    assert report.notes_retired == 1
    with world.anki() as col:
        note = col.get_note(col.db.scalar("SELECT id FROM notes WHERE guid = ?", note_guid("more-q1")))
        assert "hcflash::retired" in note.tags
        assert [c.queue for c in note.cards()] == [-1]
        assert col.db.scalar("SELECT COUNT(*) FROM revlog WHERE cid = ?", note.cards()[0].id) == 1  # its history stays
    assert world.sync().nothing_to_do  # retired once: not retired again
    path.write_text(basic_cards("more", 6, deck="Interop::More"))  # it comes back
    report = world.sync()
    assert report.notes_revived == 1
    with world.anki() as col:
        note = col.get_note(col.db.scalar("SELECT id FROM notes WHERE guid = ?", note_guid("more-q1")))
        assert "hcflash::retired" not in note.tags and [c.queue for c in note.cards()] != [-1]


def test_a_card_moved_to_another_deck_moves_in_anki_unless_the_learner_moved_it(world):
    world.sync()
    with world.anki() as col:
        moved_by_learner = col.db.scalar("SELECT id FROM notes WHERE guid = ?", note_guid("more-q2"))
        col.set_deck(col.card_ids_of_note(moved_by_learner), col.decks.id("Elsewhere"))
    path = world.decks / "more.md"
    path.write_text(path.read_text().replace("deck: Interop::More", "deck: Interop::Renamed"))
    report = world.sync()
    assert report.cards_moved == 5
    with world.anki() as col:
        deck_of = {guid: col.decks.name(did) for guid, did in col.db.all("SELECT n.guid, c.did FROM cards c JOIN notes n ON n.id = c.nid")}
        assert deck_of[note_guid("more-q1")] == "Interop::Renamed"
        assert deck_of[note_guid("more-q2")] == "Elsewhere"


# -- finding the collection --------------------------------------------------------------------------


def test_the_collection_is_found_in_ankis_profile_folder(tmp_path, monkeypatch):
    base = tmp_path / "Anki2"
    monkeypatch.setenv("ANKI_BASE", str(base))
    with pytest.raises(AnkiError, match="no Anki profile found"):
        find_collection()
    (base / "User 1").mkdir(parents=True)
    (base / "User 1" / "collection.anki2").write_bytes(b"")
    (base / "addons21").mkdir()
    assert find_collection() == base / "User 1" / "collection.anki2"
    (base / "Phone").mkdir()
    (base / "Phone" / "collection.anki2").write_bytes(b"")
    with pytest.raises(AnkiError, match="2 profiles .*: Phone, User 1; choose one with --profile NAME"):
        find_collection()
    assert find_collection(profile="Phone") == base / "Phone" / "collection.anki2"
    with pytest.raises(AnkiError, match="no Anki profile 'Nope'"):
        find_collection(profile="Nope")


def test_an_export_carries_the_deck_description(world, tmp_path):
    from anki.collection import ImportAnkiPackageOptions, ImportAnkiPackageRequest

    out = tmp_path / "d.apkg"
    with world.hcflash() as service:
        service.export_anki(out)
    col = Collection(str(tmp_path / "fresh.anki2"))
    try:
        col.import_anki_package(ImportAnkiPackageRequest(package_path=str(out), options=ImportAnkiPackageOptions(with_scheduling=True)))
        assert "<strong>by the spec</strong>" in col.decks.by_name("Interop::Standards")["desc"]
        assert col.models.get(BASIC_MODEL_ID)["mod"] == col.models.get(CLOZE_MODEL_ID)["mod"]  # fixed per version
    finally:
        col.close()
