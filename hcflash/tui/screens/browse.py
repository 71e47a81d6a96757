"""Browse: full-text search over every card, filtered by deck, tag and state."""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import DataTable, Footer, Header, Input, Select
from textual.worker import get_current_worker

from hcflash.cards import cloze_plain
from hcflash.records import BrowseRow
from hcflash.text_safety import plain_text
from hcflash.tui.base import HcflashScreen, reports_errors

STATES = [("New", "new"), ("Learning", "learning"), ("Review", "review"), ("Relearning", "relearning"), ("Suspended", "suspended")]


class BrowseScreen(HcflashScreen):
    BINDINGS = [
        Binding("ctrl+f", "focus_search", "Search"),
        Binding("enter", "info", "Info", show=False),
        Binding("ctrl+s", "toggle_suspend", "Suspend/unsuspend"),
        Binding("escape", "app.pop_screen", "Back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._rows: dict[int, BrowseRow] = {}

    def compose(self) -> ComposeResult:
        service = self.app.service
        decks = [(Text(plain_text(d.name)), d.name) for d in service.deck_counts()]
        yield Header()
        yield Input(placeholder="Search cards (words match as prefixes)", id="search")
        with Horizontal(id="filters"):
            yield Select(decks, prompt="All decks", id="deck-filter")
            yield Select(STATES, prompt="Any state", id="state-filter")
            yield Input(placeholder="tag", id="tag-filter")
        yield DataTable(id="results", cursor_type="row")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for label, key in (("Question", "q"), ("Deck", "deck"), ("State", "state"), ("Due", "due"), ("Stab.", "stab"), ("Lapses", "lapses")):
            table.add_column(label, key=key)
        self.refresh_rows()

    def _value(self, selector: str) -> str | None:
        value = self.query_one(selector, Select).value
        return None if value is Select.NULL else str(value)

    def refresh_rows(self, keep_row: int | None = None) -> None:
        """Search again with the current query and filters, off the UI thread; a newer search
        cancels an older one, so typing is never held up by a stale query."""
        deck = self._value("#deck-filter")
        self.search(
            self.query_one("#search", Input).value,
            [deck] if deck else None,
            self.query_one("#tag-filter", Input).value.strip() or None,
            self._value("#state-filter"),
            keep_row,
        )

    @work(thread=True, exclusive=True, exit_on_error=False, group="search")
    def search(self, query: str, decks: list[str] | None, tag: str | None, state: str | None, keep_row: int | None) -> None:
        rows = self.app.service.browse(query, decks, tag, state)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show_rows, rows, keep_row)

    def _show_rows(self, rows: list[BrowseRow], keep_row: int | None) -> None:
        self._rows = {row.id: row for row in rows}
        table = self.query_one(DataTable)
        table.clear()
        for row in rows:
            table.add_row(*self._cells(row), key=str(row.id))
        self.sub_title = f"{len(rows)} card(s)"
        if keep_row is not None and table.row_count:
            table.move_cursor(row=min(keep_row, table.row_count - 1))

    def _cells(self, row: BrowseRow) -> tuple[Text, ...]:
        question = plain_text(cloze_plain(row.question))
        state = "suspended" if row.suspended else row.state
        due = f"{row.due:%Y-%m-%d}" if row.due and row.state != "new" else ""
        stability = f"{row.stability:.1f}d" if row.stability else ""
        return (
            Text(question[:40] + ("…" if len(question) > 40 else "")),
            Text(plain_text(row.deck.split("::")[-1]), style="dim"),
            Text(state),
            Text(due),
            Text(stability),
            Text(str(row.lapses)),
        )

    def on_input_changed(self, event: Input.Changed) -> None:
        self.refresh_rows()

    def on_select_changed(self, event: Select.Changed) -> None:
        self.refresh_rows()

    def _selected_id(self) -> int | None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return None
        return int(str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_info()

    def action_focus_search(self) -> None:
        self.query_one("#search", Input).focus()

    @reports_errors
    def action_info(self) -> None:
        card_id = self._selected_id()
        if card_id is not None:
            from hcflash.tui.screens.card_info import CardInfoScreen

            self.app.push_screen(CardInfoScreen(self.app.service.card_info(card_id)))

    @reports_errors
    def action_toggle_suspend(self) -> None:
        card_id = self._selected_id()
        if card_id is None or card_id not in self._rows:
            return
        service = self.app.service
        if self._rows[card_id].suspended:
            service.unsuspend(card_id)
            self.notify("Unsuspended.")
        else:
            service.suspend(card_id)
            self.notify("Suspended.")
        self.refresh_rows(keep_row=self.query_one(DataTable).cursor_row)
