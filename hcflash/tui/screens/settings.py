"""Settings: desired retention and daily limits, saved in the store (the same values as `hcflash config`)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, Label, Static

from hcflash.errors import ConfigError
from hcflash.settings import EDITABLE, apply_setting, show_setting

FIELDS = ("desired-retention", "new-per-day", "reviews-per-day", "learning-steps", "relearning-steps", "rollover-hour")


class SettingsScreen(Screen):
    BINDINGS = [Binding("ctrl+s", "save", "Save"), Binding("escape", "app.pop_screen", "Back")]

    def compose(self) -> ComposeResult:
        settings = self.app.service.settings  # type: ignore[attr-defined]
        yield Header()
        with VerticalScroll():
            with Grid(id="settings-grid"):
                for name in FIELDS:
                    yield Label(name)
                    yield Input(show_setting(settings, name), id=f"set-{name}", tooltip=EDITABLE[name][2])
            yield Static("Ctrl+S saves · values take effect for the next card", id="settings-hint")
        yield Footer()

    def action_save(self) -> None:
        service = self.app.service  # type: ignore[attr-defined]
        settings = service.settings
        try:
            for name in FIELDS:
                settings = apply_setting(settings, name, self.query_one(f"#set-{name}", Input).value.strip())
        except ConfigError as exc:
            self.notify(f"{name}: {exc}", severity="error", markup=False)
            return
        service.save_settings(settings)
        self.notify("Settings saved.")
