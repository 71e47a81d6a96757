"""The SQLite store: the only package that speaks SQL.

One file per learner, WAL mode, foreign keys on, schema versioned with sqlite-utils' Migrations.
Every write that belongs together runs in one transaction, so a crash or a bad deck leaves the
store as it was. Rows go in and out as the records in `hcflash.records`; one module per table group.
"""

from hcflash.store.core import SESSION_WAIT_SECONDS, Store
from hcflash.store.log import StateChanged
from hcflash.store.schema import MIGRATION_SET, migrations
from hcflash.store.sync_writes import FileRecord

__all__ = ["MIGRATION_SET", "SESSION_WAIT_SECONDS", "FileRecord", "StateChanged", "Store", "migrations"]
