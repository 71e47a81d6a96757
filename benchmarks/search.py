"""Browse at typing speed: from a keystroke in the search box to the matching rows on screen.

Run headless in this process: the app is started on a store of a given size, the browser opened, and
each letter of a few searches posted as the terminal driver would post it; the clock stops when
the table shows the page the store returns for that text. The baseline is a bare Textual app whose
Input echoes the same keystroke (what typing costs before any search).
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from textual import events
from textual.app import App, ComposeResult
from textual.widgets import DataTable, Input

QUERIES = ("fact", "rule", "condition", "topic")


async def _settle(app: App, done, timeout: float = 5.0) -> float:  # noqa: ANN001 - a predicate
    start = time.perf_counter()
    while not done():
        await asyncio.sleep(0.0005)
        if time.perf_counter() - start > timeout:
            raise TimeoutError("the screen did not settle")
    return (time.perf_counter() - start) * 1000


def _press(app: App, char: str) -> None:
    app.post_message(events.Key(char, char))


async def _ours(db: Path, decks: Path) -> list[float]:
    from hcflash.service import StudyService
    from hcflash.store import Store
    from hcflash.tui.app import HcflashApp

    samples: list[float] = []
    with Store.open(db) as store:
        service = StudyService(store, [decks])
        app = HcflashApp(service)
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.press("b")
            await app.workers.wait_for_complete()
            await pilot.pause()
            screen = app.screen
            table = screen.query_one(DataTable)
            field = screen.query_one("#search", Input)
            for query in QUERIES:
                field.clear()
                field.cursor_position = 0
                await pilot.pause()
                await app.workers.wait_for_complete()
                await pilot.pause()
                for end in range(1, len(query) + 1):
                    text = query[:end]
                    expected = [row.id for row in service.browse(text, limit=screen.page)]
                    start = time.perf_counter()
                    _press(app, query[end - 1])

                    def shown(expected: list[int] = expected, text: str = text) -> bool:
                        # The key reached the search box, its search finished, and the table shows its page.
                        if field.value != text or any(w.group == "search" and not w.is_finished for w in app.workers):
                            return False
                        return table.row_count == len(expected) and (
                            not expected or str(table.coordinate_to_cell_key((0, 0)).row_key.value) == str(expected[0])
                        )

                    await _settle(app, shown)
                    samples.append((time.perf_counter() - start) * 1000)
    return samples


class _Echo(App[None]):
    def compose(self) -> ComposeResult:
        yield Input()


async def _bare() -> list[float]:
    samples = []
    app = _Echo()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        field = app.query_one(Input)
        for query in QUERIES:
            field.clear()
            field.cursor_position = 0
            await pilot.pause()
            for end in range(1, len(query) + 1):
                start = time.perf_counter()
                _press(app, query[end - 1])
                await _settle(app, lambda text=query[:end]: field.value == text)
                samples.append((time.perf_counter() - start) * 1000)
    return samples


def keystroke_samples(db: Path, decks: Path) -> list[float]:
    return asyncio.run(_ours(db, decks))


def echo_samples() -> list[float]:
    return asyncio.run(_bare())
