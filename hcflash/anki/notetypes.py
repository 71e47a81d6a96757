"""hcflash's two Anki note types, with ids, fields and templates frozen so that every export and every
sync names the same note types and Anki updates notes in place instead of reporting conflicts.

Each note type carries a version (`hcflashVersion` in its JSON): a sync changes a learner's note type
only when hcflash's templates are newer than that version, and even then keeps the learner's styling
unless it is still a stylesheet hcflash shipped. Exports give the note types a modification time fixed
per version, so re-importing a newer `.apkg` does not overwrite CSS the learner changed either.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

# Frozen: Anki treats a changed field list under the same id as a conflicting note type.
BASIC_MODEL_ID = 1_755_000_000_001
CLOZE_MODEL_ID = 1_755_000_000_002
BASIC_MODEL_NAME = "hcflash Basic"
CLOZE_MODEL_NAME = "hcflash Cloze"
BASIC_FIELDS = ("Front", "Back", "Source", "Id", "Reverse")
CLOZE_FIELDS = ("Text", "Extra", "Source", "Id")

VERSION_KEY = "hcflashVersion"
NOTETYPE_VERSION = 1  # bump when the templates or the stylesheet below change
NOTETYPE_MTIME = 1_755_000_000  # moves with the version; Anki's importer replaces only newer note types

CSS = """.card { font-family: sans-serif; font-size: 20px; text-align: left; color: black; background: white; }
.nightMode .card { color: #eee; background: #222; }
.source { margin-top: 1.5em; font-size: 0.7em; opacity: 0.75; }
table { border-collapse: collapse; } th, td { border: 1px solid #888; padding: 0.2em 0.5em; }
.cloze { font-weight: bold; color: #0a5fb4; } .nightMode .cloze { color: #6cb4ff; }"""
SHIPPED_CSS = frozenset({CSS})  # every stylesheet any version shipped: one of these is not the learner's own
SOURCE_HTML = '<div class="source">{{Source}}</div>'

TEMPLATES: dict[int, list[tuple[str, str, str]]] = {
    BASIC_MODEL_ID: [
        ("Card 1", "{{Front}}", "{{FrontSide}}<hr id=answer>{{Back}}" + SOURCE_HTML),
        ("Card 2", "{{#Reverse}}{{Back}}{{/Reverse}}", "{{FrontSide}}<hr id=answer>{{Front}}" + SOURCE_HTML),
    ],
    CLOZE_MODEL_ID: [("Cloze", "{{cloze:Text}}", "{{cloze:Text}}<br>{{Extra}}" + SOURCE_HTML)],
}
_SHAPES: dict[int, tuple[str, Sequence[str], bool]] = {
    BASIC_MODEL_ID: (BASIC_MODEL_NAME, BASIC_FIELDS, False),
    CLOZE_MODEL_ID: (CLOZE_MODEL_NAME, CLOZE_FIELDS, True),
}


def _notetype_dict(col: Any, model_id: int) -> dict[str, Any]:  # noqa: ANN401 - an anki Collection
    name, fields, cloze = _SHAPES[model_id]
    models = col.models
    model = models.new(name)
    if cloze:
        model["type"] = 1
    for field in fields:
        models.add_field(model, models.new_field(field))
    for template_name, qfmt, afmt in TEMPLATES[model_id]:
        template = models.new_template(template_name)
        template["qfmt"], template["afmt"] = qfmt, afmt
        models.add_template(model, template)
    # Fixed ids for the type, its fields and templates: Anki compares them to decide whether an
    # incoming note type is the one it already has; random ids would make every re-import a conflict.
    model["id"] = model_id
    for index, field in enumerate(model["flds"]):
        field["id"] = model_id * 100 + index
    for index, template in enumerate(model["tmpls"]):
        template["id"] = model_id * 100 + 50 + index
    model["css"] = CSS
    model[VERSION_KEY] = NOTETYPE_VERSION
    model["mod"] = NOTETYPE_MTIME
    model["usn"] = -1  # new to AnkiWeb: its next sync uploads it
    return model


def _add(col: Any, model: dict[str, Any]) -> None:  # noqa: ANN401
    from anki.utils import to_json_bytes

    # Anki's own "add with this id" (what its importer uses): the fixed ids and times are kept.
    col._backend.add_or_update_notetype(json=to_json_bytes(model), preserve_usn_and_mtime=True, skip_checks=False)


def create_notetypes(col: Any) -> None:  # noqa: ANN401
    for model_id in _SHAPES:
        _add(col, _notetype_dict(col, model_id))


def sync_notetypes(col: Any, versions: Mapping[int, int]) -> list[str]:  # noqa: ANN401
    """Add hcflash's note types a collection lacks and bring older versions up to this one; `versions`
    holds the version of each one present. Returns the names of the note types added or changed."""
    changed = []
    for model_id, (name, _, _) in _SHAPES.items():
        if model_id not in versions:
            _add(col, _notetype_dict(col, model_id))
            changed.append(name)
        elif versions[model_id] < NOTETYPE_VERSION:
            model = col.models.get(model_id)
            for template, (_, qfmt, afmt) in zip(model["tmpls"], TEMPLATES[model_id], strict=False):
                template["qfmt"], template["afmt"] = qfmt, afmt
            if model.get("css", "") in SHIPPED_CSS:
                model["css"] = CSS
            model[VERSION_KEY] = NOTETYPE_VERSION
            col.models.update_dict(model)
            changed.append(model["name"])
    return changed


def outdated_notetypes(versions: Mapping[int, int]) -> tuple[str, ...]:
    """Names of hcflash's note types that a collection lacks or holds in an older version."""
    return tuple(name for model_id, (name, _, _) in _SHAPES.items() if versions.get(model_id, 0) < NOTETYPE_VERSION)


def needs_sync(versions: Mapping[int, int]) -> bool:
    return bool(outdated_notetypes(versions))
