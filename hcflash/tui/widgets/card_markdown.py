"""Card Markdown, rendered safely.

Card text is untrusted (it arrives by pull request), so control characters are neutralized before
Textual sees them, and links are not opened on click. The parser is plain CommonMark plus tables:
configurations with extra mdit-py-plugins can produce tokens Textual's Markdown widget cannot draw.
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from textual.widgets import Markdown

from hcflash.text_safety import plain_text


def card_parser() -> MarkdownIt:
    # html off: raw HTML in a card is shown as text, never interpreted.
    return MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])


class CardMarkdown(Markdown):
    def __init__(self, markdown: str = "", **kwargs) -> None:
        super().__init__(plain_text(markdown), parser_factory=card_parser, open_links=False, **kwargs)

    def show(self, markdown: str) -> None:
        self.update(plain_text(markdown))
