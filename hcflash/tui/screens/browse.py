"""Browse: full-text search over every card, filtered by deck, tag and state."""

from __future__ import annotations

from datetime import datetime

from rich.text import Text
from textual import events, work
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
PAGE = 40  # rows fetched at once (at least a screenful); the next page comes as the learner nears the end
# (label, key, width); stability is left out below 100 columns so State and Due always fit.
NARROW_COLUMNS = (("Card", "card", 4), ("Deck", "deck", 12), ("State", "state", 9), ("Due", "due", 10), ("Lap.", "lapses", 4))
WIDE_COLUMNS = (("Card", "card", 4), ("Deck", "deck", 18), ("State", "state", 9), ("Due", "due", 10), ("Stab.", "stab", 7),
                ("Lapses", "lapses", 6))


class BrowseScreen(HcflashScreen):
    # Below 60 columns the filters stack, one line each (app.tcss), so none is squeezed to a letter a line.
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (60, "-wide")]
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
        self._more = False
        self.page = PAGE
        self._filters: tuple[str, list[str] | None, str | None, str | None] = ("", None, None, None)

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
        self.page = max(PAGE, self.app.size.height + 10)
        table = self.query_one(DataTable)
        self._columns = WIDE_COLUMNS if self.app.size.width >= 100 else NARROW_COLUMNS
        table.add_column("Question", key="q", width=self._question_width())
        for label, key, width in self._columns:
            table.add_column(label, key=key, width=width)
        self.refresh_rows()

    def on_resize(self, event: events.Resize) -> None:
        narrow = event.size.width < 60
        for field in self.query(Input):
            field.compact = narrow
        for select in self.query(Select):
            select.compact = narrow

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
        self._filters = self._current_filters()
        self.search(*self._filters, keep_row=keep_row)

    def _current_filters(self) -> tuple[str, list[str] | None, str | None, str | None]:
        deck = self._value("#deck-filter")
        return (
            self.query_one("#search", Input).value,
            [deck] if deck else None,
            self.query_one("#tag-filter", Input).value.strip() or None,
            self._value("#state-filter"),
        )

    @work(thread=True, exclusive=True, exit_on_error=False, group="search")
    def search(
        self, query: str, decks: list[str] | None, tag: str | None, state: str | None, keep_row: int | None = None, after_id: int = 0,
    ) -> None:
        rows = self.app.service.browse(query, decks, tag, state, limit=self.page + 1, after_id=after_id)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show_rows, rows, keep_row, after_id)

    def _show_rows(self, rows: list[BrowseRow], keep_row: int | None, after_id: int = 0) -> None:
        """The first page replaces the table; a later page (after_id) is appended to it."""
        self._more = len(rows) > self.page
        rows = rows[: self.page]
        table = self.query_one(DataTable)
        if not after_id:
            self._rows = {}
            table.clear()
        self._rows.update({row.id: row for row in rows})
        now = self.app.service.now()
        width = self._question_width()
        for row in rows:
            table.add_row(*self._cells(row, now, width), key=str(row.id))
        shown = len(self._rows)
        self.sub_title = f"{shown}+ cards: scroll for more" if self._more else f"{shown} card(s)"
        if keep_row is not None and table.row_count:
            table.move_cursor(row=min(keep_row, table.row_count - 1))

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._load_more_near(event.cursor_row)

    def on_mouse_scroll_down(self, event: events.MouseScrollDown) -> None:
        table = self.query_one(DataTable)
        self._load_more_near(int(table.scroll_y) + table.size.height)

    def _load_more_near(self, row: int) -> None:
        """Near the end of what is loaded, fetch the next page: the table grows as the learner scrolls."""
        table = self.query_one(DataTable)
        if self._more and row >= table.row_count - 10 and self._rows:
            self._more = False  # one page at a time
            self.search(*self._filters, after_id=max(self._rows))

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
