"""Session summary: what today's study amounted to; an empty queue is good news, not an error."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Vertical
from textual.message import Message
from textual.widgets import Footer, Header, Static

from hcflash.records import SessionSummary
from hcflash.tui.base import HcflashScreen


def summary_text(summary: SessionSummary) -> Text:
    if summary.reviewed == 0:
        text = Text("Nothing is due right now.\n\n", style="bold")
        text.append("Come back tomorrow")
    else:
        text = Text("Congratulations! You have finished for now.\n\n", style="bold")
        minutes, seconds = divmod(int(summary.seconds), 60)
        again = f"{summary.again_rate:.0%}" if summary.again_rate is not None else "-"
        text.append(f"Cards reviewed   {summary.reviewed}\n")
        text.append(f"Again rate       {again}\n")
        text.append(f"Time spent       {minutes}m {seconds:02d}s\n\n")
        text.append("Tomorrow")
    text.append(f": {summary.due_tomorrow} card(s) due.", style="")
    return text


class SummaryScreen(HcflashScreen):
    class Leave(Message):
        """Back to the deck list."""

    BINDINGS = [
        Binding("enter", "home", "Home"),
        Binding("escape", "home", "Home", show=False),
        Binding("t", "app.open_stats", "Stats"),
        Binding("q", "app.quit", "Quit"),
    ]

    def __init__(self, summary: SessionSummary) -> None:
        super().__init__()
        self.summary = summary

    def compose(self) -> ComposeResult:
        yield Header()
        with Center():
            with Vertical(id="summary-box"):
                yield Static(summary_text(self.summary), id="summary")
        yield Footer()

    def action_home(self) -> None:
        self.post_message(self.Leave())
