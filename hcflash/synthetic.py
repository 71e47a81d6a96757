"""Synthetic learners: review histories generated from known FSRS parameters.

Used by the tests (does fitting recover a learner who is not the default?) and by the benchmarks
(stores of realistic size). Deterministic for a given seed.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import fsrs

# A learner who forgets faster than FSRS's defaults assume and whose memory decays differently.
FORGETFUL_LEARNER = (
    0.1, 0.6, 1.2, 4.0, 7.0, 0.6, 2.0, 0.05, 1.2, 0.2, 0.9, 2.0, 0.08, 0.3, 2.0, 0.3, 2.5, 0.6, 0.2, 0.1, 0.4,
)


@dataclass(frozen=True)
class SyntheticReview:
    card: int
    at: datetime
    rating: int
    state_before: str


def generate_reviews(
    cards: int,
    parameters: tuple[float, ...] = FORGETFUL_LEARNER,
    days: int = 180,
    new_per_day: int = 20,
    seed: int = 7,
    start: datetime = datetime(2025, 1, 1, 14, 0, tzinfo=UTC),
) -> list[SyntheticReview]:
    """Each card is introduced on its day and reviewed when due until `days` have passed; recall
    succeeds with the retrievability the true parameters give, and a success is rated Hard, Good or
    Easy in Anki's typical proportions."""
    rng = random.Random(seed)
    scheduler = fsrs.Scheduler(parameters=parameters, enable_fuzzing=False)
    end = start + timedelta(days=days)
    reviews: list[SyntheticReview] = []
    for index in range(cards):
        card = fsrs.Card(card_id=index + 1, due=start + timedelta(days=index // new_per_day))
        state = "new"
        while card.due < end:
            now = card.due
            if state == "new":
                rating = rng.choices((1, 2, 3, 4), weights=(24, 9, 50, 17))[0]
            else:
                recalled = rng.random() < scheduler.get_card_retrievability(card, now)
                rating = rng.choices((2, 3, 4), weights=(22, 63, 15))[0] if recalled else 1
            reviews.append(SyntheticReview(index + 1, now, rating, state))
            card, _ = scheduler.review_card(card, fsrs.Rating(rating), now)
            state = {fsrs.State.Learning: "learning", fsrs.State.Review: "review", fsrs.State.Relearning: "relearning"}[card.state]
    return reviews
