"""Browse: full-text search over every card, filtered by deck, tag and state."""

from __future__ import annotations

from datetime import datetime

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

STATES = [
    ("New", "new"), ("Learning", "learning"), ("Review", "review"), ("Relearning", "relearning"),
    ("Suspended", "suspended"), ("Buried", "buried"),
]
SHOWN = 500  # rows listed at once; the subtitle says when a search finds more
# (label, key, width); stability is left out below 100 columns so State and Due always fit.
NARROW_COLUMNS = (("Card", "card", 4), ("Deck", "deck", 12), ("State", "state", 9), ("Due", "due", 10), ("Lap.", "lapses", 4))
WIDE_COLUMNS = (("Card", "card", 4), ("Deck", "deck", 18), ("State", "state", 9), ("Due", "due", 10), ("Stab.", "stab", 7),
                ("Lapses", "lapses", 6))


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
        self._columns = NARROW_COLUMNS

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
        self._columns = WIDE_COLUMNS if self.app.size.width >= 100 else NARROW_COLUMNS
        table.add_column("Question", key="q", width=self._question_width())
        for label, key, width in self._columns:
            table.add_column(label, key=key, width=width)
        self.refresh_rows()

    def _question_width(self) -> int:
        """What the fixed columns leave: the question gets the rest, so State and Due are never cut."""
        used = sum(width + 2 for _, _, width in self._columns) + 6
        return max(16, self.app.size.width - used)

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
        rows = self.app.service.browse(query, decks, tag, state, limit=SHOWN + 1)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show_rows, rows, keep_row)

    def _show_rows(self, rows: list[BrowseRow], keep_row: int | None) -> None:
        more = len(rows) > SHOWN
        rows = rows[:SHOWN]
        self._rows = {row.id: row for row in rows}
        table = self.query_one(DataTable)
        table.clear()
        now = self.app.service.now()
        width = self._question_width()
        for row in rows:
            table.add_row(*self._cells(row, now, width), key=str(row.id))
        self.sub_title = f"the first {SHOWN} cards: refine the search to see the rest" if more else f"{len(rows)} card(s)"
        if keep_row is not None and table.row_count:
            table.move_cursor(row=min(keep_row, table.row_count - 1))

    def _cells(self, row: BrowseRow, now: datetime, width: int) -> tuple[Text, ...]:
        question = plain_text(cloze_plain(row.question))
        due = f"{row.due:%Y-%m-%d}" if row.due and row.state != "new" else ""
        stability = f"{row.stability:.1f}d" if row.stability else ""
        values = {
            "card": Text(row.card, style="dim"),
            "deck": Text(plain_text(row.deck.split("::")[-1]), style="dim"),
            "state": Text(row.shown_state(now)),
            "due": Text(due),
            "stab": Text(stability),
            "lapses": Text(str(row.lapses)),
        }
        return (Text(question[: width - 1] + ("…" if len(question) >= width else "")), *(values[key] for _, key, _ in self._columns))

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
