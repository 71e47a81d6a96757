"""Today's counts in three indexed queries on a plain sqlite3 connection: the shell-prompt status
(`hcflash status --short`), which must cost little more than starting Python. It counts what the
review queue counts (`store/queue.py`) under one daily limit; decks with limits of their own take
the full path instead (`prompt.py` decides)."""

from __future__ import annotations

import sqlite3
from datetime import datetime

from hcflash.store.timecodec import to_db


def active_cards(now: str) -> str:
    """The SQL condition for a card the queue may show (live, not suspended, not buried past `now`,
    a placeholder). Defined here, the lightest store module, so the review queue (`queue.py`) and
    the prompt path count by the same rule."""
    return f"c.retired_at IS NULL AND s.suspended = 0 AND (s.buried_until IS NULL OR s.buried_until <= {now})"


_ACTIVE = active_cards(":now")
_FROM = "FROM card_state s JOIN cards c ON c.id = s.card_id"


def open_read_only(path: str) -> sqlite3.Connection:
    """The store as it is (WAL readers never wait for the review session's writes); never creates one."""
    # A URI filename: only % ? and # need escaping (the same rule as sqlite's uri.html; no urllib import).
    escaped = path.replace("%", "%25").replace("?", "%3f").replace("#", "%23")
    conn = sqlite3.connect(f"file:{escaped}?mode=ro", uri=True, timeout=5)
    conn.execute("PRAGMA query_only = ON")
    return conn


def settings_values(conn: sqlite3.Connection) -> dict[str, object]:
    """Each setting's JSON value, decoded by SQLite: numbers and text come back as themselves, and an
    object or array as its JSON text (the caller only asks whether it is empty)."""
    return dict(conn.execute("SELECT key, json_extract(value, '$') FROM settings").fetchall())


def counts(
    conn: sqlite3.Connection, now: datetime, day_start: datetime, day_end: datetime, learn_until: datetime,
    new_per_day: int, reviews_per_day: int,
) -> tuple[int, int, int]:
    """(reviews due today, learning due within the learn-ahead window, new) under one daily limit."""
    params = {"now": to_db(now)}
    new_done, reviews_done = conn.execute(
        "SELECT COALESCE(SUM(json_extract(state_before, '$.state') = 'new'), 0), "
        "COALESCE(SUM(json_extract(state_before, '$.state') = 'review'), 0) FROM review_log WHERE reviewed_at >= ?",
        [to_db(day_start)],
    ).fetchone()
    review_cap, new_cap = max(0, reviews_per_day - reviews_done), max(0, new_per_day - new_done)
    review = conn.execute(
        f"SELECT COUNT(*) FROM (SELECT 1 {_FROM} WHERE s.state = 'review' AND s.due < :end AND {_ACTIVE} LIMIT :cap)",
        {**params, "end": to_db(day_end), "cap": review_cap},
    ).fetchone()[0]
    learning = sum(
        conn.execute(
            f"SELECT COUNT(*) {_FROM} WHERE s.state = :state AND s.due < :end AND {_ACTIVE}",
            {**params, "state": state, "end": to_db(learn_until)},
        ).fetchone()[0]
        for state in ("learning", "relearning")
    )
    new = conn.execute(
        f"SELECT COUNT(*) FROM (SELECT 1 {_FROM} WHERE s.state = 'new' AND {_ACTIVE} LIMIT :cap)", {**params, "cap": new_cap}
    ).fetchone()[0]
    return int(review), int(learning), int(new)
