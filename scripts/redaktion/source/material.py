"""Working material (Arbeitsmaterialien) of papers and sessions: from YAML to the model, and its files.

The list under ``material:`` (in ``paper.yml`` or a session's front matter) has already been
validated against :data:`~redaktion.model.MATERIAL_FIELDS`; file types, sizes and references
are checked by :mod:`redaktion.check.sessions`.
"""

from __future__ import annotations

from ..model import Material, Position

# Accepted file types: the formats the circle exchanges (slides, documents, tables).
MATERIAL_TYPES = {
    ".pdf": "PDF",
    ".odp": "ODP",
    ".pptx": "PPTX",
    ".docx": "DOCX",
    ".odt": "ODT",
    ".xlsx": "XLSX",
    ".ods": "ODS",
    ".csv": "CSV",
}
MAX_MATERIAL_BYTES = 20 * 1024 * 1024  # larger files belong on a file share, linked with `link:`
# What a file of each type starts with; OOXML and ODF files are ZIP archives.
SIGNATURES = {".pdf": b"%PDF-", ".odp": b"PK\x03\x04", ".pptx": b"PK\x03\x04", ".docx": b"PK\x03\x04",
              ".odt": b"PK\x03\x04", ".xlsx": b"PK\x03\x04", ".ods": b"PK\x03\x04"}


def material_list(items: object, folder: str) -> tuple[Material, ...]:
    """The validated ``material:`` entries as :class:`Material`; paths are relative to ``folder``."""
    if not isinstance(items, list):
        return ()
    return tuple(Material(
        title=" ".join(str(item["titel"]).split()),
        source=item["quelle"],
        license=item["lizenz"],
        public=item["oeffentlich"] == "ja",
        file=item.get("datei") or "",
        link=item.get("link") or "",
        description=" ".join(str(item.get("beschreibung") or "").split()),
        folder=folder,
        position=getattr(item, "position", Position()),
        positions=dict(getattr(item, "positions", {})),
    ) for item in items if isinstance(item, dict))


def type_label(material: Material) -> str:
    """„PDF“, „CSV“ … for a file, „Link“ for a link."""
    if material.link:
        return "Link"
    suffix = "." + material.file.rsplit(".", 1)[-1].lower() if "." in material.file else ""
    return MATERIAL_TYPES.get(suffix, suffix.lstrip(".").upper())
