"""The project's own exceptions.

Each is raised where the fault is found and turned into one clear line at the CLI or TUI edge;
anything else that escapes is a bug, not a user mistake.
"""

from __future__ import annotations

# Not `from typing import TYPE_CHECKING`: importing typing costs the shell-prompt status
# (`status --short`, which reaches this module through timeutil) a third of its own time.
# Type checkers read this spelling as typing's constant too.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from hcflash.issue_codes import DeckIssue


class HcflashError(Exception):
    """Base of every error a user can cause and fix."""


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


class AnkiError(HcflashError):
    """Export to, import from, or sync with Anki failed, or the `anki` library is missing."""


class ReviewError(HcflashError):
    """A review action does not apply (for example, nothing to undo)."""
