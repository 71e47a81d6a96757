"""Card info: where the card comes from, its memory state and every review, like Anki's."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from hcflash.records import RATING_NAMES, CardInfo
from hcflash.text_safety import plain_text


def info_renderable(info: CardInfo) -> Table:
    card, state = info.card, info.state
    facts = Table.grid(padding=(0, 2))
    facts.add_column(style="bold")
    facts.add_column()

    def row(label: str, value: str) -> None:
        facts.add_row(label, Text(plain_text(value)))

    row("Card", card.key)
    row("Deck", card.deck)
    row("File", f"{card.file}:{card.line}")
    row("State", state.state + (" (suspended)" if state.suspended else "") + (" (leech)" if state.leech else ""))
    row("Due", f"{state.due:%Y-%m-%d %H:%M} UTC" if state.due and state.state != "new" else "-")
    row("Stability", f"{state.stability:.2f} days" if state.stability else "-")
    row("Difficulty", f"{state.difficulty:.2f} / 10" if state.difficulty else "-")
    row("Retrievability", f"{info.retrievability:.0%}" if info.retrievability is not None else "-")
    row("Reviews / lapses", f"{state.reps} / {state.lapses}")
    row("Added", f"{card.added_at:%Y-%m-%d}")
    if card.content_changed_at:
        row("Last edited", f"{card.content_changed_at:%Y-%m-%d}")
    history = Table(title="Review history", expand=True)
    for column in ("When (UTC)", "Rating", "Interval", "Time"):
        history.add_column(column)
    for entry in info.history:
        interval = "-"
        if entry.after.due:
            days = (entry.after.due - entry.reviewed_at).total_seconds() / 86400
            interval = f"{days:.1f}d" if days >= 1 else f"{days * 1440:.0f}m"
        seconds = f"{entry.duration_ms / 1000:.0f}s" if entry.duration_ms is not None else "-"
        history.add_row(f"{entry.reviewed_at:%Y-%m-%d %H:%M}", RATING_NAMES[entry.rating], interval, seconds)
    outer = Table.grid()
    outer.add_row(facts)
    outer.add_row(history if info.history else Text("No reviews yet.", style="dim"))
    return outer


class CardInfoScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape", "close", "Close"), Binding("i", "close", "Close", show=False)]

    def __init__(self, info: CardInfo) -> None:
        super().__init__()
        self.info = info

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="info-box", classes="dialog"):
            yield Static(info_renderable(self.info))

    def action_close(self) -> None:
        self.dismiss(None)
