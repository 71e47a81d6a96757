"""The metadata lines that close a card (`Source:`, `Tags:`, `Reverse:`, `Replaces:`) and the
syntax of the values they share with front matter: ids and tags."""

from __future__ import annotations

import re
from dataclasses import dataclass

from hcflash.issue_codes import BAD_METADATA, MISSING_SOURCE, IssueList

ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
ID_MAX = 80
TAG_RE = re.compile(r"^[A-Za-z0-9_.:-]+$")
META_LINE_RE = re.compile(r"^(source|sources|tags|reverse|replaces):(.*)$", re.I)


def split_words(value: str) -> list[str]:
    return [v for v in re.split(r"[,\s]+", value.strip()) if v]


@dataclass
class CardMeta:
    sources: list[str]
    tags: list[str]
    reverse: bool | None
    replaces: list[str]


def metadata_lines(paragraph: str) -> list[tuple[int, str, str]] | None:
    """(offset, key, value) for a metadata paragraph, or None if it is ordinary answer text.

    A paragraph is metadata when its first line is `Key: value` with a known key; later lines
    either start another key or continue the previous value (long sources wrap).
    """
    lines = paragraph.split("\n")
    first = META_LINE_RE.match(lines[0].strip())
    if not first:
        return None
    entries: list[tuple[int, str, str]] = []
    for offset, raw in enumerate(lines):
        text = raw.strip()
        m = META_LINE_RE.match(text)
        if m:
            entries.append((offset, m.group(1).lower(), m.group(2).strip()))
        else:
            off, key, value = entries[-1]
            entries[-1] = (off, key, f"{value} {text}".strip())
    return entries


def parse_meta(entries: list[tuple[int, str, str]], first_line: int, out: IssueList, meta: CardMeta) -> None:
    for offset, key, value in entries:
        line = first_line + offset
        if key in ("source", "sources"):
            parts = [p.strip() for p in re.split(r";\s+", value) if p.strip()]
            if not parts:
                out.add(MISSING_SOURCE, "empty Source: line", line)
            meta.sources.extend(parts)
        elif key == "tags":
            for tag in split_words(value):
                if TAG_RE.match(tag):
                    meta.tags.append(tag)
                else:
                    out.add(BAD_METADATA, f"tag {tag!r} may hold only letters, digits and _ . : -", line)
        elif key == "reverse":
            lowered = value.lower()
            if lowered in ("yes", "true"):
                meta.reverse = True
            elif lowered in ("no", "false"):
                meta.reverse = False
            else:
                out.add(BAD_METADATA, f"Reverse: takes yes or no, not {value!r}", line)
        elif key == "replaces":
            for old in split_words(value):
                if ID_RE.match(old):
                    meta.replaces.append(old)
                else:
                    out.add(BAD_METADATA, f"Replaces: {old!r} is not a card id", line)
