"""A deck file's front matter: safe YAML with unique keys, turned into a `DeckHeader`."""

from __future__ import annotations

from typing import Any

import yaml

from hcflash.card_meta import ID_RE, TAG_RE, parse_spec, split_words
from hcflash.issue_codes import BAD_FRONT_MATTER, BAD_FRONT_MATTER_KEY, IssueList, shown
from hcflash.records import DeckHeader, SpecRef

FRONT_MATTER_KEYS = {"deck", "id-prefix", "tags", "reverse", "description", "specs", "require-verified"}


MAX_FRONT_MATTER_CHARS = 64 * 1024
MAX_PREFIX_CHARS = 70  # an id is at most 80 characters: the prefix leaves room for words and a -N
MAX_YAML_DEPTH = 20


class _UniqueKeyLoader(yaml.SafeLoader):
    """Safe YAML for front matter: no tags beyond the safe ones, no anchors or aliases (an alias
    bomb grows a few lines into gigabytes), keys that are plain words and unique, and nesting at
    most MAX_YAML_DEPTH deep (deeper recursion would exhaust Python's stack)."""

    _depth = 0

    def compose_node(self, parent, index):  # noqa: ANN001, ANN201 - PyYAML's signature
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            raise yaml.composer.ComposerError(None, None, "front matter may not use YAML anchors or aliases (& or *)", event.start_mark)
        self._depth += 1
        try:
            if self._depth > MAX_YAML_DEPTH:
                raise yaml.composer.ComposerError(None, None, f"front matter is nested more than {MAX_YAML_DEPTH} levels deep", event.start_mark)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def _construct_mapping(loader: _UniqueKeyLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    seen: set[Any] = set()
    for key_node, _value in node.value:
        if not isinstance(key_node, yaml.ScalarNode):
            raise yaml.constructor.ConstructorError(None, None, "a front matter key must be a plain word", key_node.start_mark)
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {shown(key)}", key_node.start_mark
            )
        seen.add(key)
    return loader.construct_mapping(node, deep=deep)


_UniqueKeyLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping
)


def parse_front_matter(content: str | None, default_name: str, out: IssueList) -> DeckHeader:
    if content is None:
        return DeckHeader(name=default_name)
    if len(content) > MAX_FRONT_MATTER_CHARS:
        out.add(BAD_FRONT_MATTER, f"front matter is {len(content):,} characters long; at most {MAX_FRONT_MATTER_CHARS:,}", 1)
        return DeckHeader(name=default_name)
    try:
        data = yaml.load(content, Loader=_UniqueKeyLoader)  # noqa: S506 - SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line + 2) if mark is not None else 1
        out.add(BAD_FRONT_MATTER, f"front matter is not valid YAML: {exc.problem or exc}", line)
        return DeckHeader(name=default_name)
    except (yaml.YAMLError, RecursionError) as exc:
        out.add(BAD_FRONT_MATTER, f"front matter is not valid YAML: {str(exc)[:200]}", 1)
        return DeckHeader(name=default_name)
    if data is None:
        return DeckHeader(name=default_name)
    if not isinstance(data, dict):
        out.add(BAD_FRONT_MATTER, "front matter must be a mapping of keys to values", 2)
        return DeckHeader(name=default_name)

    first_lines: dict[str, int] = {}
    for i, text in enumerate(content.split("\n")):
        first_lines.setdefault(text.split(":", 1)[0].strip(), i + 2)

    def line_of(key: str) -> int:
        return first_lines.get(key, 1)

    for key in data:
        if key not in FRONT_MATTER_KEYS:
            known = ", ".join(sorted(FRONT_MATTER_KEYS))
            out.add(BAD_FRONT_MATTER_KEY, f"unknown front matter key {shown(key)} (known: {known})", line_of(str(key)))

    name = data.get("deck", default_name)
    if not isinstance(name, str) or not name.strip() or any(not p.strip() for p in name.split("::")):
        out.add(BAD_FRONT_MATTER_KEY, f"'deck' must be a name like 'Parent::Child', not {shown(name)}", line_of("deck"))
        name = default_name
    name = "::".join(p.strip() for p in name.split("::"))

    prefix = data.get("id-prefix")
    if prefix is not None and (not isinstance(prefix, str) or not ID_RE.match(prefix)):
        out.add(BAD_FRONT_MATTER_KEY, f"'id-prefix' must be lowercase words joined by hyphens, not {shown(prefix)}", line_of("id-prefix"))
        prefix = None
    elif prefix is not None and len(prefix) > MAX_PREFIX_CHARS:
        message = f"'id-prefix' is {len(prefix)} characters; at most {MAX_PREFIX_CHARS}, to leave room for ids"
        out.add(BAD_FRONT_MATTER_KEY, message, line_of("id-prefix"))
        prefix = None

    raw_tags = data.get("tags", [])
    tags: list[str] = []
    if isinstance(raw_tags, str):
        tags = split_words(raw_tags)
    elif isinstance(raw_tags, list) and all(isinstance(t, str) for t in raw_tags):
        tags = [t.strip() for t in raw_tags if t.strip()]
    else:
        out.add(BAD_FRONT_MATTER_KEY, "'tags' must be a list of words or a comma-separated string", line_of("tags"))
    for tag in tags:
        if not TAG_RE.match(tag):
            out.add(BAD_FRONT_MATTER_KEY, f"tag {shown(tag)} may hold only letters, digits and _ . : -", line_of("tags"))
    tags = [t for t in tags if TAG_RE.match(t)]

    reverse = data.get("reverse", False)
    if not isinstance(reverse, bool):
        out.add(BAD_FRONT_MATTER_KEY, f"'reverse' must be true or false, not {shown(reverse)}", line_of("reverse"))
        reverse = False

    description = data.get("description", "")
    if not isinstance(description, str):
        out.add(BAD_FRONT_MATTER_KEY, "'description' must be text", line_of("description"))
        description = ""

    require_verified = data.get("require-verified", False)
    if not isinstance(require_verified, bool):
        out.add(BAD_FRONT_MATTER_KEY, f"'require-verified' must be true or false, not {shown(require_verified)}", line_of("require-verified"))
        require_verified = False

    return DeckHeader(
        name=name, id_prefix=prefix, tags=tuple(tags), reverse=reverse, description=description,
        specs=_specs(data.get("specs", {}), out, line_of("specs")), require_verified=require_verified,
    )


def _specs(raw: Any, out: IssueList, line: int) -> tuple[SpecRef, ...]:
    """`specs:` maps each specification the deck cites to its current version (`mCSD: 4.0.0`)."""
    if not isinstance(raw, dict):
        out.add(BAD_FRONT_MATTER_KEY, "'specs' must map specification names to versions, like 'mCSD: 4.0.0'", line)
        return ()
    found: list[SpecRef] = []
    for name, version in raw.items():
        # YAML reads 2.1 as a number: accept it, but a version is text (quote it to keep trailing zeros).
        spec = parse_spec(f"{name} {version}") if isinstance(name, str) and isinstance(version, str | int | float) else None
        if spec is None or spec.pinned:
            out.add(BAD_FRONT_MATTER_KEY, f"'specs' entry {shown(name)}: {shown(version)} is not a name and a version", line)
        else:
            found.append(spec)
    return tuple(found)
