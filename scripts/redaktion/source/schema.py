"""JSON Schemas for contribution and session front matter, ``paper.yml`` and ``members.yml``.

Generated from the ``*_FIELDS`` tables of :mod:`redaktion.model`, the same tables that
:mod:`redaktion.source.fields` validates against, so an editor (VS Code with the YAML extension,
the GitLab Web IDE) and ``redaktion check`` accept and reject the same files.

The schemas follow JSON Schema draft-07, which every YAML language server understands.
Two deliberate mirrors of ``check``'s behaviour:

* a field written without a value (``summary:``) counts as absent, so optional fields also
  accept ``null``;
* dates stay text (the loader never turns them into date objects): type ``string`` with
  a date pattern and ``format: date``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..model import (
    AUTHOR_FIELDS,
    COMMENT_FIELDS,
    STELLE_PATTERN,
    CONTRIBUTION_FIELDS,
    MEMBER_FIELDS,
    PAPER_FIELDS,
    PUBLISHER_FIELDS,
    VERSION_PATTERN,
    FieldSpec,
)
from ..model.sessions import SESSION_FIELDS

DRAFT = "http://json-schema.org/draft-07/schema#"
SCHEMA_DIR = "schemas"
NOT_BLANK = r"\S"
# Stricter than the model's DATE_PATTERN (months 01–12, days 01–31); ``format: date`` covers the rest.
ISO_DATE = r"^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$"
NAME_WITHOUT_EMAIL = r"^[^@]*[^@\s][^@]*$"
CLOCK_TIME = r"^([01]?\d|2[0-3]):[0-5]\d$"


def contribution_schema() -> dict[str, Any]:
    """Schema of a contribution's YAML front matter."""
    return _document("Kopfbereich eines Beitrags",
                     "Angaben zwischen den beiden „---“-Zeilen am Anfang einer Beitragsdatei "
                     "(contributions/PAPIER/MITGLIED--KURZNAME.md).",
                     _object(CONTRIBUTION_FIELDS))


def session_schema() -> dict[str, Any]:
    """Schema of a session's YAML front matter (``contributions/sitzungen/JJJJ-MM-TT-ort.md``)."""
    return _document("Kopfbereich einer Sitzung",
                     "Angaben zwischen den beiden „---“-Zeilen am Anfang einer Sitzungsdatei "
                     "(contributions/sitzungen/JJJJ-MM-TT-ORT.md); das Protokoll folgt darunter.",
                     _object(SESSION_FIELDS))


def paper_schema() -> dict[str, Any]:
    """Schema of ``contributions/<paper>/paper.yml``."""
    return _document("paper.yml eines Papiers",
                     "Titel, Gliederung, Stand und Versionen eines Papiers.",
                     _object(PAPER_FIELDS))


def members_schema() -> dict[str, Any]:
    """Schema of ``contributions/members.yml``: a list of members."""
    body = {"type": "array", "items": _object(MEMBER_FIELDS)}
    return _document("Mitgliederliste (members.yml)",
                     "Alle Mitglieder des Qualitätszirkels; Beiträge verweisen mit ihrem Kurznamen (id) darauf.",
                     body)


def publisher_schema() -> dict[str, Any]:
    """Schema of ``contributions/zirkel.yml``: who publishes the papers."""
    return _document("Herausgeber (zirkel.yml)",
                     "Name des Gremiums und der Geschäftsstelle, wie sie auf Titelseiten und der Website stehen.",
                     _object(PUBLISHER_FIELDS))


def comment_schema() -> dict[str, Any]:
    """Schema of a comment's front matter (``kommentare/<round>/<member>--<slug>.md``)."""
    return _document("Kopfbereich eines Kommentars",
                     "Angaben zwischen den beiden „---“-Zeilen am Anfang einer Kommentardatei "
                     "(contributions/PAPIER/kommentare/RUNDE/MITGLIED--KURZNAME.md).",
                     _object(COMMENT_FIELDS))


SCHEMAS = {
    "zirkel.schema.json": publisher_schema,
    "contribution.schema.json": contribution_schema,
    "paper.schema.json": paper_schema,
    "members.schema.json": members_schema,
    "sitzung.schema.json": session_schema,
    "comment.schema.json": comment_schema,
}


def schema_files() -> dict[str, str]:
    """File name → JSON text of every schema, exactly as committed under ``schemas/``."""
    return {name: dumps(build()) for name, build in SCHEMAS.items()}


def dumps(schema: dict[str, Any]) -> str:
    """Stable, readable JSON (UTF-8, no ASCII escapes) with a final newline."""
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"


def write_schemas(root: Path) -> list[Path]:
    """Write every schema below ``root/schemas``; return the files that changed."""
    changed = []
    folder = root / SCHEMA_DIR
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in schema_files().items():
        path = folder / name
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            changed.append(path)
    return changed


def stale_schemas(root: Path) -> list[Path]:
    """Schema files below ``root/schemas`` that are missing or differ from the model."""
    folder = root / SCHEMA_DIR
    return [folder / name for name, text in schema_files().items()
            if not (folder / name).exists() or (folder / name).read_text(encoding="utf-8") != text]


# --- building blocks ----------------------------------------------------------------------


def _document(title: str, description: str, body: dict[str, Any]) -> dict[str, Any]:
    return {"$schema": DRAFT, "title": title, "description": description, **body}


def _object(specs: tuple[FieldSpec, ...]) -> dict[str, Any]:
    schema: dict[str, Any] = {
        "type": "object",
        "properties": {spec.name: _field(spec) for spec in specs},
        "additionalProperties": False,
    }
    required = [spec.name for spec in specs if spec.required]
    if required:
        schema["required"] = required
    return schema


def _field(spec: FieldSpec) -> dict[str, Any]:
    schema = {"description": spec.doc, "markdownDescription": spec.doc, **_value(spec)}
    if spec.example is not None:
        schema["examples"] = [spec.example]
    if not spec.required:
        schema = _nullable(schema)
    return schema


def _value(spec: FieldSpec) -> dict[str, Any]:
    """The constraints of one field's value, mirroring ``fields._validate_value``."""
    if spec.type == "str":
        return _text(spec)
    if spec.type == "int":
        return {"type": "integer"}
    if spec.type == "bool":
        return {"type": "boolean"}
    if spec.type == "date":
        return {"type": "string", "pattern": ISO_DATE, "format": "date"}
    if spec.type == "time":
        # check also accepts an unquoted 10:30, which YAML 1.1 reads as minutes (630).
        return {"type": ["string", "integer"], "pattern": CLOCK_TIME, "minimum": 0, "maximum": 24 * 60 - 1}
    if spec.type == "list[str]":
        schema: dict[str, Any] = {"type": "array", "items": {"type": "string", "pattern": NOT_BLANK}}
        if spec.required:
            schema["minItems"] = 1
        return schema
    if spec.type == "authors":
        author = _object(AUTHOR_FIELDS)
        name = {"type": "string", "pattern": NAME_WITHOUT_EMAIL,
                "description": "Name (ohne E-Mail-Adresse; die gehört in „email:“)."}
        return {"type": "array", "items": {"anyOf": [name, author]}}
    if spec.type == "list[object]":
        return {"type": "array", "items": _object(spec.items)}
    if spec.type == "object":
        return _object(spec.items)
    raise ValueError(f"unknown field type {spec.type!r} of {spec.name!r}")


def _text(spec: FieldSpec) -> dict[str, Any]:
    if spec.enum:
        return {"type": "string", "enum": list(spec.enum)}
    if spec.pattern == STELLE_PATTERN:
        # check also accepts a line number written as a plain number (stelle: 120).
        return {"type": ["string", "integer"], "pattern": spec.pattern}
    if spec.pattern == VERSION_PATTERN:
        # check also accepts a version written as an unquoted number (number: 1.0).
        return {"type": ["string", "number"], "pattern": spec.pattern}
    if spec.pattern:
        return {"type": "string", "pattern": spec.pattern}
    return {"type": "string", "pattern": NOT_BLANK}


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    schema = dict(schema)
    kind = schema.get("type")
    if isinstance(kind, list):
        schema["type"] = [*kind, "null"]
    elif kind is not None:
        schema["type"] = [kind, "null"]
    if "enum" in schema:
        schema["enum"] = [*schema["enum"], None]
    return schema

