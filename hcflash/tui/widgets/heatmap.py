"""A year of reviews as a GitHub-style grid: one column per week, one row per weekday."""

from __future__ import annotations

from datetime import date, timedelta

from rich.text import Text
from textual.widgets import Static

_LEVELS = ((0, "grey23"), (1, "green4"), (10, "green3"), (30, "green1"), (80, "bright_green"))


def _style(count: int) -> str:
    style = _LEVELS[0][1]
    for threshold, color in _LEVELS:
        if count >= threshold:
            style = color
    return style


_WEEKDAYS = ("Mon", "   ", "Wed", "   ", "Fri", "   ", "Sun")


def heatmap_text(counts: dict[date, int], today: date, weeks: int) -> Text:
    """Weeks left to right with their months above, weekdays down the side, and a legend below."""
    start = today - timedelta(days=today.weekday() + 7 * (weeks - 1))
    months = [" "] * weeks
    for week in range(weeks):
        first = start + timedelta(days=7 * week)
        if week == 0 or first.month != (first - timedelta(days=7)).month:
            label = first.strftime("%b")
            if week + len(label) <= weeks and all(m == " " for m in months[max(0, week - 1) : week + len(label)]):
                months[week : week + len(label)] = list(label)
    text = Text("    " + "".join(months) + "\n", style="dim")
    for weekday in range(7):
        text.append(_WEEKDAYS[weekday] + " ", style="dim")
        for week in range(weeks):
            day = start + timedelta(days=7 * week + weekday)
            if day > today:
                text.append(" ")
            else:
                text.append("■", style=_style(counts.get(day, 0)))
        text.append("\n")
    text.append("    less ", style="dim")
    for _, color in _LEVELS:
        text.append("■", style=color)
    text.append(" more (reviews per day: 0, 1+, 10+, 30+, 80+)", style="dim")
    return text


class Heatmap(Static):
    def show(self, counts: dict[date, int], today: date, weeks: int = 52) -> None:
        self.update(heatmap_text(counts, today, weeks))
