"""Session summary: what today's study amounted to. An empty queue is good news, not an error: it
says where cards are still waiting, what today's limits held back, and offers "study more"; `u`
takes back the last answer, as everywhere in a session."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Vertical
from textual.message import Message
from textual.widgets import Footer, Header, Static

from hcflash.records import DeckCounts, SessionSummary
from hcflash.text_safety import plain_text
from hcflash.tui.base import HcflashScreen, reports_errors


def summary_text(
    summary: SessionSummary, waiting: list[DeckCounts] | None = None, held: tuple[int, int] = (0, 0), custom: str | None = None,
) -> Text:
    if summary.reviewed == 0:
        text = Text("Nothing is due right now.\n\n", style="bold")
    else:
        title = f"{custom} finished." if custom else "Congratulations! You have finished for now."
        text = Text(title + "\n\n", style="bold")
        minutes, seconds = divmod(int(summary.seconds), 60)
        again = f"{summary.again_rate:.0%}" if summary.again_rate is not None else "-"
        text.append(f"Cards reviewed   {summary.reviewed}\n")
        text.append(f"Again rate       {again}\n")
        text.append(f"Time spent       {minutes}m {seconds:02d}s\n\n")
    held_new, held_reviews = held
    if held_new or held_reviews:
        parts = [f"{n} {what}" for n, what in ((held_new, "new"), (held_reviews, "review")) if n]
        text.append(f"Today's limits hold back {' and '.join(parts)} card(s): c studies more.\n")
    if waiting:
        text.append("Still to study in other decks:\n")
        for deck in waiting[:5]:
            text.append(f"  {plain_text(deck.name.split('::')[-1])}", style="bold")
            text.append(f"  {deck.new} new · {deck.learning} learning · {deck.due} due\n")
        if len(waiting) > 5:
            text.append(f"  … and {len(waiting) - 5} more\n")
    text.append(f"\nTomorrow: {summary.due_tomorrow} card(s) due.")
    return text


class SummaryScreen(HcflashScreen):
    class Leave(Message):
        """Back to the deck list."""

    class StudyAgain(Message):
        """Back into review: after an undo (showing that card) or after choosing to study more."""

        def __init__(self, decks: list[str] | None, first_card: int | None = None) -> None:
            super().__init__()
            self.decks = decks
            self.first_card = first_card

    BINDINGS = [
        Binding("enter", "home", "Decks"),
        Binding("escape", "home", "Decks", show=False),
        Binding("u", "undo", "Undo"),
        Binding("ctrl+z", "undo", "Undo", show=False),
        Binding("c", "study_more", "Study more"),
        Binding("t", "app.open_stats", "Stats"),
        Binding("q", "app.quit", "Quit"),
    ]

    def __init__(self, summary: SessionSummary, decks: list[str] | None = None) -> None:
        super().__init__()
        self.summary = summary
        self.decks = decks

    def compose(self) -> ComposeResult:
        service = self.app.service
        custom = service.review.custom
        waiting = service.decks.waiting_elsewhere(self.decks)
        held = service.decks.held_back(self.decks) if custom is None else (0, 0)
        yield Header()
        with Center():
            with Vertical(id="summary-box"):
                yield Static(summary_text(self.summary, waiting, held, custom.title if custom else None), id="summary")
        yield Footer()

    def on_mount(self) -> None:
        self.app.service.review.end_custom()

    def action_home(self) -> None:
        self.post_message(self.Leave())

    @reports_errors
    def action_undo(self) -> None:
        step = self.app.service.review.undo()
        self.notify(step.label)
        self.post_message(self.StudyAgain(self.decks, first_card=step.card_id))

    def action_study_more(self) -> None:
        from hcflash.tui.screens.custom_study import CustomStudyScreen

        deck = self.decks[0] if self.decks and len(self.decks) == 1 else None
        self.app.push_screen(CustomStudyScreen(deck), lambda choice: self._study_more(deck, choice))

    @reports_errors
    def _study_more(self, deck: str | None, choice) -> None:  # noqa: ANN001 - CustomStudyChoice | None
        if choice is None:
            return
        found = self.app.service.study_more(deck, choice.kind, choice.amount, choice.tag)
        if not found:
            self.app.service.review.end_custom()
            self.notify("No cards match that.", severity="warning")
            return
        self.post_message(self.StudyAgain([deck] if deck else None))
