"""How records are written in the store: card states as columns and as the JSON snapshots of the
review log (times and dates as `timecodec` writes them). Only the store reads or writes this format."""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from datetime import UTC, datetime
from json.encoder import encode_basestring_ascii  # type: ignore[attr-defined]
from typing import Any, NamedTuple

from hcflash.records import CardState
from hcflash.store.timecodec import from_db, to_db

STATE_COLUMNS = "card_id, state, step, stability, difficulty, due, last_review, reps, lapses, suspended, buried_until, leech"
_STATE_NAMES = tuple(STATE_COLUMNS.split(", "))


def _time(moment: datetime | None) -> str | None:
    return moment.isoformat(timespec="microseconds") if moment is not None and moment.tzinfo is UTC else to_db(moment)


def state_values(state: CardState) -> tuple[Any, ...]:
    """`state_row`'s values in `STATE_COLUMNS` order, without the dict: each rating writes two."""
    return (
        state.card_id, state.state, state.step, state.stability, state.difficulty, _time(state.due),
        _time(state.last_review), state.reps, state.lapses, int(state.suspended), _time(state.buried_until),
        int(state.leech),
    )


def _number(value: float | None) -> str:
    if value is None:
        return "null"
    if value.__class__ is float and not math.isfinite(value):
        return json.dumps(value)  # NaN and Infinity, as the json module writes them
    return repr(value)


def _text(value: str | None) -> str:
    return "null" if value is None else encode_basestring_ascii(value)


def state_row(state: CardState) -> dict[str, Any]:
    """A state as the `card_state` columns hold it, and as the log's JSON snapshots do."""
    return dict(zip(_STATE_NAMES, state_values(state), strict=True))


def snapshot(state: CardState) -> str:
    """The state as the review log's JSON snapshots hold it: the text `json.dumps(state_row(state))`
    gives, built without the encoder's machinery (a rating writes two; a test keeps them equal)."""
    return (
        f'{{"card_id": {state.card_id!r}, "state": {_text(state.state)}, "step": {_number(state.step)}, '
        f'"stability": {_number(state.stability)}, "difficulty": {_number(state.difficulty)}, '
        f'"due": {_text(_time(state.due))}, "last_review": {_text(_time(state.last_review))}, '
        f'"reps": {state.reps!r}, "lapses": {state.lapses!r}, "suspended": {int(state.suspended)}, '
        f'"buried_until": {_text(_time(state.buried_until))}, "leech": {int(state.leech)}}}'
    )


class EncodedRating(NamedTuple):
    """A rating's states in their stored forms, worked out before the rating is given (at the
    reveal, while the learner reads the answer), so that the rating itself only writes them."""

    before: CardState
    after: CardState
    before_snapshot: str
    after_snapshot: str
    after_values: tuple[Any, ...]


def encode_ratings(before: CardState, outcomes: dict[int, CardState]) -> dict[int, EncodedRating]:
    """`EncodedRating` for each outcome of one card state (one per rating)."""
    text = snapshot(before)
    return {rating: EncodedRating(before, after, text, snapshot(after), state_values(after)) for rating, after in outcomes.items()}


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
