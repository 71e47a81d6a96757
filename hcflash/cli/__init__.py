"""The `hcflash` command line: the group in `app`, the commands by topic in the other modules,
each loaded when its command is asked for (`app.COMMAND_MODULES`)."""

from hcflash.cli.app import main

__all__ = ["main"]
