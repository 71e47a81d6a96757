"""Runs `hcflash anki sync` and kills itself (SIGKILL, no clean-up) when the sync reaches a phase:
the crash test's way to stop a sync at an exact point.

    python -m tests.anki_sync_worker DB DECKS COLLECTION PHASE
"""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

from hcflash.service import StudyService
from hcflash.store import Store


def main() -> None:
    db, decks, collection, phase = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]), sys.argv[4]

    def on_phase(name: str) -> None:
        print(name, flush=True)
        if name == phase:
            os.kill(os.getpid(), signal.SIGKILL)

    service = StudyService(Store.open(db), [decks])
    service.sync()
    service.anki_sync(collection, on_phase=on_phase)


if __name__ == "__main__":
    main()
