"""Python's cyclic garbage collector paused for bulk work that builds many objects and frees them
by reference counting anyway: starting the `hcflash` command, parsing deck files, syncing them into
the store, and exporting every card and review to Anki.

markdown-it's token lists and a sync's card records hold no reference cycles, but each full pass of
the collector walks every live object, so with the collector on, a 1,000-card file parses about 13×
slower than a 100-card one instead of 10×, and a 100,000-card sync costs 1.55× its floor instead of
1.28× (`python -m benchmarks`). Peak memory is the same either way. The collector is switched back
on (if it was on) when the work ends, however it ends.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


_held = False  # the collector is off for the command's start (`hold_for_start`)


def hold_for_start() -> None:
    """Switch the collector off while the `hcflash` command starts. Before `hcflash review` shows
    its first card, Python imports Textual, Rich, markdown-it and hcflash (hundreds of modules) and
    builds the screen: objects by the hundred thousand, all kept, and the collector walks the growing
    heap again and again for nothing: ≈20 ms of the ≈280 ms to the first card (`docs/performance.md`).
    The command turns it back on (`release_after_start`) as its own work begins; the review app, once
    its first screen is drawn."""
    global _held
    if gc.isenabled():
        gc.disable()
        _held = True


def release_after_start() -> None:
    """Turn the collector back on if `hold_for_start` turned it off; otherwise leave it as it is."""
    global _held
    if _held:
        _held = False
        gc.enable()
