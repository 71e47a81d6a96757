"""The SQLite store: the only package that speaks SQL.

One file per learner, WAL mode, foreign keys on, schema versioned with sqlite-utils' Migrations.
Every write that belongs together runs in one transaction, so a crash or a bad deck leaves the
store as it was. Rows go in and out as the records in `hcflash.records`; one module per table group.

The names below load on first use (PEP 562), so `hcflash.store.quick` (the shell-prompt status)
can be imported without sqlite-utils and the rest of the store.
"""

from __future__ import annotations

from importlib import import_module

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing: the prompt status counts milliseconds
if TYPE_CHECKING:
    from typing import Any

    from hcflash.store.core import SESSION_WAIT_SECONDS, Store
    from hcflash.store.log import StateChanged
    from hcflash.store.schema import MIGRATION_SET, migrations
    from hcflash.store.sync_writes import FileRecord

_EXPORTS = {
    "SESSION_WAIT_SECONDS": "hcflash.store.core",
    "Store": "hcflash.store.core",
    "StateChanged": "hcflash.store.log",
    "MIGRATION_SET": "hcflash.store.schema",
    "migrations": "hcflash.store.schema",
    "FileRecord": "hcflash.store.sync_writes",
}

__all__ = ["MIGRATION_SET", "SESSION_WAIT_SECONDS", "FileRecord", "StateChanged", "Store", "migrations"]


def __getattr__(name: str) -> Any:  # noqa: ANN401 - whatever the named module holds
    if name not in _EXPORTS:
        raise AttributeError(f"module 'hcflash.store' has no attribute {name!r}")
    return getattr(import_module(_EXPORTS[name]), name)
