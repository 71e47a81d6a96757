"""SQLite's quick check of a store, run beside a review session instead of before it.

The check reads every page of the store: ≈45–60 ms at 10,000 cards, every time a review opens. A
review's first write comes seconds later, after the learner has read the first card, so the check
runs on a connection and a thread of its own, and the store's first write waits for its verdict
(`StoreDB.gate`): nothing is written to a damaged store, as before, and no learner waits for the
check to see a card. It starts when its verdict is first asked for: the TUI asks once its first
card is on screen, because a check running during the start slowed it, though on a processor of
its own (`hcflash review` ≈14 ms later on the two-processor development machine); a write asks
before it writes. SQLite releases the GIL while it reads, so the check runs beside the session's Python.
"""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

from hcflash.store.base import StoreDamaged, StoreDB, damage_advice, raise_store_failure, readonly_uri, store_failure

CHECK_WAIT_SECONDS = 5.0  # the check's connection waits this long for a lock (it reads; only a restore locks it out)


def quick_check(conn: sqlite3.Connection, path: Path) -> list[str]:
    """SQLite's quick check (structure, without comparing every index entry); empty when sound. A
    store too damaged to be checked says so as a problem; any other fault is the learner's StoreError."""
    try:
        return [r[0] for r in conn.execute("PRAGMA quick_check").fetchall() if r[0] != "ok"]
    except sqlite3.Error as exc:
        if isinstance(store_failure(path, exc), StoreDamaged):
            return [str(exc)]
        raise_store_failure(path, exc)
        raise


def refusal(path: Path, problems: list[str]) -> StoreDamaged:
    """What a write to a store that failed its quick check is told: the damage and the backup to restore."""
    return StoreDamaged(f"{path}: the store is damaged ({problems[0]}); nothing was written. {damage_advice(path)}")


class CheckBeforeWrites:
    """A quick check on its own thread, guarding `db`'s writes until it has passed; it starts when
    its verdict is first asked for (`wait`)."""

    def __init__(self, db: StoreDB, path: Path) -> None:
        self._db = db
        self._path = path
        self._problems: list[str] = []
        self._failure: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="hcflash-quick-check", daemon=True)
        self._starting = threading.Lock()  # the TUI's worker and a write may ask at once
        db.gate = self.wait

    def _run(self) -> None:
        try:
            conn = sqlite3.connect(readonly_uri(self._path), uri=True, timeout=CHECK_WAIT_SECONDS)
            try:
                self._problems = quick_check(conn, self._path)
            finally:
                conn.close()
        except BaseException as exc:  # handed to the thread that writes, which reports it
            self._failure = exc

    def wait(self) -> None:
        """The gate: start the check if it has not started, block until it is done, then let writes
        through for good, or refuse this one (and every later one) on a damaged store."""
        with self._starting:
            if self._thread.ident is None:
                self._thread.start()
        self._thread.join()
        if self._failure is not None:
            raise_store_failure(self._path, self._failure)
            raise self._failure
        if self._problems:
            raise refusal(self._path, self._problems)
        if self._db.gate == self.wait:
            self._db.gate = None
