"""Settings: desired retention and daily limits, saved in the store (the same values as `hcflash config`)."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, VerticalScroll
from textual.widgets import Footer, Header, Input, Label, Static

from hcflash.errors import ConfigError
from hcflash.optimize import FitResult
from hcflash.settings import EDITABLE, apply_setting, show_setting
from hcflash.tui.base import HcflashScreen, reports_errors

FIELDS = ("desired-retention", "new-per-day", "reviews-per-day", "learning-steps", "relearning-steps", "rollover-hour")


class SettingsScreen(HcflashScreen):
    BINDINGS = [
        Binding("ctrl+s", "save", "Save"),
        Binding("ctrl+o", "optimize", "Optimize FSRS"),
        Binding("escape", "app.pop_screen", "Back"),
    ]

    def compose(self) -> ComposeResult:
        settings = self.app.service.settings
        yield Header()
        with VerticalScroll():
            with Grid(id="settings-grid"):
                for name in FIELDS:
                    yield Label(name)
                    yield Input(show_setting(settings, name), id=f"set-{name}", tooltip=EDITABLE[name][2])
            yield Static("Ctrl+S saves · values take effect for the next card", id="settings-hint")
            yield Static(self._optimizer_text(), id="optimizer")
        yield Footer()

    def _optimizer_text(self) -> str:
        settings = self.app.service.settings
        if not settings.optimized_at:
            return "FSRS parameters: defaults. Ctrl+O fits them to your own reviews."
        return (
            f"FSRS parameters: fitted to your reviews on {settings.optimized_at[:10]} "
            f"(log loss {settings.optimized_log_loss:.4f}). Ctrl+O fits them again."
        )

    def action_optimize(self) -> None:
        self.notify("Fitting FSRS to your reviews…")
        self.optimize()

    @work(thread=True, exclusive=True, exit_on_error=False)
    def optimize(self) -> None:
        # Errors (a busy store, say) go to the app's one error path.
        result = self.app.service.optimize()
        self.app.call_from_thread(self._optimized, result)

    def _optimized(self, result: FitResult) -> None:
        if result.needed:
            self.notify(f"Not enough history yet: about {result.needed} more reviews are needed.", markup=False)
        elif result.improves:
            assert result.fitted_eval and result.current_eval
            self.notify(
                f"New parameters saved: log loss {result.current_eval.log_loss:.4f} → {result.fitted_eval.log_loss:.4f}.",
                markup=False,
            )
        else:
            self.notify("The current parameters already fit your reviews best; nothing changed.")
        self.query_one("#optimizer", Static).update(self._optimizer_text())

    @reports_errors
    def action_save(self) -> None:
        service = self.app.service
        settings = service.settings
        try:
            for name in FIELDS:
                settings = apply_setting(settings, name, self.query_one(f"#set-{name}", Input).value.strip())
        except ConfigError as exc:
            self.notify(f"{name}: {exc}", severity="error", markup=False)
            return
        service.save_settings(settings)
        self.notify("Settings saved.")
