"""Personal scheduling: fit FSRS parameters to the learner's own reviews, and show what retention costs.

Uses fsrs-rs-python (Rust, no torch). Training items are built the way FSRS expects: the reviews of
a card become one item per review that falls on a later study day than the one before it, each item
holding the card's history up to that review, with day gaps counted in study days (the learner's
rollover hour), so same-day learning steps count as short-term reviews.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo

import fsrs_rs_python as rs

from hcflash.records import ReviewEntry
from hcflash.stats import study_day

MIN_ITEMS = 400  # fewer long-term reviews than this and a fit is mostly noise (Anki asks for about as many)
RETENTIONS = (0.70, 0.75, 0.80, 0.85, 0.88, 0.90, 0.92, 0.94, 0.95, 0.97)


@dataclass(frozen=True)
class Evaluation:
    log_loss: float
    rmse: float


@dataclass(frozen=True)
class FitResult:
    items: int
    current: tuple[float, ...]
    fitted: tuple[float, ...] | None
    current_eval: Evaluation | None
    fitted_eval: Evaluation | None

    @property
    def needed(self) -> int:
        """How many more long-term reviews a fit needs (0 when there are enough)."""
        return max(0, MIN_ITEMS - self.items)

    @property
    def improves(self) -> bool:
        return bool(self.fitted_eval and self.current_eval and self.fitted_eval.log_loss < self.current_eval.log_loss)


@dataclass(frozen=True)
class RetentionOutcome:
    retention: float
    reviews_per_day: float
    minutes_per_day: float
    known_after_a_year: float


def review_steps(history: Sequence[tuple[datetime, int]], rollover_hour: int, tz: tzinfo | None) -> list[tuple[int, int]]:
    """(rating, days since the previous review) for a card's history, oldest first."""
    ordered = sorted(history)
    days = [study_day(moment, rollover_hour, tz) for moment, _ in ordered]
    return [(int(rating), 0 if i == 0 else (days[i] - days[i - 1]).days) for i, (_, rating) in enumerate(ordered)]


def item_steps(history: Sequence[tuple[datetime, int]], rollover_hour: int, tz: tzinfo | None) -> list[list[tuple[int, int]]]:
    """One training item per review on a later day than the previous one: the history up to it."""
    steps = review_steps(history, rollover_hour, tz)
    return [steps[: i + 1] for i, (_, delta) in enumerate(steps) if delta > 0]


def _item(steps: Sequence[tuple[int, int]]) -> rs.FSRSItem:
    return rs.FSRSItem([rs.FSRSReview(rating, delta) for rating, delta in steps])


def card_items(history: Sequence[tuple[datetime, int]], rollover_hour: int, tz: tzinfo | None) -> list[rs.FSRSItem]:
    """Training items for one card, from (time, rating) pairs in any order."""
    return [_item(steps) for steps in item_steps(history, rollover_hour, tz)]


def _from_first_sight(entries: Sequence[ReviewEntry]) -> list[tuple[datetime, int]] | None:
    """A card's (time, rating) history, or None if it did not start with the card's first sight
    (a history carried over from elsewhere would teach FSRS a wrong first impression)."""
    ordered = sorted(entries, key=lambda e: (e.reviewed_at, e.id))
    if not ordered or ordered[0].before.state != "new":
        return None
    return [(e.reviewed_at, e.rating) for e in ordered]


def training_items(
    histories: Iterable[Sequence[ReviewEntry]], rollover_hour: int, tz: tzinfo | None
) -> list[rs.FSRSItem]:
    items: list[rs.FSRSItem] = []
    for entries in histories:
        history = _from_first_sight(entries)
        if history:
            items.extend(card_items(history, rollover_hour, tz))
    return items


def evaluate(parameters: Sequence[float], items: Sequence[rs.FSRSItem]) -> Evaluation:
    result = rs.FSRS(list(parameters)).evaluate(list(items))
    return Evaluation(float(result.log_loss), float(result.rmse_bins))


def fit(items: Sequence[rs.FSRSItem], current: Sequence[float], num_relearning_steps: int = 1) -> FitResult:
    """Fit parameters to `items` and evaluate both sets on them; with too few items, fit nothing."""
    current = tuple(current) or tuple(rs.DEFAULT_PARAMETERS)
    if len(items) < MIN_ITEMS:
        return FitResult(len(items), current, None, None, None)
    fitted = rs.FSRS(list(current)).compute_parameters(list(items), num_relearning_steps=num_relearning_steps)
    fitted_t = tuple(float(p) for p in fitted)
    if any(math.isnan(p) for p in fitted_t):
        return FitResult(len(items), current, None, evaluate(current, items), None)
    return FitResult(len(items), current, fitted_t, evaluate(current, items), evaluate(fitted_t, items))


def simulate_retention(
    parameters: Sequence[float],
    deck_size: int,
    new_per_day: int,
    reviews_per_day: int,
    maximum_interval: int,
    retentions: Sequence[float] = RETENTIONS,
    days: int = 365,
    seed: int = 42,
) -> list[RetentionOutcome]:
    """For each desired retention: expected reviews and minutes per day, and cards known after `days`."""
    config = rs.default_simulator_config()
    config.deck_size = max(1, deck_size)
    config.learn_span = days
    config.learn_limit = new_per_day
    config.review_limit = reviews_per_day
    config.max_ivl = float(maximum_interval)
    config.max_cost_perday = 86_400.0  # the daily limits cap the work, not a time budget
    weights = list(parameters) or list(rs.DEFAULT_PARAMETERS)
    outcomes = []
    for retention in retentions:
        result = rs.simulate(weights, retention, config, seed)
        outcomes.append(
            RetentionOutcome(
                retention=retention,
                reviews_per_day=(sum(result.review_cnt_per_day) + sum(result.learn_cnt_per_day)) / days,
                minutes_per_day=sum(result.cost_per_day) / days / 60,
                known_after_a_year=float(result.memorized_cnt_per_day[-1]),
            )
        )
    return outcomes


def memory_states(
    parameters: Sequence[float],
    reviews: dict[int, list[ReviewEntry]],
    rollover_hour: int,
    tz: tzinfo | None,
) -> dict[int, tuple[float, float]]:
    """(stability, difficulty) after each card's whole history, under `parameters`."""
    model = rs.FSRS(list(parameters) or list(rs.DEFAULT_PARAMETERS))
    card_ids: list[int] = []
    items: list[rs.FSRSItem] = []
    for card_id, entries in reviews.items():
        history = _from_first_sight(entries)
        if history:
            card_ids.append(card_id)
            items.append(_item(review_steps(history, rollover_hour, tz)))
    states = model.memory_state_batch(items) if items else []
    return {card_id: (float(m.stability), float(m.difficulty)) for card_id, m in zip(card_ids, states, strict=True)}
