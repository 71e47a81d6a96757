"""Browse: full-text search over every card, filtered by deck, tag and state."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Input, Select

from hcflash.cards import cloze_plain
from hcflash.records import BrowseRow
from hcflash.text_safety import plain_text

STATES = [("New", "new"), ("Learning", "learning"), ("Review", "review"), ("Relearning", "relearning"), ("Suspended", "suspended")]


class BrowseScreen(Screen):
    BINDINGS = [
        Binding("ctrl+f", "focus_search", "Search"),
        Binding("enter", "info", "Info", show=False),
        Binding("ctrl+s", "toggle_suspend", "Suspend/unsuspend"),
        Binding("escape", "app.pop_screen", "Back"),
    ]

    def compose(self) -> ComposeResult:
        service = self.app.service  # type: ignore[attr-defined]
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

    def refresh_rows(self) -> None:
        service = self.app.service  # type: ignore[attr-defined]
        deck = self._value("#deck-filter")
        rows = service.browse(
            self.query_one("#search", Input).value,
            [deck] if deck else None,
            self.query_one("#tag-filter", Input).value.strip() or None,
            self._value("#state-filter"),
        )
        table = self.query_one(DataTable)
        table.clear()
        for row in rows:
            table.add_row(*self._cells(row), key=str(row.id))
        self.sub_title = f"{len(rows)} card(s)"

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
        return int(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)  # type: ignore[arg-type]

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_info()

    def action_focus_search(self) -> None:
        self.query_one("#search", Input).focus()

    def action_info(self) -> None:
        card_id = self._selected_id()
        if card_id is not None:
            from hcflash.tui.screens.card_info import CardInfoScreen

            self.app.push_screen(CardInfoScreen(self.app.service.card_info(card_id)))  # type: ignore[attr-defined]

    def action_toggle_suspend(self) -> None:
        card_id = self._selected_id()
        if card_id is None:
            return
        service = self.app.service  # type: ignore[attr-defined]
        if service.store.states.get(card_id).suspended:
            service.unsuspend(card_id)
            self.notify("Unsuspended.")
        else:
            service.suspend(card_id)
            self.notify("Suspended.")
        row = self.query_one(DataTable).cursor_row
        self.refresh_rows()
        self.query_one(DataTable).move_cursor(row=row)
