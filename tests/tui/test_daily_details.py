"""Small things a daily user meets: buried cards in the browser, the settings screen's discard
prompt, the theme that stays chosen, undo from the congratulations screen, q back to the decks, a
table answer in a narrow terminal."""

from __future__ import annotations

import re

from textual.widgets import Input, Select
from textual.widgets._markdown import MarkdownTableContent

from hcflash.locations import bundled_decks_dir
from hcflash.service import StudyService
from hcflash.settings import Settings
from hcflash.store import Store
from hcflash.tui.app import HcflashApp
from hcflash.tui.screens.browse import BrowseScreen
from hcflash.tui.screens.home import HomeScreen
from hcflash.tui.screens.review import ReviewScreen
from hcflash.tui.screens.settings import SettingsScreen
from hcflash.tui.screens.summary import SummaryScreen

from ..conftest import write_deck


async def test_a_buried_card_shows_as_buried_and_has_its_own_filter(make_app, tui_service):
    card = tui_service.next_card()
    tui_service.bury(card.id)
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("b")
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, BrowseScreen)
        table = screen.query_one("#results")
        assert str(table.get_row(str(card.id))[3]) == "buried"
        screen.query_one("#state-filter", Select).value = "buried"
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert table.row_count == 1


async def test_cloze_siblings_are_told_apart_in_the_browser(make_app, tui_service):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("b")
        await app.workers.wait_for_complete()
        await pilot.pause()
        cloze = tui_service.store.cards.by_key("std-search#c1")
        assert str(app.screen.query_one("#results").get_row(str(cloze.id))[1]) == "c1"


async def test_leaving_settings_with_unsaved_edits_asks_first(make_app, tui_service):
    app = make_app()
    async with app.run_test(size=(80, 30)) as pilot:
        await pilot.press("comma")
        await pilot.pause()
        app.screen.query_one("#set-new-per-day", Input).value = "9"
        await pilot.press("escape")
        await pilot.pause()
        assert type(app.screen).__name__ == "ConfirmScreen"
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, SettingsScreen)  # kept, with the edit
        await pilot.press("escape", "y")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen) and tui_service.settings.new_per_day == 20


async def test_the_chosen_theme_is_there_next_time(make_app, tui_service):
    async with make_app().run_test() as pilot:
        pilot.app.theme = "nord"
        await pilot.pause()
    async with HcflashApp(tui_service).run_test() as pilot:
        await pilot.pause()
        assert pilot.app.theme == "nord"


async def test_the_last_answer_of_the_day_can_be_undone_from_the_summary(make_app, tui_service):
    app = make_app(decks=["Interop::Rules"])
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        card = app.screen.card
        await pilot.press("space", "4")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        await pilot.press("u")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen) and app.screen.card.id == card.id
        assert tui_service.store.log.count() == 0 and tui_service.store.states.get(card.id).state == "new"


async def test_q_leaves_the_review_for_the_deck_list(make_app):
    app = make_app(start_review=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


async def test_the_deck_list_counts_what_was_just_studied(make_app, tui_service):
    """Home, study all, answer one new card Easy, back home: the deck list is the same screen
    resumed, and its counts must say one new card fewer."""
    before = tui_service.queue_counts().new
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        home = app.screen
        assert f"{before} new" in str(home.query_one("#today").render())
        await pilot.press("a")
        await pilot.pause()
        await pilot.press("space", "4")
        await pilot.pause()
        await pilot.press("q")
        await pilot.pause()
        assert app.screen is home
        assert f"{before - 1} new" in str(home.query_one("#today").render())


async def test_the_browser_loads_a_page_at_a_time_as_the_learner_scrolls(tmp_path, clock):
    from hcflash.service import StudyService
    from hcflash.settings import Settings
    from hcflash.store import Store

    from ..conftest import basic_cards, write_deck

    write_deck(tmp_path / "big", "big.md", basic_cards("big", 120))
    with Store.open(tmp_path / "big.db") as store:
        service = StudyService(store, [tmp_path / "big"], clock=clock)
        service.save_settings(Settings(timezone="America/New_York", fuzz=False))
        service.sync()
        app = HcflashApp(service)
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.press("b")
            await app.workers.wait_for_complete()
            await pilot.pause()
            table = app.screen.query_one("#results")
            assert table.row_count == 40 and "40+ cards" in app.screen.sub_title
            table.focus()
            await pilot.press(*["down"] * 35)
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert table.row_count == 80
            await pilot.press(*["down"] * 40)
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert table.row_count == 120 and app.screen.sub_title == "120 card(s)"


async def test_a_table_answer_in_a_narrow_terminal_hides_no_word(tmp_path, clock):
    """The bundled CMS-9115-F vs ONC table at 40 columns: its columns get squeezed, and every word
    of every cell must still be on screen (folded at the edge), never cut off with an ellipsis."""
    source = (bundled_decks_dir() / "healthcare-interop" / "cms-interoperability.md").read_text()
    note = next(part for part in re.split(r"(?m)^(?=## )", source) if "<!-- id: cms-9115f-vs-onc-cures-rule -->" in part)
    write_deck(tmp_path / "decks", "table.md", "---\ndeck: Narrow\n---\n\n" + note)
    store = Store.open(tmp_path / "narrow.db")
    service = StudyService(store, [tmp_path / "decks"], clock=clock)
    service.save_settings(Settings(timezone="America/New_York", fuzz=False))
    service.sync()
    app = HcflashApp(service, start_review=True)
    async with app.run_test(size=(40, 60)) as pilot:
        await pilot.pause()
        await pilot.press("space")
        await pilot.pause()
        table = app.screen.query_one(MarkdownTableContent)
        cells = list(table.query(".cell, .header"))
        assert len(cells) == 9  # a header row and two rows of three columns
        screen = [strip.text for strip in app.screen._compositor.render_strips()]  # what the terminal shows
        for cell in cells:
            region = cell.region
            assert region.height == cell.outer_size.height, "the whole table fits this 60-line screen"
            shown = "".join(line[region.x : region.right] for line in screen[region.y : region.bottom])
            written = str(cell.content)
            assert "…" not in shown, f"cut off: {shown.strip()!r}"
            assert re.sub(r"\s+", "", shown) == re.sub(r"\s+", "", written), f"{written!r} shows as {shown.strip()!r}"
    store.close()


async def test_a_narrow_terminal_keeps_every_decks_counts_on_screen(tmp_path, clock):
    """At 40 columns the bundled decks' long names give way: each visible deck row still shows its
    new, learning and due counts, and the filters of the browser are not squeezed to a letter a line."""
    store = Store.open(tmp_path / "narrow.db")
    service = StudyService(store, [bundled_decks_dir()], clock=clock)
    service.save_settings(Settings(timezone="America/New_York", fuzz=False))
    service.sync()
    expected = {row.name.split("::")[-1]: row for row in service.deck_counts()}
    app = HcflashApp(service)
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.pause()
        screen = [strip.text for strip in app.screen._compositor.render_strips()]
        rows = [m for line in screen if (m := re.search(r"^\s*(\S.*?)\s+(\d+)\s+(\d+)\s+(\d+)\s*$", line))]
        assert len(rows) >= 3, "\n".join(screen)
        for match in rows:
            shown_name = match.group(1).rstrip("…")
            deck = next(name for name in expected if name.startswith(shown_name))
            row = expected[deck]
            assert tuple(int(n) for n in match.groups()[1:]) == (row.new, row.learning, row.due), match.group(0)
        await pilot.press("b")
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = [strip.text for strip in app.screen._compositor.render_strips()]
        assert any("All decks" in line for line in screen) and any("Any state" in line for line in screen), "\n".join(screen)
    store.close()
