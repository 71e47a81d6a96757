"""A full daily loop driven by Pilot, asserting on the store, not only on the screen."""

from __future__ import annotations

from hcflash.tui.screens.browse import BrowseScreen
from hcflash.tui.screens.home import HomeScreen
from hcflash.tui.screens.review import ReviewScreen
from hcflash.tui.screens.summary import SummaryScreen


def log(service):
    return service.store.db.execute("SELECT card_id, rating FROM review_log ORDER BY id").fetchall()


async def test_a_daily_session_from_home_to_summary(make_app, tui_service, clock):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("a")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReviewScreen)

        first = screen.card
        await pilot.press("3")  # a rating before the reveal does nothing
        assert log(tui_service) == []
        await pilot.press("space", "1")  # Again
        assert log(tui_service) == [(first.id, 1)]
        assert tui_service.store.states.get(first.id).state == "learning"

        second = screen.card
        assert second.id != first.id
        await pilot.press("space", "2")  # Hard
        third = screen.card
        await pilot.press("space", "4")  # Easy graduates the card
        assert tui_service.store.states.get(third.id).state == "review"
        assert [r for _, r in log(tui_service)] == [1, 2, 4]

        await pilot.press("u")  # undo the Easy: the card comes back, its log row is gone
        assert screen.card.id == third.id
        assert [r for _, r in log(tui_service)] == [1, 2]
        assert tui_service.store.states.get(third.id).state == "new"

        await pilot.press("minus")  # bury
        assert tui_service.store.states.get(third.id).buried_until is not None
        buried_next = screen.card
        await pilot.press("at")  # suspend
        assert tui_service.store.states.get(buried_next.id).suspended

        while isinstance(app.screen, ReviewScreen):
            clock.advance(minutes=15)
            await pilot.press("space", "3")  # Good until the learning cards graduate
            await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        summary = app.screen.summary
        assert summary.reviewed == len(log(tui_service))
        assert summary.again == 1

        await pilot.press("enter")
        assert isinstance(app.screen, HomeScreen)


async def test_review_of_one_deck_only_shows_that_deck(make_app, tui_service):
    app = make_app(decks=["Interop::Rules"])
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.screen.card.deck == "Interop::Rules"
        await pilot.press("space", "4")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)


async def test_flag_records_a_note_for_the_authors(make_app, tui_service):
    app = make_app(start_review=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        card = app.screen.card
        await pilot.press("f")
        await pilot.pause()
        await pilot.press(*"date is wrong")
        await pilot.press("enter")
        await pilot.pause()
        flags = tui_service.open_flags()
        assert [(f.card_id, f.note) for f in flags] == [(card.id, "date is wrong")]


async def test_card_info_shows_history(make_app, tui_service):
    app = make_app(start_review=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("space", "1", "i")
        await pilot.pause()
        assert type(app.screen).__name__ == "CardInfoScreen"
        assert len(app.screen.info.history) in (0, 1)  # info is for the card now shown
        await pilot.press("escape")
        assert isinstance(app.screen, ReviewScreen)


async def test_browse_searches_and_suspends(make_app, tui_service):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("b")
        await pilot.pause()
        assert isinstance(app.screen, BrowseScreen)
        await pilot.press(*"obx")
        await pilot.pause()
        table = app.screen.query_one("#results")
        assert table.row_count == 1
        await pilot.press("ctrl+s")
        card = tui_service.store.cards.by_key("std-oru")
        assert tui_service.store.states.get(card.id).suspended
        await pilot.press("ctrl+s")
        assert not tui_service.store.states.get(card.id).suspended


async def test_edit_opens_the_editor_at_the_card_line_and_resyncs(make_app, tui_service, tmp_path, monkeypatch):
    editor = tmp_path / "fake-editor.sh"
    editor.write_text('#!/bin/sh\n# usage: fake-editor +LINE FILE\nsed -i "s/ORU^R01/ORU^R01 (unsolicited)/" "$2"\necho "$1" > "$2.line"\n')
    editor.chmod(0o755)
    monkeypatch.setenv("EDITOR", str(editor))
    monkeypatch.delenv("VISUAL", raising=False)
    from hcflash.deck import _md

    parsed: list[str] = []
    real_parse = _md.parse
    monkeypatch.setattr(_md, "parse", lambda src, env=None: parsed.append(src) or real_parse(src, env))
    deck_file = tmp_path / "decks" / "standards.md"
    before = deck_file.read_text()
    app = make_app(decks=["Interop::Standards"])
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        card = app.screen.card
        assert card.key == "std-oru"
        tui_service.syncer.parses.clear()  # as in a session whose first sync had no file to parse
        await pilot.press("e")
        await pilot.pause()
        assert (tmp_path / "decks" / "standards.md.line").read_text().strip() == f"+{card.line}"
        assert "(unsolicited)" in app.screen.card.back
        assert tui_service.store.cards.get(card.id).id == card.id
    # The file was read before the editor opened; the sync after it re-parsed the edited card only.
    assert parsed[0] == before
    assert parsed[1:] and all("(unsolicited)" in src and len(src) < len(deck_file.read_text()) for src in parsed[1:])


async def test_card_text_cannot_inject_terminal_controls(make_app, tui_service, tmp_path):
    from hcflash.text_safety import plain_text

    hostile = "Title\x1b]52;c;ZXZpbA==\x07 and \x1b[2J clear"
    assert "\x1b" not in plain_text(hostile) and "\x07" not in plain_text(hostile)
    app = make_app(start_review=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        from hcflash.tui.widgets.card_markdown import CardMarkdown

        front = screen.query_one("#front", CardMarkdown)
        front.show(hostile)
        await pilot.pause()
        assert "\x1b" not in front.source
        assert "\\x1b" in front.source


async def test_an_edited_card_shows_what_changed_and_r_resets_it(make_app, tui_service, tmp_path, clock):
    card = tui_service.store.cards.by_key("rule-uscdi")
    tui_service.preview(card.id)
    tui_service.rate(card.id, 4)
    clock.advance(days=30)
    deck = tmp_path / "decks" / "rules.md"
    deck.write_text(deck.read_text().replace("45 CFR 170.213.", "45 CFR 170.213, since the Cures Act Final Rule."))
    tui_service.sync()
    app = make_app(decks=["Interop::Rules"])
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        notice = app.screen.query_one("#notice")
        assert notice.display
        rendered = str(notice.render())
        assert "edited since you last reviewed" in rendered
        assert "45 CFR 170.213" not in rendered  # only the answer changed: its diff would give the answer away
        await pilot.press("space")
        rendered = str(notice.render())
        assert "-45 CFR 170.213." in rendered and "+45 CFR 170.213, since the Cures Act Final Rule." in rendered
        await pilot.press("R")
        assert tui_service.store.states.get(card.id).state == "new"
        assert len(tui_service.store.log.of_card(card.id)) == 1


async def test_settings_screen_saves_values_and_offers_the_optimizer(make_app, tui_service):
    from hcflash.tui.screens.settings import SettingsScreen

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("comma")
        await pilot.pause()
        assert isinstance(app.screen, SettingsScreen)
        field = app.screen.query_one("#set-new-per-day")
        field.value = "7"
        await pilot.press("ctrl+s")
        assert tui_service.settings.new_per_day == 7
        field.value = "lots"
        await pilot.press("ctrl+s")
        assert tui_service.settings.new_per_day == 7  # a bad value is refused, nothing saved
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert "defaults" in str(app.screen.query_one("#optimizer").render())
        assert tui_service.settings.fsrs_parameters == ()


async def test_a_session_started_in_review_opens_on_its_first_card_alone(make_app, tui_service):
    """`hcflash review` opens on the card itself: the review screen is the bottom of the stack
    (no blank screen under it) and its first frame already holds the question and the counts."""
    expected = tui_service.next_card(None)
    app = make_app(start_review=True)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert isinstance(screen, ReviewScreen) and app.screen_stack == [screen]
        assert screen.card.id == expected.id
        counts = tui_service.queue_counts()
        assert str(screen.query_one("#counts").render()).startswith(f"{counts.new} new · {counts.learning} learning")
        assert not screen.query_one("#back").display and not screen.query_one("#source").display
        await pilot.press("q")  # the review screen at the bottom gives way to the deck list
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen) and len(app.screen_stack) == 1


async def test_a_session_started_in_review_with_nothing_due_goes_to_the_summary(make_app, tui_service):
    card = tui_service.next_card(["Interop::Rules"])
    tui_service.rate(card.id, 4)
    assert tui_service.next_card(["Interop::Rules"]) is None
    app = make_app(decks=["Interop::Rules"])
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen) and app.screen_stack == [app.screen]
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
