"""Process exit codes, named once."""

EXIT_OK = 0
EXIT_ERROR = 1  # a user-fixable problem: bad setting, unusable store, nothing to undo
EXIT_DECK_ERROR = 2  # deck files have errors (or warnings under --strict)
