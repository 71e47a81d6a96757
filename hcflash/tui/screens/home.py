"""Home: the deck list with new / learning / due counts, like Anki's, and today's totals."""

from __future__ import annotations

from rich.text import Text
from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.widgets import DataTable, Footer, Header, Static

from hcflash.deck_list import tree_label
from hcflash.records import SyncReport
from hcflash.tui.base import HcflashScreen, reports_errors

ALL_DECKS = "__all__"
COUNT_WIDTH = 5  # "Learn", and counts up to 99,999


class HomeScreen(HcflashScreen):
    class Study(Message):
        """Study these decks (None: all of them)."""

        def __init__(self, decks: list[str] | None) -> None:
            super().__init__()
            self.decks = decks

    # Below 60 columns the hint line gives its rows to the decks (the footer names the same keys).
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (60, "-wide")]
    BINDINGS = [
        Binding("enter", "study", "Study deck"),
        Binding("a", "study_all", "Study all"),
        Binding("b", "app.open_browse", "Browse"),
        Binding("t", "app.open_stats", "Stats"),
        Binding("comma", "app.open_settings", "Settings"),
        Binding("c", "study_more", "Study more"),
        Binding("r", "sync", "Sync decks"),
        Binding("q", "app.quit", "Quit"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="today")
        yield DataTable(id="decks", cursor_type="row", zebra_stripes=False)
        yield Static("Enter studies the selected deck · a all decks · c study more · ? every key", id="home-hint")
        yield Footer()

    def on_mount(self) -> None:
        self.refresh_counts()

    def on_screen_resume(self) -> None:
        self.refresh_counts()

    def on_resize(self, event: events.Resize) -> None:
        self.refresh_counts()

    def refresh_counts(self) -> None:
        service = self.app.service
        table = self.query_one(DataTable)
        selected = table.cursor_row
        rows = service.deck_counts()
        labels = [Text(tree_label(row.name)) for row in rows]
        table.clear(columns=True)
        # The counts are what the learner came for: in a narrow terminal the deck names give way (cut
        # short) so New, Learn and Due stay on screen.
        room = self.size.width - 4 - 3 * (COUNT_WIDTH + 2) - 2 - 2  # margins, cell padding, scrollbar
        longest = max((label.cell_len for label in labels), default=4)
        table.add_column("Deck", key="deck", width=max(8, min(longest, room)))
        for name in ("New", "Learn", "Due"):
            table.add_column(name, key=name.lower(), width=COUNT_WIDTH)
        for row, label in zip(rows, labels, strict=True):
            table.add_row(
                label,
                Text(str(row.new), style="blue" if row.new else "dim"),
                Text(str(row.learning), style="red" if row.learning else "dim"),
                Text(str(row.due), style="green" if row.due else "dim"),
                key=row.name,
            )
        if table.row_count:
            table.move_cursor(row=min(selected, table.row_count - 1))
        counts = service.queue_counts()
        summary = Text.assemble(
            ("Today  ", "bold"),
            (f"{counts.new} new", "blue"), " · ",
            (f"{counts.learning} learning", "red"), " · ",
            (f"{counts.review} due", "green"),
        )
        if counts.total == 0:
            summary.append("   Nothing due: well done.", style="italic")
        facts = service.fact_changes_waiting()
        if facts:
            summary.append(f"\n{facts} card(s) changed as facts since you studied them: they come back to relearn "
                           "(`hcflash changes` says why).", style="bold yellow")
        self.query_one("#today", Static).update(summary)

    def _selected_deck(self) -> str | None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
        return str(key.value)

    def action_study(self) -> None:
        deck = self._selected_deck()
        self.post_message(self.Study([deck] if deck else None))

    def action_study_all(self) -> None:
        self.post_message(self.Study(None))

    def action_study_more(self) -> None:
        """Anki's custom study on the selected deck."""
        from hcflash.tui.screens.custom_study import CustomStudyScreen

        deck = self._selected_deck()
        self.app.push_screen(CustomStudyScreen(deck), lambda choice: self._study_more(deck, choice))

    @reports_errors
    def _study_more(self, deck: str | None, choice) -> None:  # noqa: ANN001 - CustomStudyChoice | None
        if choice is None:
            return
        if not self.app.service.study_more(deck, choice.kind, choice.amount, choice.tag):
            self.app.service.review.end_custom()
            self.notify("No cards match that.", severity="warning")
            self.refresh_counts()
            return
        self.post_message(self.Study([deck] if deck else None))

    def action_sync(self) -> None:
        self.notify("Syncing the decks…")
        self.sync_decks()

    @work(thread=True, exclusive=True, exit_on_error=False)
    def sync_decks(self) -> None:
        # Errors go to the app's one error path (HcflashApp.on_worker_state_changed).
        report = self.app.service.sync()
        self.app.call_from_thread(self._synced, report)

    def _synced(self, report: SyncReport) -> None:
        self.notify(f"Decks synced: {report.changes()}", markup=False)
        self.refresh_counts()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.post_message(self.Study([str(event.row_key.value)]))
