"""`plan_sync` on known-card maps: what a sync would insert, update, retire, revive and carry, with no store."""

from __future__ import annotations

from pathlib import Path

from hcflash.records import CardContent
from hcflash.sync import Carry, KnownCard, plan_sync


def content(key: str, file: str = "a.md", line: int = 1, text: str = "A", deck: str = "D", replaces: tuple[str, ...] = ()) -> CardContent:
    return CardContent(
        key=key, note_id=key.split("#")[0], kind="basic", ord=0, deck=deck, question="Q?", answer=text,
        sources=("S",), tags=(), file=file, line=line, content_hash=f"hash-{text}", replaces=replaces,
    )


def known(id: int, key: str, file: str = "a.md", line: int = 1, text: str = "A", deck: str = "D", retired: bool = False) -> KnownCard:
    return KnownCard(id, key, deck, file, line, f"hash-{text}", (), retired)


def test_new_cards_are_inserted_and_unchanged_ones_counted():
    plan = plan_sync([content("x"), content("y", line=5)], {"a.md"}, {"x": known(1, "x")})
    assert [c.key for c in plan.inserts] == ["y"]
    assert (plan.unchanged, plan.updates, plan.retire_ids, plan.issues) == (1, [], [], [])


def test_an_edit_keeps_the_id_and_is_marked_as_a_content_change():
    plan = plan_sync([content("x", text="B")], {"a.md"}, {"x": known(1, "x")})
    [update] = plan.updates
    assert (update.id, update.content_changed, update.moved, update.revived) == (1, True, False, False)


def test_a_move_to_another_file_or_deck_is_not_an_edit():
    plan = plan_sync([content("x", file="b.md", deck="E")], {"a.md", "b.md"}, {"x": known(1, "x")})
    [update] = plan.updates
    assert (update.content_changed, update.moved) == (False, True)


def test_a_card_gone_from_its_file_is_retired_and_comes_back_revived():
    retired = plan_sync([], {"a.md"}, {"x": known(1, "x")})
    assert retired.retire_ids == [1]
    revived = plan_sync([content("x")], {"a.md"}, {"x": known(1, "x", retired=True)})
    assert [(u.id, u.revived) for u in revived.updates] == [(1, True)]


def test_cards_of_files_not_reparsed_are_left_alone():
    plan = plan_sync([], {"b.md"}, {"x": known(1, "x", file="a.md")})
    assert (plan.retire_ids, plan.updates) == ([], [])


def test_an_id_live_in_another_file_is_a_duplicate_with_both_places():
    plan = plan_sync([content("x", file="b.md", line=7)], {"b.md"}, {"x": known(1, "x", file="a.md", line=3)})
    [issue] = plan.issues
    assert (issue.code, issue.path, issue.line) == ("HC113", Path("b.md"), 7)
    assert "already used at a.md:3" in issue.message
    assert plan.inserts == [] and plan.updates == []


def test_a_new_card_that_replaces_others_carries_their_history():
    plan = plan_sync([content("new", replaces=("old", "other", "missing"))], {"a.md"}, {"old": known(1, "old"), "other": known(2, "other")})
    assert plan.carries == [Carry("new", (1, 2))]
