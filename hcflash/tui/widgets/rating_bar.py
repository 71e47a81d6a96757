"""The line under a card: what Space does before the reveal, what each rating does after it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.widgets import Static

if TYPE_CHECKING:
    from hcflash.records import Preview

_STYLES = {1: "bold red", 2: "bold yellow", 3: "bold green", 4: "bold blue"}


class RatingBar(Static):
    PROMPT = Text.assemble(("Space", "bold"), " show answer")

    def show_prompt(self) -> None:
        self.update(self.PROMPT)

    def show_cram(self) -> None:
        """A cram session changes no schedule: the keys say what they do instead of intervals."""
        parts: list[tuple[str, str] | str] = []
        for rating, label in ((1, "Again: once more later"), (2, "Hard"), (3, "Good"), (4, "Easy")):
            if parts:
                parts.append("  ·  ")
            parts.append((f"{rating} ", "dim"))
            parts.append((label, _STYLES[rating]))
        parts.append(("   (no schedule changes)", "dim"))
        self.update(Text.assemble(*parts))

    def show_previews(self, previews: dict[int, Preview]) -> None:
        parts: list[tuple[str, str] | str] = []
        for rating, preview in previews.items():
            if parts:
                parts.append("  ·  ")
            parts.append((f"{rating} ", "dim"))
            parts.append((preview.label, _STYLES[rating]))
        self.update(Text.assemble(*parts))
