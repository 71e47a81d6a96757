"""The settings table."""

from __future__ import annotations

import json
from typing import Any

from hcflash.store.base import Table


class SettingsTable(Table):
    """The `settings` table: one JSON value per setting name."""

    def load(self) -> dict[str, Any]:
        return {r["key"]: json.loads(r["value"]) for r in self._rows("SELECT key, value FROM settings")}

    def save(self, values: dict[str, Any]) -> None:
        with self._write():
            for key, value in values.items():
                self.db.execute(
                    "INSERT INTO settings(key, value) VALUES (?, ?) "
                    "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                    [key, json.dumps(value)],
                )
