"""Deck texts built to make a parser hang or blow up, each under the 5 MiB file limit.

`REFUSED` are files hcflash must refuse with a code at a line, cheaply; `LINEAR` are the shapes whose
parse once grew with the square of the input (issue 18): each is built at a given scale so the
benchmark can time it at 1× and 10× (`python -m benchmarks`), and the test suite runs each under a
memory cap. Pure text builders: no I/O.
"""

from __future__ import annotations

from collections.abc import Callable

CARD_TAIL = "\n\nSource: IHE ITI TF-1, section 5\n\n"


def _cards(count: int, question: Callable[[int], str], answer: Callable[[int], str], source: str = "IHE ITI TF-1, section 5") -> str:
    return "".join(f"## {question(i)} <!-- id: h-{i} -->\n\n{answer(i)}\n\nSource: {source}\n\n" for i in range(count))


def _alias_bomb() -> str:
    levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        levels.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    return "---\n" + "\n".join(levels) + "\ndeck: *i\n---\n\n## Q <!-- id: h-q -->\n\nA" + CARD_TAIL


# name → (text, code, line): the first error each must produce
REFUSED: dict[str, tuple[str, str, int]] = {
    "a million `##` lines (3 MB)": ("##\n" * 1_000_000, "HC107", 50_001),
    "2,001 cards in one file": (_cards(2_001, lambda i: f"Question {i}?", lambda i: "A."), "HC107", 2_000 * 6 + 1),
    "100,000 Markdown blocks": ("## Q <!-- id: h-q -->\n\n" + "- a\n" * 45_000, "HC107", 20_003),
    "a table with 30,000 cells": ("## Q <!-- id: h-q -->\n\n" + ("|" + "a|" * 100 + "\n") * 300, "HC107", 1),
    "96 KB of unclosed `{{c1::a `": ("## Q <!-- id: h-q -->\n\n" + ("{{c1::a " * 250 + "\n") * 48 + "\nSource: IHE ITI TF-1, 5\n", "HC107", 1),
    "48 KB of unclosed `{{c1::a `": ("## Q <!-- id: h-q -->\n\n" + ("{{c1::a " * 250 + "\n") * 24 + "\nSource: IHE ITI TF-1, 5\n", "HC130", 1),
    "20 headings full of `<!-- id: `": ("".join("## Q " + "<!-- id: " * 2_000 + "\n\nA" + CARD_TAIL for _ in range(20)), "HC111", 1),
    "a YAML alias bomb": (_alias_bomb(), "HC101", 2),
    "3,000 nested `[` in front matter": ("---\ndeck: " + "[" * 3_000 + "\n---\n\n## Q <!-- id: h-q -->\n\nA" + CARD_TAIL, "HC101", 2),
    "front matter of 40,000 keys": (
        "---\n" + "".join(f"k{i}: 1\n" for i in range(40_000)) + "---\n\n## Q <!-- id: h-q -->\n\nA" + CARD_TAIL, "HC101", 1,
    ),
    "a Spec: value of 19,000 spaces": ("## Q <!-- id: h-q -->\n\nA\n\nSource: IHE ITI TF-1, 5\nSpec: a" + " " * 19_000 + "b\n", "HC126", 6),
}


def unclosed_clozes(scale: int) -> str:
    """Cards whose answers hold many unclosed cloze openings (each card one HC130)."""
    return _cards(20 * scale, lambda i: f"Question {i}?", lambda i: "{{c1::a " * 500)


def valid_clozes(scale: int) -> str:
    """Cards full of valid cloze deletions: 400 KB at scale 10."""
    return _cards(20 * scale, lambda i: "{{c1::Cloze}} " * 100 + "?", lambda i: " ".join(f"{{{{c{n % 9 + 1}::word {n}}}}}" for n in range(100)))


def id_comment_headings(scale: int) -> str:
    """Headings full of `<!-- id: `, as the attack wrote them (20 at scale 1)."""
    return "".join("## Q " + "<!-- id: " * 1_000 + "\n\nA" + CARD_TAIL for _ in range(20 * scale))


def bracket_sources(scale: int) -> str:
    """Source lines (and answers) of nothing but `[`."""
    return _cards(2 * scale, lambda i: f"Question {i}?", lambda i: "[" * 5_000, source="[" * 19_000)


def spaced_specs(scale: int) -> str:
    """Spec: values with long runs of spaces inside."""
    return "".join(
        f"## Q{i} <!-- id: h-{i} -->\n\nA\n\nSource: IHE ITI TF-1, 5\nSpec: a" + " " * 5_000 + "b 1.0\n\n" for i in range(5 * scale)
    )


def html_and_links(scale: int) -> str:
    """Answers of `<` followed by spaces, unclosed comments and half links: the linter's patterns."""
    answer = "<div>" + "<" + " " * 2_000 + "<!--" * 500 + "[a](" * 500 + "</div>"
    return _cards(5 * scale, lambda i: f"Question {i}?", lambda i: answer)


def ordinary_deck(scale: int) -> str:
    """A deck like the bundled ones, for comparison."""
    return _cards(100 * scale, lambda i: f"What does rule {i} of the spec say about topic {i % 7}?",
                  lambda i: f"Rule {i} holds under **section {i % 13}**:\n\n- one\n- two\n\n| a | b |\n|---|---|\n| 1 | 2 |")


# name → builder(scale): parse time should grow in proportion to the scale
LINEAR: dict[str, Callable[[int], str]] = {
    "unclosed clozes": unclosed_clozes,
    "valid clozes": valid_clozes,
    "headings full of `<!-- id: `": id_comment_headings,
    "sources full of `[`": bracket_sources,
    "Spec: lines full of spaces": spaced_specs,
    "HTML, comments and links": html_and_links,
    "an ordinary deck": ordinary_deck,
}
