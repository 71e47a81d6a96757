"""Settings: desired retention, daily limits, learning steps and sibling burying, saved in the store
(the same values as `hcflash config`), and the deck-option presets of each deck (`hcflash preset`).
Escape with unsaved edits asks before dropping them."""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, VerticalScroll
from textual.widgets import Footer, Header, Input, Label, Select, Static

from hcflash.errors import ConfigError
from hcflash.optimize import FitResult
from hcflash.settings import DEFAULT_PRESET, EDITABLE, Settings, apply_setting, set_preset, show_setting, use_preset
from hcflash.text_safety import plain_text
from hcflash.tui.base import HcflashScreen, reports_errors

FIELDS = (
    "desired-retention", "new-per-day", "reviews-per-day", "learning-steps", "relearning-steps", "rollover-hour",
    "bury-new", "bury-reviews", "bury-interday",
)


class SettingsScreen(HcflashScreen):
    BINDINGS = [
        Binding("ctrl+s", "save", "Save"),
        Binding("ctrl+o", "optimize", "Optimize FSRS"),
        Binding("escape", "back", "Back"),
    ]

    def compose(self) -> ComposeResult:
        settings = self.app.service.settings
        yield Header()
        with VerticalScroll():
            with Grid(id="settings-grid"):
                for name in FIELDS:
                    yield Label(name)
                    yield Input(show_setting(settings, name), id=f"set-{name}", tooltip=EDITABLE[name][2])
            yield Label("This deck's daily limits (Anki's per-deck limits; Default follows the limits above)", classes="chart-title")
            with Grid(id="deck-limits-grid"):
                yield Label("deck")
                yield Select([(Text(plain_text(d.name)), d.name) for d in self.app.service.deck_counts()], prompt="choose a deck",
                             id="limit-deck")
                yield Label("new/day")
                yield Input("", id="limit-new", placeholder="Default")
                yield Label("reviews/day")
                yield Input("", id="limit-reviews", placeholder="Default")
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

    def _deck(self) -> str | None:
        value = self.query_one("#limit-deck", Select).value
        return None if value is Select.NULL else str(value)

    def _deck_limit_texts(self, deck: str | None) -> tuple[str, str]:
        settings = self.app.service.settings
        if deck is None or deck not in settings.deck_presets:
            return "", ""
        new, reviews = settings.deck_limits(deck)
        return str(new), str(reviews)

    def on_select_changed(self, event: Select.Changed) -> None:
        new, reviews = self._deck_limit_texts(self._deck())
        self.query_one("#limit-new", Input).value = new
        self.query_one("#limit-reviews", Input).value = reviews

    def _edited(self) -> bool:
        settings = self.app.service.settings
        fields_changed = any(self.query_one(f"#set-{name}", Input).value.strip() != show_setting(settings, name) for name in FIELDS)
        limits = (self.query_one("#limit-new", Input).value.strip(), self.query_one("#limit-reviews", Input).value.strip())
        return fields_changed or limits != self._deck_limit_texts(self._deck())

    def action_back(self) -> None:
        if not self._edited():
            self.app.pop_screen()
            return
        from hcflash.tui.screens.confirm import ConfirmScreen

        def answer(discard: bool | None) -> None:
            if discard:
                self.app.pop_screen()

        self.app.push_screen(ConfirmScreen("Discard the settings you changed but did not save (Ctrl+S)?"), answer)

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
        deck = self._deck()
        if deck is not None:
            settings = self._with_deck_limits(settings, deck)
            if settings is None:
                return
        service.save_settings(settings)
        self.notify("Settings saved.")

    def _with_deck_limits(self, settings: Settings, deck: str) -> Settings | None:
        """The deck's own limits as a preset named after it (Anki's "this deck"); both empty: Default."""
        texts = (self.query_one("#limit-new", Input).value.strip(), self.query_one("#limit-reviews", Input).value.strip())
        if texts == ("", ""):
            return use_preset(settings, deck, DEFAULT_PRESET)
        try:
            new, reviews = (int(t) if t else None for t in texts)
            return use_preset(set_preset(settings, deck, new, reviews), deck, deck)
        except (ValueError, ConfigError) as exc:
            self.notify(f"deck limits: {exc}", severity="error", markup=False)
            return None
