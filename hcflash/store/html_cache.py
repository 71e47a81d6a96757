"""Anki fields rendered from card Markdown, kept by content: rendering is the slow part of an export."""

from __future__ import annotations

import json

from hcflash.store.base import Table


class HtmlCache(Table):
    """The `card_html` table: Anki fields rendered from card Markdown, by content."""

    def cached(self) -> dict[str, dict[str, str]]:
        """The whole cache, read as one JSON object that SQLite builds (an export reads every entry)."""
        text = self._scalar("SELECT json_group_object(content_key, json(fields)) FROM card_html")
        return json.loads(text) if text else {}

    def save(self, rendered: dict[str, dict[str, str]]) -> None:
        with self._write():
            self.db.conn.executemany(
                "INSERT OR REPLACE INTO card_html(content_key, fields) VALUES (?, ?)",
                [(key, json.dumps(fields, ensure_ascii=False)) for key, fields in rendered.items()],
            )
