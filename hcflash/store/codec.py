"""How records are written in the store: card states as columns and as the JSON snapshots of the
review log (times and dates as `timecodec` writes them). Only the store reads or writes this format."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from hcflash.records import CardState
from hcflash.store.timecodec import from_db, to_db


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


STATE_COLUMNS = "card_id, state, step, stability, difficulty, due, last_review, reps, lapses, suspended, buried_until, leech"
_STATE_NAMES = tuple(STATE_COLUMNS.split(", "))


def state_from_values(values: Sequence[Any]) -> CardState:
    """A state from the `card_state` columns in `STATE_COLUMNS` order: for reads of many rows,
    where a dict per row would cost more than the query."""
    card_id, state, step, stability, difficulty, due, last_review, reps, lapses, suspended, buried_until, leech = values
    return CardState(
        card_id=int(card_id),
        state=state,
        step=step,
        stability=stability,
        difficulty=difficulty,
        due=from_db(due),
        last_review=from_db(last_review),
        reps=int(reps),
        lapses=int(lapses),
        suspended=bool(suspended),
        buried_until=from_db(buried_until),
        leech=bool(leech),
    )


def state_from_row(row: dict[str, Any]) -> CardState:
    return state_from_values([row[name] for name in _STATE_NAMES])
