"""The field reference of the contributor guide, generated from :data:`model.CONTRIBUTION_FIELDS`.

``docs/mitmachen.md`` holds a marked region::

    <!-- felder:start -->
    | Feld | … |
    <!-- felder:end -->

``redaktion schema`` rewrites it, and a test fails when it is out of date, so the guide
cannot drift from what ``redaktion check`` accepts.
"""

from __future__ import annotations

from pathlib import Path

from .model import COMMENT_FIELDS, CONTRIBUTION_FIELDS, FieldSpec

GUIDE = Path("docs") / "mitmachen.md"
START = "<!-- felder:start -->"
END = "<!-- felder:end -->"

_TYPE_LABELS = {
    "str": "Text",
    "int": "ganze Zahl",
    "bool": "true oder false",
    "date": "Datum (JJJJ-MM-TT)",
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


def _rows(specs: tuple[FieldSpec, ...], prefix: str) -> list[str]:
    """One row per field; the fields of an ``object`` follow it as ``parent.child``."""
    rows = []
    for spec in specs:
        name = prefix + spec.name
        required = "ja" if spec.required else "nein"
        if prefix and spec.required:
            required = f"ja, wenn `{prefix[:-1]}` angegeben"
        rows.append(f"| `{name}` | {required} | {_cell(spec.doc)} | {_form(spec)} |")
        if spec.type == "object":
            rows += _rows(spec.items, name + ".")
    return rows


def update_region(text: str, table: str) -> str:
    """Replace everything between the markers in ``text`` with ``table``."""
    start, end = text.find(START), text.find(END)
    if start < 0 or end < start:
        raise MissingRegion(f"Die Markierungen {START} und {END} fehlen.")
    return text[: start + len(START)] + "\n" + table + text[end:]


# A second, optional region: the fields of a comment (consultation rounds).
COMMENT_START = "<!-- kommentarfelder:start -->"
COMMENT_END = "<!-- kommentarfelder:end -->"


def _update_comment_region(text: str) -> str:
    start, end = text.find(COMMENT_START), text.find(COMMENT_END)
    if start < 0 or end < start:
        return text
    return text[: start + len(COMMENT_START)] + "\n" + field_table(COMMENT_FIELDS) + text[end:]


def update_guide(root: Path) -> Path | None:
    """Rewrite the field table in ``root/docs/mitmachen.md``; return the path if it changed."""
    path = root / GUIDE
    if not path.exists():
        return None
    text = path.read_text(encoding="utf-8")
    updated = _update_comment_region(update_region(text, field_table()))
    if updated == text:
        return None
    path.write_text(updated, encoding="utf-8")
    return path


def guide_is_current(root: Path) -> bool:
    """True when the guide's field table matches the model (or there is no guide)."""
    path = root / GUIDE
    if not path.exists():
        return True
    text = path.read_text(encoding="utf-8")
    return _update_comment_region(update_region(text, field_table())) == text


def _form(spec: FieldSpec) -> str:
    if spec.enum:
        return ", ".join(f"`{value}`" for value in spec.enum)
    form = _TYPE_LABELS.get(spec.type, spec.type)
    if spec.type == "str" and spec.pattern.startswith("^[a-z0-9]"):
        form = "Kurzname (a–z, 0–9, Bindestrich)"
    return form


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")
