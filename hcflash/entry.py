"""The `hcflash` command's first stop: the shell-prompt status answers here, before the command line
(click, the store, the service) is imported; everything else goes to `hcflash.cli`."""

from __future__ import annotations

import sys


def main() -> None:
    from hcflash.bulk import hold_for_start

    hold_for_start()  # until the command's own work begins, or the review's first screen is drawn
    args = sys.argv[1:]
    from hcflash.prompt import wants_quick_status

    if wants_quick_status(args):
        from hcflash.prompt import quick_status

        code = quick_status(args)
        if code is not None:
            sys.exit(code)
    from hcflash.cli import main as cli_main

    cli_main()
