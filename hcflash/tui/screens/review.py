"""Review: question, reveal, rate. Each rating is stored before the next card is asked for."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult, SuspendNotSupported
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Footer, Rule, Static

from hcflash.locations import bundled_decks_dir
from hcflash.records import ReviewCard
from hcflash.service import StudyService
from hcflash.text_safety import plain_text
from hcflash.tui.base import HcflashScreen, reports_errors
from hcflash.tui.widgets.card_markdown import CardMarkdown
from hcflash.tui.widgets.rating_bar import RatingBar

if TYPE_CHECKING:
    from hcflash.records import ContentChange

_LINK_RE = re.compile(r"\[([^\]]+)\]\(([^)\s]+)\)")


def is_bundled(file: str) -> bool:
    """Is this deck file one of those installed with hcflash?"""
    try:
        Path(file).resolve().relative_to(bundled_decks_dir().resolve())
    except ValueError:
        return False
    return True


def long_date(day: date) -> str:
    """November 20, 2026 (strftime's no-padding flag differs between platforms)."""
    return f"{day:%B} {day.day}, {day.year}"


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


def _shown(widget: Widget, shown: bool) -> Widget:
    """A widget as composed, displayed or not: set before mounting, it costs no restyle."""
    widget.display = shown
    return widget


def _front_classes(card: ReviewCard | None) -> str:
    return "cloze" if card is not None and card.kind == "cloze" else ""


class ReviewScreen(HcflashScreen):
    """One card at a time: the question, Space for the answer, 1-4 to rate (Space or Enter rate Good
    on the answer side, as in Anki). Cloze cards fill the blank in place; basic and reversed cards
    show the answer under a rule."""

    class Finished(Message):
        """Nothing more to study now: show the session summary."""

        def __init__(self, decks: list[str] | None) -> None:
            super().__init__()
            self.decks = decks

    class Leave(Message):
        """Back to the deck list."""

    BINDINGS = [
        Binding("space", "reveal", "Show answer"),
        Binding("enter", "reveal", "Show answer", show=False),
        Binding("space", "rate(3)", "Good", show=False),
        Binding("enter", "rate(3)", "Good", show=False),
        Binding("1", "rate(1)", "Again"),
        Binding("2", "rate(2)", "Hard"),
        Binding("3", "rate(3)", "Good"),
        Binding("4", "rate(4)", "Easy"),
        Binding("u", "undo", "Undo"),
        Binding("ctrl+z", "undo", "Undo", show=False),
        Binding("minus", "bury", "Bury", show=False),
        Binding("at", "suspend", "Suspend", show=False),
        Binding("f", "flag", "Flag as wrong", show=False),
        Binding("i", "info", "Info", show=False),
        Binding("R", "reset", "Reset card", show=False),
        Binding("e", "edit", "Edit", show=False),
        Binding("q", "leave", "Decks"),
        Binding("escape", "leave", "Decks", show=False),
    ]

    def __init__(self, decks: list[str] | None, first_card: int | None = None, status: str | None = None) -> None:
        super().__init__()
        self.decks = decks
        self.first_card = first_card
        self.status = status  # a line shown above the first card (the start-up sync), then dropped
        self.card: ReviewCard | None = None
        self.revealed = False
        self._change: ContentChange | None = None

    def compose(self) -> ComposeResult:
        # The first card is read here and the widgets are built holding it, so that the first frame
        # is the card: filling them after mounting restyles and lays the screen out again, and the
        # Footer is composed once more, before the learner sees anything.
        card = self.service.review_card(self.first_card) if self.first_card is not None else self.service.next_card(self.decks)
        self._take(card)
        notice = self._notice_text()
        yield Static(self._counts_line(), id="counts")
        yield _shown(Static(notice, id="notice"), bool(notice.plain))
        with VerticalScroll(id="card"):
            yield CardMarkdown(card.front if card else "", id="front", classes=_front_classes(card))
            yield _shown(Rule(id="divider"), False)  # the back is rendered at the reveal, not before
            yield _shown(CardMarkdown(id="back"), False)
            yield _shown(Static(id="source"), False)
        yield RatingBar(RatingBar.PROMPT, id="ratings")
        yield Footer()

    def on_mount(self) -> None:
        if self.card is None:
            self.post_message(self.Finished(self.decks))

    @property
    def service(self) -> StudyService:
        return self.app.service

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Before the reveal Space shows the answer; after it, Space and 1-4 rate."""
        if action == "reveal":
            return not self.revealed
        if action == "rate":
            return self.revealed
        return True

    def show_next(self) -> None:
        card = self.service.next_card(self.decks)
        if card is None:
            self.post_message(self.Finished(self.decks))
            return
        self.show_card(card)

    def show_card(self, card: ReviewCard) -> None:
        self._take(card)
        front = self.query_one("#front", CardMarkdown)
        front.show(card.front)
        front.display = True
        front.set_class(card.kind == "cloze", "cloze")
        # The back is rendered at the reveal, not before: half the Markdown work per card.
        for widget_id in ("#divider", "#back", "#source"):
            self.query_one(widget_id).display = False
        self._show_notice()
        self.query_one(RatingBar).show_prompt()
        self._show_counts()
        self.query_one("#card", VerticalScroll).scroll_home(animate=False)
        self.refresh_bindings()

    def _take(self, card: ReviewCard | None) -> None:
        """Make `card` the one on screen, on its question side."""
        self.card = card
        self.revealed = False
        edited = card is not None and card.edited_since_review
        self._change = self.service.details.content_change(card.id) if edited else None

    def _show_notice(self) -> None:
        notice = self.query_one("#notice", Static)
        text = self._notice_text()
        notice.display = bool(text.plain)
        notice.update(text)

    def _notice_text(self) -> Text:
        """What the learner should know about this card: the start-up sync line, that the rule is
        upcoming, and that the card changed since they last studied it: a fact that changed (its
        reason and the old and new answer after the reveal) or an edit (the question's diff before
        the reveal, the answer's after it)."""
        card = self.card
        text = Text()
        if self.status is not None:
            text.append(plain_text(self.status) + "\n", style="dim")
        if card is not None and card.upcoming is not None:
            text.append(f"Upcoming: this takes effect on {long_date(card.upcoming)}.\n", style="bold")
        if self._change is not None and card is not None:
            fact = card.fact_change
            if fact is not None:
                text.append(f"A fact on this card changed on {long_date(fact.on)}", style="bold")
                text.append(f": {plain_text(fact.reason)}.\n" if self.revealed else ". Answer from what holds now.\n", style="")
            else:
                text.append("This card was edited since you last reviewed it. ", style="bold")
                if self.revealed:
                    text.append("Rate it to keep its schedule, or press R to start it over.\n", style="")
                elif self._change.answer:
                    text.append("The answer changed too: see after the reveal.\n", style="")
                else:
                    text.append("\n")
            diff = self._change.answer if self.revealed else self._change.question
            for line in diff.splitlines():
                style = "red" if line.startswith("-") else "green" if line.startswith("+") else "dim"
                text.append(plain_text(line) + "\n", style=style)
        text.rstrip()
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
        self.query_one("#counts", Static).update(self._counts_line())

    def _counts_line(self) -> Text:
        counts = self.service.queue_counts(self.decks)
        deck = plain_text(self.card.deck) if self.card else ""
        custom = self.service.review.custom
        if custom is not None:
            line = Text.assemble((f"{counts.custom}", "bold magenta"), f" left · {custom.title}", ("   " + deck, "dim"))
        else:
            line = Text.assemble(
                (f"{counts.new}", "bold blue"), " new · ",
                (f"{counts.learning}", "bold red"), " learning · ",
                (f"{counts.review}", "bold green"), " due",
                ("   " + deck, "dim"),
            )
        return line

    def action_reveal(self) -> None:
        if self.card is None or self.revealed:
            return
        self.revealed = True
        self.query_one("#source", Static).update(self._source_text(self.card))
        if self.card.kind == "cloze":
            # The sentence stays where it was, with the blank filled in (Anki's cloze answer).
            self.query_one("#front", CardMarkdown).show(self.card.back)
            self.query_one("#source").display = True
        else:
            self.query_one("#back", CardMarkdown).show(self.card.back)
            for widget_id in ("#divider", "#back", "#source"):
                self.query_one(widget_id).display = True
        self._show_notice()
        custom = self.service.review.custom
        if custom is not None and not custom.reschedules:
            self.query_one(RatingBar).show_cram()
        else:
            self.query_one(RatingBar).show_previews(self.service.preview(self.card.id))
        self.refresh_bindings()
        # The store's upkeep (its log grown, a checkpoint every couple of hundred ratings) runs
        # while the learner reads the answer, on a thread of its own, so that no rating waits for it.
        job = self.service.upkeep()
        if job is not None:
            self.run_worker(job, thread=True, group="upkeep", exit_on_error=False)

    @reports_errors  # a failed rating leaves the card on screen, to be rated again
    def action_rate(self, rating: int) -> None:
        if self.card is None or not self.revealed:
            return
        self.service.rate(self.card.id, rating)  # committed before the next card is fetched
        self.status = None
        self.show_next()

    @reports_errors
    def action_undo(self) -> None:
        step = self.service.review.undo()
        self.show_card(self.service.review_card(step.card_id))
        self.notify(step.label)

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
        if is_bundled(self.card.file):
            self.notify(
                "This card is in the decks that came with hcflash: an edit there is lost on the next upgrade and cannot "
                "become a pull request. Run `hcflash decks copy ~/hcflash-decks` (or into a fork's checkout) for a copy "
                "of your own; e then opens it.",
                title="Edit a copy, not the bundled decks", timeout=15, markup=False,
            )
            return
        editor = shlex.split(os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi")
        card_id = self.card.id
        command = [*editor, f"+{self.card.line}", self.card.file]
        self.service.expect_edit(self.card.file)  # its whole parse (≈8 ms at 100 cards), unless this session has it
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
            self.notify(f"Synced: {report.changes()}", markup=False)
        self.show_card(self.service.review_card(card_id))

    def action_leave(self) -> None:
        self.post_message(self.Leave())
