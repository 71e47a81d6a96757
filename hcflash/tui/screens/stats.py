"""Stats: reviews and true retention over 30 days, a 30-day due forecast, a year's heatmap."""

from __future__ import annotations

from datetime import timedelta

from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Footer, Header, Label, Static
from textual_plotext import PlotextPlot

from hcflash.stats import Stats
from hcflash.tui.base import HcflashScreen
from hcflash.tui.widgets.heatmap import Heatmap


class StatsScreen(HcflashScreen):
    BINDINGS = [Binding("escape", "app.pop_screen", "Back"), Binding("r", "reload", "Refresh")]

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="stats"):
            yield Static("Loading…", id="stats-summary")
            yield PlotextPlot(id="reviews-chart", classes="chart")
            yield PlotextPlot(id="forecast-chart", classes="chart")
            yield Label("Reviews over the past year", classes="chart-title")
            yield Heatmap(id="heatmap")
            yield Label("Desired retention: workload and knowledge over the next year", classes="chart-title")
            yield Static("Simulating…", id="retention-table")
        yield Footer()

    def on_mount(self) -> None:
        self.action_reload()

    def action_reload(self) -> None:
        self.load_stats()

    @work(thread=True, exclusive=True, exit_on_error=False)
    def load_stats(self) -> None:
        service = self.app.service
        stats = service.stats()  # read-only: safe off the UI thread
        self.app.call_from_thread(self.show_stats, stats)
        outcomes = service.simulate()
        self.app.call_from_thread(self.show_simulation, outcomes, service.settings.desired_retention)

    def show_simulation(self, outcomes, current: float) -> None:  # noqa: ANN001 - list[RetentionOutcome]
        table = Table(box=None, header_style="bold", pad_edge=False)
        for column in ("Retention", "Reviews/day", "Minutes/day", "Known in a year"):
            table.add_column(column, justify="right")
        for row in outcomes:
            style = "bold reverse" if abs(row.retention - current) < 1e-9 else ""
            table.add_row(
                f"{row.retention:.2f}", f"{row.reviews_per_day:.1f}", f"{row.minutes_per_day:.1f}",
                f"{row.known_after_a_year:.0f}", style=style,
            )
        self.query_one("#retention-table", Static).update(table)

    def show_stats(self, stats: Stats) -> None:
        reviews_30d = sum(d.reviews for d in stats.days)
        retention = f"{stats.retention_30d:.1%}" if stats.retention_30d is not None else "-"
        states = stats.states
        summary = Text.assemble(
            ("Last 30 days  ", "bold"), f"{reviews_30d} review(s) · true retention {retention}\n",
            ("Cards         ", "bold"),
            f"{states.get('new', 0)} new · {states.get('learning', 0) + states.get('relearning', 0)} learning · "
            f"{states.get('review', 0)} review · {states.get('suspended', 0)} suspended\n",
            ("Due tomorrow  ", "bold"), f"{stats.forecast[1] if len(stats.forecast) > 1 else 0}",
        )
        self.query_one("#stats-summary", Static).update(summary)
        self._bars("#reviews-chart", "Reviews per day, last 30 days", [d.day.strftime("%m-%d") for d in stats.days],
                   [d.reviews for d in stats.days])
        days = [(stats.today + timedelta(days=n)).strftime("%m-%d") for n in range(len(stats.forecast))]
        self._bars("#forecast-chart", "Cards due per day, next 30 days (today includes overdue)", days, list(stats.forecast))
        self.query_one(Heatmap).show(stats.heatmap, stats.today, weeks=52)

    def _bars(self, selector: str, title: str, labels: list[str], values: list[int]) -> None:
        """A bar chart with its axes: days along the bottom (every fifth labelled), cards up the side."""
        widget = self.query_one(selector, PlotextPlot)
        plt = widget.plt
        plt.clear_data()
        plt.clear_figure()
        positions = list(range(len(values)))
        plt.bar(positions, values, width=0.6)
        plt.xticks(positions[::5], labels[::5])
        plt.title(title)
        top = max(values, default=0) or 1
        step = max(1, -(-top // 4))
        plt.yticks(list(range(0, top + step, step)))
        plt.ylabel("cards")
        widget.refresh()
