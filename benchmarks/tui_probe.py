"""Run in a fresh process: start the review TUI (or a bare Textual app, or one showing a Markdown
card) headless, stop when the first card (or the static line) is on screen, and print as JSON the
moment it was (`time.perf_counter()`, the system's monotonic clock, which the parent process reads
too) and the peak memory."""

from __future__ import annotations

import asyncio
import json
import resource
import sys
import time
from collections.abc import Callable
from typing import Any


async def _until_shown(app: Any, shown: Callable[[], bool]) -> float:  # noqa: ANN401 - any Textual app
    """Run `app` headless until `shown()`; the moment it was, on the monotonic clock the parent reads too."""
    async with app.run_test(size=(80, 24)) as pilot:
        while not shown():
            await pilot.pause(0.001)
        return time.perf_counter()


async def hcflash_first_card(db: str, decks: str) -> float:
    """The app alone, over an opened store and a sync (a no-op here)."""
    from pathlib import Path

    from hcflash.service import StudyService
    from hcflash.store import Store

    return await _until_first_card(StudyService(Store.open(Path(db)), [Path(decks)]))


async def review_command_first_card(db: str, decks: str) -> float:
    """`hcflash review` as the command runs it: the collector held off as the entry point does, the
    command line imported, then the checks every writing command makes before it writes (settings,
    SQLite's quick check, the day's backup, the clock), the sync, and the app."""
    from hcflash.bulk import hold_for_start

    hold_for_start()  # `hcflash.entry.main`'s first step
    from pathlib import Path

    import hcflash.cli  # noqa: F401 - what the `hcflash` entry point imports before any command
    import hcflash.cli.study  # noqa: F401 - the module `hcflash review` resolves its command from
    from hcflash.cli.app import Session

    return await _until_first_card(Session(Path(db), (Path(decks),)).service(interactive=True))  # a terminal: the TUI, not --plain


async def _until_first_card(service) -> float:  # noqa: ANN001 - a StudyService, imported late on purpose
    """Sync, start the review TUI headless and stop when its first card is on screen."""
    from hcflash.tui.app import HcflashApp

    app = HcflashApp(service, sync_report=service.sync(), start_review=True)
    return await _until_shown(app, lambda: getattr(app.screen, "card", None) is not None)


async def bare_line() -> float:
    from textual.app import App, ComposeResult
    from textual.widgets import Static

    class Bare(App[None]):
        def compose(self) -> ComposeResult:
            yield Static("one static line", id="line")

    app = Bare()
    return await _until_shown(app, lambda: bool(app.query("#line")))


async def markdown_card() -> float:
    """The floor under any card screen built from Textual's own widgets: one Markdown card (which
    brings markdown-it and Pygments) and a Footer with rating keys, and nothing of hcflash."""
    from textual.app import App, ComposeResult
    from textual.widgets import Footer, Markdown

    class Card(App[None]):
        BINDINGS = [("1", "bell", "Again"), ("2", "bell", "Hard"), ("3", "bell", "Good"), ("4", "bell", "Easy")]

        def compose(self) -> ComposeResult:
            yield Markdown("Which **CMS rule** first required a *Patient Access API*?\n\n- CMS-9115-F\n- 42 CFR 422.119", id="card")
            yield Footer()

    app = Card()
    return await _until_shown(app, lambda: bool(app.query("#card")))


def main() -> None:
    mode = sys.argv[1]
    if mode == "hcflash":
        shown_at = asyncio.run(hcflash_first_card(sys.argv[2], sys.argv[3]))
    elif mode == "command":
        shown_at = asyncio.run(review_command_first_card(sys.argv[2], sys.argv[3]))
    elif mode == "markdown":
        shown_at = asyncio.run(markdown_card())
    else:
        shown_at = asyncio.run(bare_line())
    print(json.dumps({"maxrss_kb": peak_rss_kb(), "shown_at": shown_at}))


def peak_rss_kb() -> int:
    """This process's own peak resident memory (VmHWM). getrusage's ru_maxrss is no use here: on
    Linux it keeps the parent's peak across fork and exec."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


if __name__ == "__main__":
    main()
