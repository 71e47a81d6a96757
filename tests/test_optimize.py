"""Personal scheduling: training items, a fit that beats the defaults on held-out reviews, simulation."""

from __future__ import annotations

import json
import random
from collections import defaultdict
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import fsrs_rs_python as rs
import pytest

from hcflash import schedule
from hcflash.optimize import MIN_ITEMS, card_items, evaluate, fit, item_steps
from hcflash.records import CardState, ReviewEntry
from hcflash.synthetic import FORGETFUL_LEARNER, generate_reviews

from .conftest import basic_cards, write_deck

NY = ZoneInfo("America/New_York")


def utc(*args):
    return datetime(*args, tzinfo=UTC)


def test_items_count_day_gaps_in_study_days_and_skip_same_day_reviews():
    history = [
        (utc(2026, 3, 2, 15, 0), 1),  # 10:00 New York, day 0
        (utc(2026, 3, 2, 15, 1), 3),  # same day: short-term step, no item
        (utc(2026, 3, 3, 7, 30), 3),  # 02:30 New York: still day 0 with a 4 a.m. rollover
        (utc(2026, 3, 4, 15, 0), 3),  # day 2
        (utc(2026, 3, 9, 15, 0), 2),  # day 7
    ]
    assert item_steps(history, rollover_hour=4, tz=NY) == [
        [(1, 0), (3, 0), (3, 0), (3, 2)],
        [(1, 0), (3, 0), (3, 0), (3, 2), (2, 5)],
    ]


def split_histories(reviews, holdout=0.2, seed=1):
    by_card = defaultdict(list)
    for r in reviews:
        by_card[r.card].append((r.at, r.rating))
    cards = sorted(by_card)
    random.Random(seed).shuffle(cards)
    cut = int(len(cards) * (1 - holdout))
    train = [i for c in cards[:cut] for i in card_items(by_card[c], 4, UTC)]
    test = [i for c in cards[cut:] for i in card_items(by_card[c], 4, UTC)]
    return train, test


def test_fitted_parameters_predict_held_out_reviews_better_than_the_defaults():
    train, test = split_histories(generate_reviews(600, FORGETFUL_LEARNER, seed=11))
    result = fit(train, rs.DEFAULT_PARAMETERS)
    assert result.fitted is not None and result.improves
    default_loss = evaluate(rs.DEFAULT_PARAMETERS, test).log_loss
    fitted_loss = evaluate(result.fitted, test).log_loss
    assert fitted_loss < default_loss


def test_too_little_history_fits_nothing_and_says_how_much_more():
    train, _ = split_histories(generate_reviews(10, seed=3))
    result = fit(train, rs.DEFAULT_PARAMETERS)
    assert result.fitted is None and not result.improves
    assert result.needed == MIN_ITEMS - len(train) > 0


def load_synthetic_history(service, deck_dir, cards=400):
    """A store whose review log is a synthetic learner's, written as hcflash would have."""
    write_deck(deck_dir, "a.md", basic_cards("a", cards))
    service.sync()
    ids = {i + 1: service.store.cards.by_key(f"a-q{i + 1}").id for i in range(cards)}
    scheduler = schedule.make_scheduler(service.settings)
    states = {cid: CardState(card_id=cid) for cid in ids.values()}
    entries = []
    for review in generate_reviews(cards, FORGETFUL_LEARNER, days=200, seed=5):
        cid = ids[review.card]
        after = schedule.review(scheduler, states[cid], review.rating, review.at, service.settings)
        entries.append(ReviewEntry(0, cid, review.rating, review.at, 8000, states[cid], after))
        states[cid] = after
    service.store.log.merge(entries, list(states.values()))
    return ids


def test_optimize_keeps_better_parameters_and_the_scheduler_uses_them(service, deck_dir):
    ids = load_synthetic_history(service, deck_dir)
    dry = service.optimize(dry_run=True)
    assert dry.improves and service.settings.fsrs_parameters == ()

    some_card = next(iter(ids.values()))
    stability_before = service.store.states.get(some_card).stability
    result = service.optimize()
    assert result.improves
    assert service.settings.fsrs_parameters == result.fitted
    assert service.settings.optimized_at
    assert schedule.make_scheduler(service.settings).parameters == result.fitted
    assert service.store.states.get(some_card).stability != pytest.approx(stability_before)

    again = service.optimize()  # nothing better than itself: kept as is
    assert service.settings.fsrs_parameters == result.fitted
    assert again.current == result.fitted


def test_simulation_shows_higher_retention_costs_more_reviews(service, deck_dir):
    write_deck(deck_dir, "a.md", basic_cards("a", 300))
    service.sync()
    outcomes = {round(o.retention, 2): o for o in service.simulate()}
    assert outcomes[0.97].reviews_per_day > outcomes[0.90].reviews_per_day > outcomes[0.70].reviews_per_day
    assert outcomes[0.97].known_after_a_year > outcomes[0.70].known_after_a_year
    assert all(0 < o.known_after_a_year <= 300 for o in outcomes.values())


def test_stats_json_has_the_numbers_behind_the_screen(tmp_path, deck_dir):
    from click.testing import CliRunner

    from hcflash.cli import main

    write_deck(deck_dir, "a.md", basic_cards("a", 3))
    db = str(tmp_path / "s.db")
    runner = CliRunner()
    runner.invoke(main, ["--db", db, "--decks", str(deck_dir), "review", "--plain"], input="\n4\nq\n")
    result = runner.invoke(main, ["--db", db, "--decks", str(deck_dir), "stats", "--json"])
    data = json.loads(result.output)
    assert data["cards_by_state"] == {"new": 2, "review": 1}
    assert sum(d["reviews"] for d in data["last_30_days"]) == 1
    assert len(data["due_forecast_30d"]) == 30 and sum(data["due_forecast_30d"]) == 1
    assert data["desired_retention"] == 0.9
