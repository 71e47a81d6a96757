"""Optimizing FSRS on 10,000 and 100,000 synthetic reviews: time, and log loss before and after.

The reviews come from a learner whose true parameters are not FSRS's defaults (hcflash.synthetic),
so a fit has something to find; the log loss is measured on the same items, as `hcflash optimize`
reports it.
"""

from __future__ import annotations

import statistics
import time
from collections import defaultdict
from datetime import UTC

import fsrs_rs_python as rs

from hcflash.optimize import card_items, evaluate, fit
from hcflash.synthetic import FORGETFUL_LEARNER, generate_reviews


def items_for(reviews_wanted: int, seed: int = 5) -> list[rs.FSRSItem]:
    cards = max(50, reviews_wanted // 11)  # about eleven reviews per card over 180 days
    by_card: dict[int, list] = defaultdict(list)
    for review in generate_reviews(cards, FORGETFUL_LEARNER, seed=seed, new_per_day=max(20, cards // 150)):
        by_card[review.card].append((review.at, review.rating))
    return [item for history in by_card.values() for item in card_items(history, 4, UTC)]


def optimize_rows(targets: list[int], repeat: int) -> list[str]:
    lines = ["| reviews (training items) | fit time, median | log loss, defaults | log loss, fitted |", "|---|---|---|---|"]
    for wanted in targets:
        items = items_for(wanted)
        samples = []
        result = None
        for _ in range(repeat):
            start = time.perf_counter()
            result = fit(items, rs.DEFAULT_PARAMETERS)
            samples.append((time.perf_counter() - start) * 1000)
        assert result is not None and result.fitted is not None
        before = evaluate(rs.DEFAULT_PARAMETERS, items).log_loss
        after = evaluate(result.fitted, items).log_loss
        lines.append(f"| ~{wanted:,} ({len(items):,}) | {statistics.median(samples):.0f} ms | {before:.4f} | {after:.4f} |")
    return lines
