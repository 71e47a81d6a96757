"""The `hcflash` command line: the group in `app`, the commands by topic in the other modules."""

from hcflash.cli import anki, changes, decks, safety, settings, study  # noqa: F401 - registers the commands
from hcflash.cli.app import main

__all__ = ["main"]
