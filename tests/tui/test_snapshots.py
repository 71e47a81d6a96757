"""Snapshots of the main screens at 80×24 (fixed clock, fuzz off). Update with --snapshot-update."""

from __future__ import annotations


def test_home(make_app, snap_compare):
    assert snap_compare(make_app(), terminal_size=(80, 24))


def test_question(make_app, snap_compare):
    assert snap_compare(make_app(start_review=True), terminal_size=(80, 24))


def test_answer(make_app, snap_compare):
    assert snap_compare(make_app(start_review=True), press=["space"], terminal_size=(80, 24))


def test_summary(make_app, snap_compare):
    app = make_app(decks=["Interop::Rules"])
    assert snap_compare(app, press=["space", "4"], terminal_size=(80, 24))


def test_browse(make_app, snap_compare):
    assert snap_compare(make_app(), press=["b"], terminal_size=(80, 24))


def test_stats(make_app, snap_compare, tui_service, clock):
    # A week of history so the charts have something to draw.
    for day in range(7):
        card = tui_service.next_card()
        if card is None:
            break
        tui_service.rate(card.id, 1 if day == 3 else 4)
        clock.advance(days=1)

    async def open_stats_and_wait(pilot):
        await pilot.press("t")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=open_stats_and_wait)
