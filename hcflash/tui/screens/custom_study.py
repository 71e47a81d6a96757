"""Custom study, Anki's "study more today": raise today's limits, review ahead, review forgotten
cards, or cram a deck or tag without changing the schedule."""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, RadioButton, RadioSet

from hcflash.text_safety import plain_text

CHOICES = (
    ("new", "Increase today's new card limit by", "10"),
    ("reviews", "Increase today's review limit by", "50"),
    ("forgotten", "Review cards forgotten in the last (days)", "1"),
    ("ahead", "Review ahead (days)", "1"),
    ("cram", "Cram: every card, the schedule is not changed (tag, optional)", ""),
)


@dataclass(frozen=True)
class CustomStudyChoice:
    kind: str
    amount: int
    tag: str | None


class CustomStudyScreen(ModalScreen[CustomStudyChoice | None]):
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, deck: str | None) -> None:
        super().__init__()
        self.deck = deck

    def compose(self) -> ComposeResult:
        with Vertical(id="custom-box", classes="dialog"):
            yield Label(f"Study more today: {plain_text(self.deck) if self.deck else 'all decks'}", classes="chart-title")
            with RadioSet(id="custom-kind"):
                for index, (_, label, _) in enumerate(CHOICES):
                    yield RadioButton(label, value=index == 0)
            with Horizontal(id="custom-amount-row"):
                yield Label("Amount or tag: ")
                yield Input(CHOICES[0][2], id="custom-amount")
            yield Label("Enter starts · Esc cancels", id="custom-hint")

    def on_radio_set_changed(self, event: RadioSet.Changed) -> None:
        self.query_one("#custom-amount", Input).value = CHOICES[event.index][2]

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self._start()

    def key_enter(self) -> None:
        self._start()

    def _start(self) -> None:
        index = self.query_one(RadioSet).pressed_index
        kind = CHOICES[max(index, 0)][0]
        value = self.query_one("#custom-amount", Input).value.strip()
        if kind == "cram":
            self.dismiss(CustomStudyChoice(kind, 0, value or None))
            return
        if not value.isdigit() or int(value) <= 0:
            self.notify("Enter a whole number greater than 0.", severity="error")
            return
        self.dismiss(CustomStudyChoice(kind, int(value), None))

    def action_cancel(self) -> None:
        self.dismiss(None)
