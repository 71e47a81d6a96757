"""The metadata lines that close a card (`Source:`, `Tags:`, `Reverse:`, `Replaces:`, and the
provenance lines `Verified:`, `Spec:`, `Valid-from:`, `Valid-until:`, `Change:`) and the syntax of
the values they share with front matter: ids, tags, dates and specification versions."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from hcflash.issue_codes import BAD_CHANGE, BAD_METADATA, BAD_SPEC, BAD_VALIDITY, BAD_VERIFIED, MISSING_SOURCE, IssueList, shown
from hcflash.records import CardChange, SpecRef

ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
ID_MAX = 80
TAG_RE = re.compile(r"^[A-Za-z0-9_.:-]+$")
META_LINE_RE = re.compile(r"^(source|sources|tags|reverse|replaces|verified|spec|valid-from|valid-until|change):(.*)$", re.I)
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
VERSION_RE = re.compile(r"^[Rr]?[Vv]?\d[\w.-]*$")
CHANGE_RE = re.compile(r"^(?P<kind>fact|wording)\s+(?P<on>\S+)(?:\s+(?P<reason>.*))?$", re.I)


def split_words(value: str) -> list[str]:
    return [v for v in re.split(r"[,\s]+", value.strip()) if v]


def parse_date(text: str) -> date | None:
    """An ISO calendar date (`2026-11-20`), or None when the text is not one."""
    if not DATE_RE.match(text):
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def parse_spec(text: str) -> SpecRef | None:
    """`mCSD 4.0.0`, `FHIR R4 4.0.1`, `C-CDA R2.1 (pinned)`: the name, then the version as the last word.
    Split by hand, not by one backtracking pattern: the time grows with the length, whatever it holds."""
    text = text.strip()
    pinned = False
    head, _, tail = text.rpartition("(")
    if tail == "pinned)" and head[-1:].isspace():
        text, pinned = head.rstrip(), True
    parts = text.rsplit(None, 1)
    if len(parts) != 2 or not VERSION_RE.match(parts[1]):
        return None
    return SpecRef(parts[0].strip(), parts[1], pinned)


@dataclass
class CardMeta:
    sources: list[str]
    tags: list[str]
    reverse: bool | None
    replaces: list[str]
    verified: date | None = None
    specs: list[SpecRef] = field(default_factory=list)
    valid_from: date | None = None
    valid_until: date | None = None
    change: CardChange | None = None


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
                    out.add(BAD_METADATA, f"tag {shown(tag)} may hold only letters, digits and _ . : -", line)
        elif key == "reverse":
            lowered = value.lower()
            if lowered in ("yes", "true"):
                meta.reverse = True
            elif lowered in ("no", "false"):
                meta.reverse = False
            else:
                out.add(BAD_METADATA, f"Reverse: takes yes or no, not {shown(value)}", line)
        elif key == "replaces":
            for old in split_words(value):
                if ID_RE.match(old):
                    meta.replaces.append(old)
                else:
                    out.add(BAD_METADATA, f"Replaces: {shown(old)} is not a card id", line)
        elif key == "verified":
            meta.verified = _date_value(value, "Verified:", BAD_VERIFIED, line, out)
        elif key == "spec":
            for part in (p.strip() for p in value.split(";")):
                spec = parse_spec(part)
                if spec is None:
                    out.add(BAD_SPEC, f"Spec: {shown(part)} must be a name and a version, like 'mCSD 4.0.0' or 'FHIR R4 4.0.1'", line)
                else:
                    meta.specs.append(spec)
        elif key in ("valid-from", "valid-until"):
            moment = _date_value(value, "Valid-from:" if key == "valid-from" else "Valid-until:", BAD_VALIDITY, line, out)
            setattr(meta, key.replace("-", "_"), moment)
            if meta.valid_from and meta.valid_until and meta.valid_until < meta.valid_from:
                out.add(BAD_VALIDITY, f"Valid-until: {meta.valid_until} is before Valid-from: {meta.valid_from}", line)
        elif key == "change":
            meta.change = _change_value(value, line, out)


def _date_value(value: str, label: str, code: str, line: int, out: IssueList) -> date | None:
    parsed = parse_date(value)
    if parsed is None:
        out.add(code, f"{label} {shown(value)} is not a date written as YYYY-MM-DD", line)
    return parsed


def _change_value(value: str, line: int, out: IssueList) -> CardChange | None:
    m = CHANGE_RE.match(value)
    on = parse_date(m.group("on")) if m else None
    if m is None or on is None:
        out.add(BAD_CHANGE, f"Change: {shown(value)} must be 'fact YYYY-MM-DD reason' or 'wording YYYY-MM-DD'", line)
        return None
    kind = m.group("kind").lower()
    reason = (m.group("reason") or "").strip()
    if kind == "fact" and not reason:
        out.add(BAD_CHANGE, "Change: fact needs a reason after the date (what changed in the rule or specification)", line)
        return None
    return CardChange(kind, on, reason)  # type: ignore[arg-type]
