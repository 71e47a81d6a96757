"""Personal scheduling on the learner's collection: fit FSRS to their reviews (kept only if better),
refresh memory states under new parameters, and simulate what each desired retention costs.

The fitting and simulation themselves are pure functions in `optimize`; this module reads the
store and saves the outcome.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from hcflash.optimize import FitResult, RetentionOutcome
    from hcflash.service import StudyService


class ParameterFitting:
    def __init__(self, col: StudyService) -> None:
        self.col = col

    def optimize(self, dry_run: bool = False) -> FitResult:
        """Fit FSRS to this learner's reviews; keep the result only if it predicts them better."""
        from hcflash import schedule  # fsrs loads on first use: start-up stays short
        from hcflash.optimize import fit, training_items

        s = self.col.settings
        items = training_items(self.col.store.log.all().values(), s.rollover_hour, s.tz)
        result = fit(items, s.fsrs_parameters or schedule.DEFAULT_PARAMETERS, num_relearning_steps=len(s.relearning_steps))
        if result.improves and not dry_run:
            assert result.fitted is not None and result.fitted_eval is not None
            self.col.save_settings(
                replace(s, fsrs_parameters=result.fitted, optimized_at=self.col.now().isoformat(timespec="seconds"),
                        optimized_log_loss=result.fitted_eval.log_loss)
            )
            self.refresh_memory_states()
        return result

    def refresh_memory_states(self) -> None:
        """Recompute every studied card's stability and difficulty under the current parameters, as
        Anki does when parameters change; due dates stay as they are."""
        from hcflash.optimize import memory_states

        store, s = self.col.store, self.col.settings
        fresh = memory_states(s.fsrs_parameters, store.log.all(), s.rollover_hour, s.tz)
        states = store.states.all()
        store.states.save_all([
            states[card_id].with_changes(stability=stability, difficulty=difficulty)
            for card_id, (stability, difficulty) in fresh.items()
            if states[card_id].state != "new"
        ])
        self.col.review.forget_previews()

    def simulate(self) -> list[RetentionOutcome]:
        """Workload and knowledge after a year for a range of desired retentions, on this collection."""
        from hcflash import schedule  # fsrs loads on first use: start-up stays short
        from hcflash.optimize import simulate_retention

        s = self.col.settings
        return simulate_retention(
            s.fsrs_parameters or schedule.DEFAULT_PARAMETERS,
            deck_size=self.col.store.cards.count(),
            new_per_day=s.new_per_day,
            reviews_per_day=s.reviews_per_day,
            maximum_interval=s.maximum_interval,
        )
