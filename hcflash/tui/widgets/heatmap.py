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


def heatmap_text(counts: dict[date, int], today: date, weeks: int) -> Text:
    start = today - timedelta(days=today.weekday() + 7 * (weeks - 1))
    text = Text()
    for weekday in range(7):
        for week in range(weeks):
            day = start + timedelta(days=7 * week + weekday)
            if day > today:
                text.append(" ")
            else:
                text.append("■", style=_style(counts.get(day, 0)))
        if weekday < 6:
            text.append("\n")
    return text


class Heatmap(Static):
    def show(self, counts: dict[date, int], today: date, weeks: int = 52) -> None:
        self.update(heatmap_text(counts, today, weeks))
