"""Review: question, reveal, rate. Each rating is stored before the next card is asked for."""

from __future__ import annotations

import os
import re
import shlex
import subprocess

from rich.text import Text
from textual.app import ComposeResult, SuspendNotSupported
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import Footer, Rule, Static

from hcflash.records import ReviewCard
from hcflash.service import StudyService
from hcflash.text_safety import plain_text
from hcflash.tui.base import HcflashScreen, reports_errors
from hcflash.tui.widgets.card_markdown import CardMarkdown
from hcflash.tui.widgets.rating_bar import RatingBar

_LINK_RE = re.compile(r"\[([^\]]+)\]\(([^)\s]+)\)")


def source_text(source: str) -> Text:
    """A citation with Markdown links shown as their title and a dim address, not raw brackets."""
    text = Text()
    position = 0
    for match in _LINK_RE.finditer(source):
        text.append(plain_text(source[position : match.start()]))
        text.append(plain_text(match.group(1)))
        text.append(f" <{plain_text(match.group(2))}>", style="dim")
        position = match.end()
    text.append(plain_text(source[position:]))
    return text


class ReviewScreen(HcflashScreen):
    class Finished(Message):
        """Nothing more to study now: show the session summary."""

    class Leave(Message):
        """Back to the deck list."""

    BINDINGS = [
        Binding("space", "reveal", "Show answer"),
        Binding("enter", "reveal", "Show answer", show=False),
        Binding("1", "rate(1)", "Again", show=False),
        Binding("2", "rate(2)", "Hard", show=False),
        Binding("3", "rate(3)", "Good", show=False),
        Binding("4", "rate(4)", "Easy", show=False),
        Binding("u", "undo", "Undo"),
        Binding("ctrl+z", "undo", "Undo", show=False),
        Binding("minus", "bury", "Bury", show=False),
        Binding("at", "suspend", "Suspend", show=False),
        Binding("f", "flag", "Flag as wrong", show=False),
        Binding("i", "info", "Info"),
        Binding("R", "reset", "Reset card", show=False),
        Binding("e", "edit", "Edit"),
        Binding("escape", "leave", "Home", show=False),
    ]

    def __init__(self, decks: list[str] | None) -> None:
        super().__init__()
        self.decks = decks
        self.card: ReviewCard | None = None
        self.revealed = False

    def compose(self) -> ComposeResult:
        yield Static(id="counts")
        yield Static(id="notice")
        with VerticalScroll(id="card"):
            yield CardMarkdown(id="front")
            yield Rule(id="divider")
            yield CardMarkdown(id="back")
            yield Static(id="source")
        yield RatingBar(id="ratings")
        yield Footer()

    def on_mount(self) -> None:
        self.show_next()

    @property
    def service(self) -> StudyService:
        return self.app.service

    def show_next(self) -> None:
        card = self.service.next_card(self.decks)
        if card is None:
            self.post_message(self.Finished())
            return
        self.show_card(card)

    def show_card(self, card: ReviewCard) -> None:
        self.card = card
        self.revealed = False
        self.query_one("#front", CardMarkdown).show(card.front)
        self.query_one("#back", CardMarkdown).show(card.back)
        for widget_id in ("#divider", "#back", "#source"):
            self.query_one(widget_id).display = False
        notice = self.query_one("#notice", Static)
        notice.display = card.edited_since_review
        if card.edited_since_review:
            notice.update(self._change_text(self.service.card_change(card.id)))
        self.query_one("#source", Static).update(self._source_text(card))
        self.query_one(RatingBar).show_prompt()
        self._show_counts()
        self.query_one("#card", VerticalScroll).scroll_home(animate=False)

    @staticmethod
    def _change_text(diff: str | None) -> Text:
        text = Text("This card was edited since you last reviewed it. ", style="bold")
        text.append("Rate it to keep its schedule, or press R to start it over.\n", style="")
        for line in (diff or "").splitlines():
            style = "red" if line.startswith("-") else "green" if line.startswith("+") else "dim"
            text.append(plain_text(line) + "\n", style=style)
        return text

    def _source_text(self, card: ReviewCard) -> Text:
        text = Text()
        for source in card.sources:
            text.append("Source: ", style="bold")
            text.append_text(source_text(source))
            text.append("\n")
        if card.tags:
            text.append("Tags: ", style="bold")
            text.append(plain_text(", ".join(card.tags)), style="dim")
        return text

    def _show_counts(self) -> None:
        counts = self.service.queue_counts(self.decks)
        deck = plain_text(self.card.deck) if self.card else ""
        self.query_one("#counts", Static).update(
            Text.assemble(
                (f"{counts.new}", "bold blue"), " new · ",
                (f"{counts.learning}", "bold red"), " learning · ",
                (f"{counts.review}", "bold green"), " due",
                ("   " + deck, "dim"),
            )
        )

    def action_reveal(self) -> None:
        if self.card is None or self.revealed:
            return
        self.revealed = True
        for widget_id in ("#divider", "#back", "#source"):
            self.query_one(widget_id).display = True
        self.query_one("#front").display = self.card.kind == "basic"
        self.query_one(RatingBar).show_previews(self.service.preview(self.card.id))

    @reports_errors  # a failed rating leaves the card on screen, to be rated again
    def action_rate(self, rating: int) -> None:
        if self.card is None or not self.revealed:
            return
        self.service.rate(self.card.id, rating)  # committed before the next card is fetched
        self.show_next()

    @reports_errors
    def action_undo(self) -> None:
        card_id = self.service.undo()
        self.show_card(self.service.review_card(card_id))
        self.notify("Rating undone.")

    @reports_errors
    def action_bury(self) -> None:
        if self.card:
            self.service.bury(self.card.id)
            self.notify("Buried until tomorrow.")
            self.show_next()

    @reports_errors
    def action_suspend(self) -> None:
        if self.card:
            self.service.suspend(self.card.id)
            self.notify("Suspended. Unsuspend it from Browse.")
            self.show_next()

    def action_flag(self) -> None:
        if self.card is None:
            return
        from hcflash.tui.screens.flag import FlagScreen

        card_id = self.card.id
        self.app.push_screen(FlagScreen(), lambda note: self._save_flag(card_id, note))

    @reports_errors
    def _save_flag(self, card_id: int, note: str | None) -> None:
        if note is not None:
            self.service.flag(card_id, note)
            self.notify("Flagged for the deck authors: `hcflash flags` lists it.", markup=False)

    @reports_errors
    def action_reset(self) -> None:
        """Start an edited (or any) card over as new; its past reviews stay in the history."""
        if self.card:
            self.service.reset(self.card.id)
            self.notify("Card reset: it will be shown as new.")
            self.show_card(self.service.review_card(self.card.id))

    @reports_errors
    def action_info(self) -> None:
        if self.card:
            from hcflash.tui.screens.card_info import CardInfoScreen

            self.app.push_screen(CardInfoScreen(self.service.card_info(self.card.id)))

    @reports_errors
    def action_edit(self) -> None:
        """Open the card's deck file in $EDITOR at its line, then re-sync and show the card again."""
        if self.card is None:
            return
        editor = shlex.split(os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi")
        card_id = self.card.id
        command = [*editor, f"+{self.card.line}", self.card.file]
        try:
            if self.app.is_headless:  # tests, and no terminal to hand over
                subprocess.run(command, check=False)
            else:
                with self.app.suspend():
                    subprocess.run(command, check=False)
        except SuspendNotSupported:
            self.notify(f"Cannot open an editor here; the card is at {self.card.file}:{self.card.line}", markup=False)
            return
        except OSError as exc:
            self.notify(f"Could not start the editor: {exc}", severity="error", markup=False)
            return
        # On the UI thread on purpose: the card shown next must be the edited one, and a sync that
        # reads one changed file takes milliseconds. A deck error is reported and the card stays.
        report = self.service.sync()
        if not report.nothing_changed:
            self.notify(f"Synced: {report.summary()}", markup=False)
        self.show_card(self.service.review_card(card_id))

    def action_leave(self) -> None:
        self.post_message(self.Leave())
