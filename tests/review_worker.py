"""A review loop for the crash and concurrency tests: rates cards until stopped, printing the log id
of each rating once rate() has returned (that is, once it is committed).

    python -m tests.review_worker DB DECKS [--shared] [--limit N] [--hold]

--hold keeps the store open after the ratings, until the process is killed.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from hcflash.service import StudyService
from hcflash.settings import Settings
from hcflash.store import Store


def main() -> None:
    db, decks = Path(sys.argv[1]), Path(sys.argv[2])
    shared = "--shared" in sys.argv
    limit = int(sys.argv[sys.argv.index("--limit") + 1]) if "--limit" in sys.argv else 10**9
    store = Store.open(db)
    service = StudyService(store, [decks])
    if not shared:
        service.save_settings(Settings(new_per_day=10_000, reviews_per_day=10_000))
    service.sync()
    for count in range(limit):
        card = service.next_card()
        if card is None:
            break
        service.preview(card.id)
        entry = service.rate(card.id, (1, 3, 4, 2)[count % 4])
        print(entry.id, flush=True)
    if "--hold" in sys.argv:
        print("holding", flush=True)
        time.sleep(3600)
    store.close()


if __name__ == "__main__":
    main()
