"""How records are written in the store: UTC timestamps as fixed-width ISO text, card states as
columns and as the JSON snapshots of the review log. Only the store reads or writes this format."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from hcflash.records import CardState
from hcflash.timeutil import as_utc


def to_db(moment: datetime | None) -> str | None:
    """Fixed-width UTC ISO text, so that string order is time order (the due-queue index relies on it)."""
    if moment is None:
        return None
    return as_utc(moment).isoformat(timespec="microseconds")


def from_db(text: str | None) -> datetime | None:
    if text is None:
        return None
    return as_utc(datetime.fromisoformat(text))


def date_to_db(day: date | None) -> str | None:
    return day.isoformat() if day is not None else None


def date_from_db(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def state_row(state: CardState) -> dict[str, Any]:
    """A state as the `card_state` columns hold it, and as the log's JSON snapshots do."""
    return {
        "card_id": state.card_id,
        "state": state.state,
        "step": state.step,
        "stability": state.stability,
        "difficulty": state.difficulty,
        "due": to_db(state.due),
        "last_review": to_db(state.last_review),
        "reps": state.reps,
        "lapses": state.lapses,
        "suspended": int(state.suspended),
        "buried_until": to_db(state.buried_until),
        "leech": int(state.leech),
    }


def state_from_row(row: dict[str, Any]) -> CardState:
    return CardState(
        card_id=int(row["card_id"]),
        state=row["state"],
        step=row["step"],
        stability=row["stability"],
        difficulty=row["difficulty"],
        due=from_db(row["due"]),
        last_review=from_db(row["last_review"]),
        reps=int(row["reps"]),
        lapses=int(row["lapses"]),
        suspended=bool(row["suspended"]),
        buried_until=from_db(row["buried_until"]),
        leech=bool(row["leech"]),
    )
