"""The TUI's one error path: a store that another process holds during bury, suspend, flag or
optimize shows a notice, changes nothing, and the review goes on."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

from hcflash.optimize import Evaluation, FitResult
from hcflash.tui.screens.review import ReviewScreen
from hcflash.tui.screens.settings import SettingsScreen


@contextmanager
def held_by_another_process(service) -> Iterator[None]:
    """Another connection holds the write lock; this store waits 50 ms instead of 5 s before giving up."""
    service.store.db.conn.execute("PRAGMA busy_timeout = 50")
    other = sqlite3.connect(service.store.path)
    other.execute("BEGIN EXCLUSIVE")
    try:
        yield
    finally:
        other.rollback()
        other.close()
        service.store.db.conn.execute("PRAGMA busy_timeout = 5000")


def notices(app) -> list[str]:
    return [str(toast.render()) for toast in app.screen.query("Toast")]


async def test_bury_suspend_and_flag_on_a_busy_store_show_a_notice_and_keep_the_card(make_app, tui_service):
    app = make_app(start_review=True)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
        screen = app.screen
        card = screen.card
        with held_by_another_process(tui_service):
            await pilot.press("minus")
            await pilot.pause()
            assert any("busy in another hcflash process" in n for n in notices(app))
            assert isinstance(app.screen, ReviewScreen) and app.screen.card.id == card.id
            await pilot.press("at")
            await pilot.pause()
            await pilot.press("f", *"wrong", "enter")
            await pilot.pause()
            assert app.screen is screen and screen.card.id == card.id
        state = tui_service.store.states.get(card.id)
        assert state.buried_until is None and not state.suspended
        assert tui_service.open_flags() == []
        # The store is free again: the same keys now work.
        await pilot.press("minus")
        await pilot.pause()
        assert tui_service.store.states.get(card.id).buried_until is not None
        assert screen.card.id != card.id


async def test_optimize_on_a_busy_store_shows_a_notice_and_keeps_the_parameters(make_app, tui_service, monkeypatch):
    better = FitResult(500, (), tuple(range(21)), Evaluation(0.4, 0.1), Evaluation(0.3, 0.1))
    monkeypatch.setattr("hcflash.optimize.fit", lambda *args, **kwargs: better)
    app = make_app()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
        await pilot.press("comma")
        await pilot.pause()
        assert isinstance(app.screen, SettingsScreen)
        with held_by_another_process(tui_service):
            await pilot.press("ctrl+o")
            await app.workers.wait_for_complete()
            await pilot.pause()
        assert any("busy in another hcflash process" in n for n in notices(app))
        assert isinstance(app.screen, SettingsScreen)
        assert tui_service.settings.fsrs_parameters == ()


async def test_the_quick_check_begins_once_the_first_card_is_on_screen(tmp_path, deck_dir, monkeypatch):
    """`hcflash review`'s quick check does not slow the start: it begins once the first card has been
    laid out on the screen, and then runs without a key pressed."""
    from hcflash.cli.app import Session
    from hcflash.service import StudyService
    from hcflash.store import Store
    from hcflash.tui.app import HcflashApp

    from ..test_backups import held_quick_check, studied_store

    db = tmp_path / "s.db"
    studied_store(db, deck_dir)
    with Store.open(db) as store:
        StudyService(store, [deck_dir]).daily_backup()  # today's backup is taken: the start checks nothing else
    app = None

    def card_on_screen():  # seen from the check's thread as it begins
        front = app.screen.query("#front") if app is not None else []
        return bool(front) and front.first().region.area > 0

    release, begun, finished = held_quick_check(monkeypatch, observe=card_on_screen)
    session = Session(db, (deck_dir,))
    service = session.service(interactive=True)
    try:
        app = HcflashApp(service, sync_report=service.sync(), start_review=True)
        async with app.run_test(size=(80, 24)) as pilot:
            for _ in range(250):
                if begun:
                    break
                await pilot.pause(0.02)
            assert begun == [True]  # begun, with the first card already laid out
            release.set()
            for _ in range(250):
                if finished:
                    break
                await pilot.pause(0.02)
            assert finished == [[]] and not service.soundness_pending
    finally:
        release.set()
        session.close()


async def test_a_store_damaged_where_no_review_reads_shows_its_first_card_and_refuses_the_rating(tmp_path, deck_dir):
    """`hcflash review` on a store its quick check fails: the check runs once the first card is on
    screen, so the card is shown, and the first rating is refused with the restore advice; nothing is
    written."""
    from hcflash.cli.app import Session
    from hcflash.service import StudyService
    from hcflash.store import Store
    from hcflash.tui.app import HcflashApp

    from ..test_backups import damage_index_page, review_count, studied_store

    db = tmp_path / "s.db"
    studied_store(db, deck_dir)
    with Store.open(db) as store:
        StudyService(store, [deck_dir]).daily_backup()  # today's backup is taken: the start checks nothing else
    before = review_count(db)
    damage_index_page(db, "idx_flags_card")
    session = Session(db, (deck_dir,))
    service = session.service(interactive=True)
    try:
        app = HcflashApp(service, sync_report=service.sync(), start_review=True)
        async with app.run_test(size=(80, 24), notifications=True) as pilot:

            def damage_notices() -> int:
                return sum("the store is damaged" in n and "hcflash restore" in n for n in notices(app))

            for _ in range(250):  # the verdict comes from the check's thread, through the app's worker
                if damage_notices():
                    break
                await pilot.pause(0.02)
            card = app.screen.card
            assert card is not None and str(app.screen.query_one("#front").source).startswith("Question")
            assert damage_notices() == 1  # said as soon as the check is done, before any key
            await pilot.press("space", "3")
            await pilot.pause()
            assert damage_notices() == 2  # and the rating is refused with it
            assert isinstance(app.screen, ReviewScreen) and app.screen.card.id == card.id  # the card stays
    finally:
        session.close()
    assert review_count(db) == before


async def test_the_collector_held_while_hcflash_starts_is_back_on_once_the_first_card_is_drawn(make_app, monkeypatch):
    """`hcflash review` starts with Python's cyclic collector off (`bulk.hold_for_start`): the first
    card is built without it, and a session of any length has it once that card is on screen."""
    import gc

    from hcflash import bulk

    at_first_card: list[bool] = []
    take = ReviewScreen._take  # where the screen takes each card it shows, the first as it is composed
    monkeypatch.setattr(ReviewScreen, "_take", lambda self, card: at_first_card.append(gc.isenabled()) or take(self, card))
    bulk.hold_for_start()
    try:
        app = make_app(start_review=True)
        async with app.run_test(size=(80, 24)) as pilot:
            while getattr(app.screen, "card", None) is None:
                await pilot.pause(0.01)
            await pilot.pause()
            assert at_first_card[0] is False
            assert gc.isenabled()
    finally:
        bulk.release_after_start()
        gc.enable()
