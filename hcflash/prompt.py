"""`hcflash status --short` and `--json`, fast enough for every shell prompt and tmux status line.

It imports only a little of the standard library and `store/quick.py`: no click, no sqlite-utils,
no dataclasses, no json, no pathlib, no sync. It reads the store as it is (run `hcflash status` or `hcflash sync` to read the
decks first) and falls back to the full `status` path when a deck has limits of its own (presets or
"study more today"), which the quick queries do not model.
"""

from __future__ import annotations

import os
import sys
from datetime import UTC, datetime, timedelta

DEFAULTS = {"new_per_day": 20, "reviews_per_day": 200, "rollover_hour": 4, "learn_ahead_minutes": 20, "timezone": ""}


def wants_quick_status(args: list[str]) -> bool:
    """`status --short` or `status --json`, with at most a `--db FILE` before `status`."""
    rest = list(args)
    if rest[:1] == ["--db"] and len(rest) >= 2:
        rest = rest[2:]
    return rest[:1] == ["status"] and len(rest) == 2 and rest[1] in ("--short", "--json")


def store_path(args: list[str]) -> str:
    """The store `hcflash` would open: `--db`, else HCFLASH_DB, else the user data folder
    (computed here for Linux as platformdirs does, to spare the prompt its import time)."""
    if args[:1] == ["--db"]:
        return os.path.expanduser(args[1])
    override = os.environ.get("HCFLASH_DB")
    if override:
        return os.path.expanduser(override)
    if sys.platform.startswith("linux"):
        base = os.environ.get("XDG_DATA_HOME", "").strip() or os.path.expanduser("~/.local/share")
        return os.path.join(base, "hcflash", "hcflash.db")
    from hcflash.locations import default_db_path

    return str(default_db_path())


def quick_status(args: list[str], now: datetime | None = None) -> int | None:
    """Print the one-line (or JSON) status and return the exit code; None when the full path must answer."""
    from hcflash.store.quick import counts, open_read_only, settings_values
    from hcflash.timeutil import next_study_day_start, study_day_start

    path = os.path.abspath(store_path(args))
    if not os.path.isfile(path):
        print("hcflash: no store yet (run `hcflash` once)", file=sys.stderr)
        return 1
    conn = open_read_only(path)
    try:
        values = {**DEFAULTS, **settings_values(conn)}
        if any(values.get(key) not in (None, "{}") for key in ("deck_presets", "extra_new_today", "extra_reviews_today")):
            return None
        tz = None
        if values["timezone"]:
            from zoneinfo import ZoneInfo

            tz = ZoneInfo(str(values["timezone"]))
        now = now or datetime.now(UTC)
        start = study_day_start(now, int(values["rollover_hour"]), tz)
        end = next_study_day_start(now, int(values["rollover_hour"]), tz)
        learn_until = now + timedelta(minutes=int(values["learn_ahead_minutes"]))
        review, learning, new = counts(
            conn, now, start, end, learn_until, int(values["new_per_day"]), int(values["reviews_per_day"])
        )
    finally:
        conn.close()
    print(status_line(review, learning, new, as_json=args[-1] == "--json"))
    return 0


def status_line(review: int, learning: int, new: int, as_json: bool) -> str:
    """The one line `status --short` (or `--json`) prints, on the quick path and the full one alike."""
    if as_json:  # written by hand: importing json would cost the prompt more than the counts
        return f'{{"review": {review}, "learning": {learning}, "new": {new}, "total": {review + learning + new}}}'
    return f"{review} due · {learning} learning · {new} new" if review + learning + new else "nothing due"
