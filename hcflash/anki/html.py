"""Card Markdown to HTML that is safe to show in Anki's web view.

Card text arrives by pull request and Anki renders it as HTML, so two layers keep it inert: the
Markdown renderer escapes raw HTML and refuses dangerous link schemes, and nh3 (the Ammonia
sanitizer) then allows only a small set of tags and attributes. Images become their alt text, so no
remote resource is ever fetched.
"""

from __future__ import annotations

import re

import nh3
from markdown_it import MarkdownIt

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "b", "i", "s", "del", "code", "pre", "blockquote", "hr",
    "ul", "ol", "li", "table", "thead", "tbody", "tr", "th", "td", "a",
    "h1", "h2", "h3", "h4", "h5", "h6", "span", "div",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"style"}, "td": {"style"}, "ol": {"start"}}
URL_SCHEMES = {"http", "https", "mailto"}


def _renderer() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])

    def image_as_text(self, tokens, idx, options, env):  # noqa: ANN001 - markdown-it rule signature
        token = tokens[idx]
        alt = self.renderInline(token.children or [], options, env)
        return f"[image: {alt}]" if alt else "[image]"

    md.add_render_rule("image", image_as_text)
    return md


_md = _renderer()


def sanitize(html: str) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
        filter_style_properties={"text-align"},
    )


def markdown_html(markdown: str) -> str:
    """Render card Markdown to sanitized HTML (cloze markers pass through untouched)."""
    return sanitize(_md.render(markdown)).strip()


def inline_html(markdown: str) -> str:
    """Render a one-line piece (a question or a source) without a wrapping paragraph."""
    return sanitize(_md.renderInline(markdown)).strip()


_SIMPLE_TAGS = "p|br|strong|em|b|i|s|del|code|pre|blockquote|hr|ul|ol|li|table|thead|tbody|tr|th|td|h[1-6]|span|div"
# HTML made only of text and the exact tags `sanitize` itself writes: nothing left for nh3 to remove.
_PLAINLY_SAFE = re.compile(
    r"(?:[^<]++|</?(?:" + _SIMPLE_TAGS + r")>|</a>"
    r'|<a href="(?:https?://|mailto:)[^"<>]*+"(?: title="[^"<>]*+")? rel="noopener noreferrer">'
    r'|<t[hd] style="text-align:(?:left|right|center)">'
    r'|<ol start="\d{1,9}">)*+'
)


def resanitize(fields: dict[str, str]) -> dict[str, str]:
    """Fields read back from a cache, made as safe as freshly rendered ones. A field that is only
    text and the tags `sanitize` writes is kept as it is (checked by one linear pattern, much
    cheaper than parsing it again); anything else goes through `sanitize`."""
    return {
        name: value if "<" not in value or _PLAINLY_SAFE.fullmatch(value) else sanitize(value)  # no tag: plain text
        for name, value in fields.items()
    }
