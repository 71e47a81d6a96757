"""Findings about deck files: the `DeckIssue` record and every check code with its meaning.

One table so that the parser, the sync planner, the linter and the documentation agree on what each
code means; `docs/deck-format.md` lists the same codes (a test keeps the two in step).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Literal

Severity = Literal["error", "warning"]

UNREADABLE = "HC100"
BAD_FRONT_MATTER = "HC101"
BAD_FRONT_MATTER_KEY = "HC102"
NO_CARDS = "HC103"
TOO_LARGE = "HC104"
LINE_TOO_LONG = "HC105"
TOO_DEEP = "HC106"
TOO_COMPLEX = "HC107"
MISSING_ID = "HC110"
BAD_ID = "HC111"
ID_PREFIX = "HC112"
DUPLICATE_ID = "HC113"
REPLACES_LIVE = "HC114"
REPLACES_UNKNOWN = "HC115"
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
    UNREADABLE: "the file (or a folder of deck files) cannot be read, is binary, or is not valid UTF-8",
    BAD_FRONT_MATTER: "front matter is not valid YAML (syntax, a tag such as `!!python/...`, an anchor or alias, a key that is "
    "not a word, a duplicate key, nesting deeper than 20), is longer than 64 KiB, or is never closed with `---`",
    BAD_FRONT_MATTER_KEY: "front matter has an unknown key or a value of the wrong kind (an `id-prefix` longer than 70 characters too)",
    NO_CARDS: "the file has no cards",
    TOO_LARGE: "the file is larger than 5 MiB",
    LINE_TOO_LONG: "a line is longer than 20,000 characters",
    TOO_DEEP: "Markdown nested more than 10 levels deep",
    TOO_COMPLEX: "the file has more than 50,000 lines, 2,000 cards, 100,000 Markdown blocks or 20,000 table cells, or a card's "
    "answer is longer than 50,000 characters",
    MISSING_ID: "card has no id",
    BAD_ID: "id is not lowercase words joined by hyphens, is longer than 80 characters, or its comment does not end the heading",
    ID_PREFIX: "id does not start with the deck's `id-prefix`",
    DUPLICATE_ID: "id already used by another card (in any deck)",
    REPLACES_LIVE: "`Replaces:` names a card that is still in the decks, or the card itself",
    REPLACES_UNKNOWN: "(warning, sync only) `Replaces:` names an id this store has never held, so no history is carried",
    EMPTY_QUESTION: "heading has no question text",
    EMPTY_ANSWER: "basic card has no answer",
    MISSING_SOURCE: "card has no `Source:` line",
    BAD_METADATA: "a metadata line has a bad value (tag characters, `Reverse:` not yes/no, `Replaces:` not an id)",
    WEAK_SOURCE: "a source that names no recognizable document: a bare URL, too short, or a CFR cite without a part or section",
    BAD_VERIFIED: "`Verified:` is not a YYYY-MM-DD date, or is later than today",
    BAD_SPEC: "`Spec:` is not a specification name followed by a version (`mCSD 4.0.0`)",
    BAD_VALIDITY: "`Valid-from:` or `Valid-until:` is not a YYYY-MM-DD date, or the window ends before it starts",
    BAD_CHANGE: "`Change:` is not `fact YYYY-MM-DD reason` or `wording YYYY-MM-DD`",
    BAD_CLOZE: "malformed cloze deletion: never closed, empty, nested in another, or numbered outside 1 to 999",
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
    def shown_path(self) -> str:
        """The path, relative to the working folder when the file is below it (shorter to read)."""
        try:
            return str(self.path.resolve().relative_to(Path.cwd()))
        except (ValueError, OSError):
            return str(self.path)

    @property
    def where(self) -> str:
        """`path:line`."""
        return f"{self.shown_path}:{self.line}"

    def __str__(self) -> str:
        return f"{self.where}: {self.severity} {self.code}: {self.message}"


class IssueList:
    """Findings of one file as they are found, each with the file's path (at most
    MAX_ISSUES_PER_FILE, so a file made of mistakes costs no more than a file with a few)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.issues: list[DeckIssue] = []

    def add(self, code: str, message: str, line: int, severity: Severity = "error") -> None:
        if len(self.issues) < MAX_ISSUES_PER_FILE:
            self.issues.append(DeckIssue(code, message, self.path, line, severity))
        elif len(self.issues) == MAX_ISSUES_PER_FILE:
            self.issues.append(too_many(self.path, code, line, severity))
        elif severity == "error" and self.issues[-1].severity != "error":
            self.issues[-1] = replace(self.issues[-1], severity="error")  # an error was left out: the file still fails


MAX_ISSUES_PER_FILE = 100


def too_many(path: Path, code: str, line: int, severity: Severity) -> DeckIssue:
    """The last issue reported for a file with more than MAX_ISSUES_PER_FILE: the rest are not listed,
    but an error among them still makes this one an error (the file must still fail the check)."""
    return DeckIssue(code, f"more problems follow; only the first {MAX_ISSUES_PER_FILE} of a file are listed", path, line, severity)


def capped(issues: list[DeckIssue]) -> list[DeckIssue]:
    """At most MAX_ISSUES_PER_FILE issues of each file, then one that says more follow."""
    shown: dict[Path, int] = {}
    kept: list[DeckIssue] = []
    summary: dict[Path, int] = {}
    for issue in issues:
        count = shown.get(issue.path, 0)
        shown[issue.path] = count + 1
        if count < MAX_ISSUES_PER_FILE:
            kept.append(issue)
        elif count == MAX_ISSUES_PER_FILE:
            summary[issue.path] = len(kept)
            kept.append(too_many(issue.path, issue.code, issue.line, issue.severity))
        elif issue.severity == "error":
            kept[summary[issue.path]] = replace(kept[summary[issue.path]], severity="error")
    return kept


def shown(value: Any, limit: int = 60) -> str:
    """repr() of a value for a message, cut short: a message never grows with the input."""
    text = repr(value)
    return text if len(text) <= limit else text[:limit] + "…"
