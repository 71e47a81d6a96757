"""Findings about deck files: the `DeckIssue` record and every check code with its meaning.

One table so that the parser, the sync planner, the linter and the documentation agree on what each
code means; `docs/deck-format.md` lists the same codes (a test keeps the two in step).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

Severity = Literal["error", "warning"]

UNREADABLE = "HC100"
BAD_FRONT_MATTER = "HC101"
BAD_FRONT_MATTER_KEY = "HC102"
NO_CARDS = "HC103"
TOO_LARGE = "HC104"
LINE_TOO_LONG = "HC105"
TOO_DEEP = "HC106"
MISSING_ID = "HC110"
BAD_ID = "HC111"
ID_PREFIX = "HC112"
DUPLICATE_ID = "HC113"
EMPTY_QUESTION = "HC120"
EMPTY_ANSWER = "HC121"
MISSING_SOURCE = "HC122"
BAD_METADATA = "HC123"
WEAK_SOURCE = "HC124"
BAD_VERIFIED = "HC125"
BAD_SPEC = "HC126"
BAD_VALIDITY = "HC127"
BAD_CHANGE = "HC128"
BAD_CLOZE = "HC130"
CLOZE_REVERSED = "HC131"
RAW_HTML = "HC140"
BAD_LINK = "HC141"
LONG_ANSWER = "HC142"
NEAR_DUPLICATE = "HC150"
STALE_VERIFIED = "HC160"
OLD_SPEC = "HC161"
UNVERIFIED = "HC162"

MEANINGS: dict[str, str] = {
    UNREADABLE: "the file cannot be read, is binary, or is not valid UTF-8",
    BAD_FRONT_MATTER: "front matter is not valid YAML (syntax, a tag such as `!!python/...`, a duplicate key)",
    BAD_FRONT_MATTER_KEY: "front matter has an unknown key or a value of the wrong kind",
    NO_CARDS: "the file has no cards",
    TOO_LARGE: "the file is larger than 5 MiB",
    LINE_TOO_LONG: "a line is longer than 20,000 characters",
    TOO_DEEP: "Markdown nested more than 10 levels deep",
    MISSING_ID: "card has no id",
    BAD_ID: "id is not lowercase words joined by hyphens, or longer than 80 characters",
    ID_PREFIX: "id does not start with the deck's `id-prefix`",
    DUPLICATE_ID: "id already used by another card (in any deck)",
    EMPTY_QUESTION: "heading has no question text",
    EMPTY_ANSWER: "basic card has no answer",
    MISSING_SOURCE: "card has no `Source:` line",
    BAD_METADATA: "a metadata line has a bad value (tag characters, `Reverse:` not yes/no, `Replaces:` not an id)",
    WEAK_SOURCE: "a source that names no recognizable document: a bare URL, too short, or a CFR cite without a part or section",
    BAD_VERIFIED: "`Verified:` is not a YYYY-MM-DD date, or is later than today",
    BAD_SPEC: "`Spec:` is not a specification name followed by a version (`mCSD 4.0.0`)",
    BAD_VALIDITY: "`Valid-from:` or `Valid-until:` is not a YYYY-MM-DD date, or the window ends before it starts",
    BAD_CHANGE: "`Change:` is not `fact YYYY-MM-DD reason` or `wording YYYY-MM-DD`",
    BAD_CLOZE: "malformed cloze deletion",
    CLOZE_REVERSED: "a cloze card marked `Reverse: yes`",
    RAW_HTML: "raw HTML (any tag; comments are fine): the terminal and Anki would show it differently",
    BAD_LINK: "a link or image that leaves the decks folder, points to a missing file, uses a scheme other than http(s)/mailto, "
    "or a remote image",
    LONG_ANSWER: "(warning) an answer longer than 800 characters",
    NEAR_DUPLICATE: "(warning) a question nearly the same as another card's, with both locations",
    STALE_VERIFIED: "(warning) the card's `Verified:` date is older than the allowed age (12 months unless `--max-age` says otherwise)",
    OLD_SPEC: "(warning) the card was checked against an older version of a specification than the one its deck declares current",
    UNVERIFIED: "(warning) a card without a `Verified:` date in a deck whose front matter says `require-verified: true`",
}


@dataclass(frozen=True)
class DeckIssue:
    """One finding about a deck file, with a stable code so tools and docs can refer to it."""

    code: str
    message: str
    path: Path
    line: int
    severity: Severity = "error"

    @property
    def where(self) -> str:
        """`path:line`, relative to the working folder when the file is below it (shorter to read)."""
        try:
            shown = self.path.resolve().relative_to(Path.cwd())
        except (ValueError, OSError):
            shown = self.path
        return f"{shown}:{self.line}"

    def __str__(self) -> str:
        return f"{self.where}: {self.severity} {self.code}: {self.message}"


class IssueList:
    """Findings of one file as they are found, each with the file's path."""


    def __init__(self, path: Path) -> None:
        self.path = path
        self.issues: list[DeckIssue] = []

    def add(self, code: str, message: str, line: int, severity: Severity = "error") -> None:
        self.issues.append(DeckIssue(code, message, self.path, line, severity))
