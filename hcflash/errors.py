"""The project's own exceptions.

Each is raised where the fault is found and turned into one clear line at the CLI or TUI edge;
anything else that escapes is a bug, not a user mistake.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

Severity = Literal["error", "warning"]


class HcflashError(Exception):
    """Base of every error a user can cause and fix."""


@dataclass(frozen=True)
class DeckIssue:
    """One finding about a deck file, with a stable code so tools and docs can refer to it."""

    code: str
    message: str
    path: Path
    line: int
    severity: Severity = "error"

    @property
    def where(self) -> str:
        """`path:line`, relative to the working folder when the file is below it (shorter to read)."""
        try:
            shown = self.path.resolve().relative_to(Path.cwd())
        except (ValueError, OSError):
            shown = self.path
        return f"{shown}:{self.line}"

    def __str__(self) -> str:
        return f"{self.where}: {self.severity} {self.code}: {self.message}"


class DeckError(HcflashError):
    """A deck file cannot be used; carries every issue found so the user can fix them all at once."""

    def __init__(self, issues: list[DeckIssue] | tuple[DeckIssue, ...]) -> None:
        self.issues = tuple(issues)
        first = self.issues[0] if self.issues else None
        more = len(self.issues) - 1
        text = str(first) if first else "deck error"
        if more > 0:
            text += f" (and {more} more)"
        super().__init__(text)


class StoreError(HcflashError):
    """The SQLite store cannot be opened or used as asked."""


class ConfigError(HcflashError):
    """A setting or command-line value is not valid."""


class ExportError(HcflashError):
    """An export or import of an outside format failed."""


class ReviewError(HcflashError):
    """A review action does not apply (for example, nothing to undo)."""
