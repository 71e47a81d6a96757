"""hcflash's two Anki note types, with ids, fields and templates frozen so that every export names
the same note types and Anki updates notes in place instead of reporting conflicts."""

from __future__ import annotations

from collections.abc import Sequence

# Frozen: Anki treats a changed field list under the same id as a conflicting note type.
BASIC_MODEL_ID = 1_755_000_000_001
CLOZE_MODEL_ID = 1_755_000_000_002
BASIC_MODEL_NAME = "hcflash Basic"
CLOZE_MODEL_NAME = "hcflash Cloze"
BASIC_FIELDS = ("Front", "Back", "Source", "Id", "Reverse")
CLOZE_FIELDS = ("Text", "Extra", "Source", "Id")


CSS = """.card { font-family: sans-serif; font-size: 20px; text-align: left; color: black; background: white; }
.nightMode .card { color: #eee; background: #222; }
.source { margin-top: 1.5em; font-size: 0.7em; opacity: 0.75; }
table { border-collapse: collapse; } th, td { border: 1px solid #888; padding: 0.2em 0.5em; }
.cloze { font-weight: bold; color: #0a5fb4; } .nightMode .cloze { color: #6cb4ff; }"""
SOURCE_HTML = '<div class="source">{{Source}}</div>'


def _add_notetype(col, name: str, fields: Sequence[str], templates: list[tuple[str, str, str]], model_id: int, cloze: bool) -> None:  # noqa: ANN001
    models = col.models
    model = models.new(name)
    if cloze:
        model["type"] = 1
    for field in fields:
        models.add_field(model, models.new_field(field))
    for template_name, qfmt, afmt in templates:
        template = models.new_template(template_name)
        template["qfmt"], template["afmt"] = qfmt, afmt
        models.add_template(model, template)
    model["css"] = CSS
    # Fixed field and template ids too: Anki compares them to decide whether an incoming note type is
    # the one it already has; random ids would make every re-import a "conflicting" note type.
    for index, field in enumerate(model["flds"]):
        field["id"] = model_id * 100 + index
    for index, template in enumerate(model["tmpls"]):
        template["id"] = model_id * 100 + 50 + index
    added = models.add_dict(model)
    # Anki assigns ids on add; give the type its fixed id so every export names the same note type.
    for table, column in (("notetypes", "id"), ("fields", "ntid"), ("templates", "ntid")):
        col.db.execute(f"UPDATE {table} SET {column} = ? WHERE {column} = ?", model_id, added.id)


def create_notetypes(col) -> None:  # noqa: ANN001
    _add_notetype(
        col, BASIC_MODEL_NAME, BASIC_FIELDS,
        [
            ("Card 1", "{{Front}}", "{{FrontSide}}<hr id=answer>{{Back}}" + SOURCE_HTML),
            ("Card 2", "{{#Reverse}}{{Back}}{{/Reverse}}", "{{FrontSide}}<hr id=answer>{{Front}}" + SOURCE_HTML),
        ],
        BASIC_MODEL_ID, cloze=False,
    )
    _add_notetype(
        col, CLOZE_MODEL_NAME, CLOZE_FIELDS,
        [("Cloze", "{{cloze:Text}}", "{{cloze:Text}}<br>{{Extra}}" + SOURCE_HTML)],
        CLOZE_MODEL_ID, cloze=True,
    )
