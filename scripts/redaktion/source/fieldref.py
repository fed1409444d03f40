"""The field references of the guides, generated from the model's field tables.

``docs/mitmachen.md`` holds a marked region for :data:`model.CONTRIBUTION_FIELDS`::

    <!-- felder:start -->
    | Feld | … |
    <!-- felder:end -->

and ``docs/sitzungen-anleitung.md`` one for the session fields (``sitzung-felder``).
``redaktion schema`` rewrites them, and a test fails when one is out of date, so the guides
cannot drift from what ``redaktion check`` accepts.
"""

from __future__ import annotations

from pathlib import Path

from ..model import COMMENT_FIELDS, CONTRIBUTION_FIELDS, FieldSpec
from ..model.sessions import SESSION_FIELDS

GUIDE = Path("docs") / "mitmachen.md"
START = "<!-- felder:start -->"
END = "<!-- felder:end -->"
SESSION_GUIDE = Path("docs") / "sitzungen-anleitung.md"
SESSION_START = "<!-- sitzung-felder:start -->"
SESSION_END = "<!-- sitzung-felder:end -->"
# (guide, fields, start marker, end marker) of every generated field table
GUIDES = ((GUIDE, CONTRIBUTION_FIELDS, START, END), (SESSION_GUIDE, SESSION_FIELDS, SESSION_START, SESSION_END))

_TYPE_LABELS = {
    "str": "Text",
    "int": "ganze Zahl",
    "bool": "true oder false",
    "date": "Datum (JJJJ-MM-TT)",
    "time": "Uhrzeit (SS:MM)",
    "list[str]": "Liste",
    "list[object]": "Liste von Einträgen",
    "authors": "Liste von Namen",
    "object": "eingerückte Angaben (siehe folgende Zeilen)",
}


class MissingRegion(ValueError):
    """The guide lacks the ``felder:start``/``felder:end`` markers."""


def field_table(specs: tuple[FieldSpec, ...] = CONTRIBUTION_FIELDS) -> str:
    """A Markdown table: field, required, meaning, allowed values."""
    rows = ["| Feld | Pflicht | Bedeutung | Form und erlaubte Werte |",
            "| --- | --- | --- | --- |"]
    rows += _rows(specs, "")
    return "\n".join(rows) + "\n"


def _rows(specs: tuple[FieldSpec, ...], prefix: str, list_parent: bool = False) -> list[str]:
    """One row per field; the fields of an ``object`` (or of a list's entries) follow it as ``parent.child``."""
    rows = []
    for spec in specs:
        name = prefix + spec.name
        required = "ja" if spec.required else "nein"
        if prefix and spec.required:
            required = f"ja, je Eintrag von `{prefix[:-1]}`" if list_parent else f"ja, wenn `{prefix[:-1]}` angegeben"
        rows.append(f"| `{name}` | {required} | {_cell(spec.doc)} | {_form(spec)} |")
        if spec.type in ("object", "list[object]"):
            rows += _rows(spec.items, name + ".", spec.type == "list[object]")
    return rows


def update_region(text: str, table: str, start_marker: str = START, end_marker: str = END) -> str:
    """Replace everything between the markers in ``text`` with ``table``."""
    start, end = text.find(start_marker), text.find(end_marker)
    if start < 0 or end < start:
        raise MissingRegion(f"Die Markierungen {start_marker} und {end_marker} fehlen.")
    return text[: start + len(start_marker)] + "\n" + table + text[end:]


# A second, optional region: the fields of a comment (consultation rounds).
COMMENT_START = "<!-- kommentarfelder:start -->"
COMMENT_END = "<!-- kommentarfelder:end -->"


def _update_comment_region(text: str) -> str:
    start, end = text.find(COMMENT_START), text.find(COMMENT_END)
    if start < 0 or end < start:
        return text
    return text[: start + len(COMMENT_START)] + "\n" + field_table(COMMENT_FIELDS) + text[end:]


def update_guide(root: Path, guide: Path = GUIDE, specs: tuple[FieldSpec, ...] = CONTRIBUTION_FIELDS,
                 start: str = START, end: str = END) -> Path | None:
    """Rewrite the field table in ``root/guide`` (default: the contributor guide); return the path if it changed."""
    path = root / guide
    if not path.exists():
        return None
    text = path.read_text(encoding="utf-8")
    updated = _update_comment_region(update_region(text, field_table(specs), start, end))
    if updated == text:
        return None
    path.write_text(updated, encoding="utf-8")
    return path


def guide_is_current(root: Path, guide: Path = GUIDE, specs: tuple[FieldSpec, ...] = CONTRIBUTION_FIELDS,
                     start: str = START, end: str = END) -> bool:
    """True when the guide's field table matches the model (or there is no such guide)."""
    path = root / guide
    if not path.exists():
        return True
    text = path.read_text(encoding="utf-8")
    return _update_comment_region(update_region(text, field_table(specs), start, end)) == text


def _form(spec: FieldSpec) -> str:
    if spec.enum:
        return ", ".join(f"`{value}`" for value in spec.enum)
    form = _TYPE_LABELS.get(spec.type, spec.type)
    if spec.type == "str" and spec.pattern.startswith("^[a-z0-9]"):
        form = "Kurzname (a–z, 0–9, Bindestrich)"
    return form


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")
