"""Look inside a DOCX or ODT file (both are ZIP archives of XML) for what pandoc does not carry over.

Pandoc reads the text, but colours, text boxes, headers and footers, charts and embedded
objects are lost or moved without notice. This scan counts them so the importer can say so.
Comments and tracked changes of DOCX files are reported from the AST (see ``docast``).
"""

from __future__ import annotations

import html
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

_DOCX_PATTERNS = {
    "colours": re.compile(r'<w:color w:val="(?!auto|000000)[0-9A-Fa-f]{6}"|<w:highlight w:val="(?!none)'),
    "text_boxes": re.compile(r"<w:txbxContent\b"),
    "charts": re.compile(r"<c:chart\b|<dgm:relIds\b"),
    "objects": re.compile(r"<w:object\b|<o:OLEObject\b"),
    "toc": re.compile(r"<w:instrText[^>]*>\s*TOC\b"),
}
_ODT_PATTERNS = {
    "colours": re.compile(r'fo:color="#(?!000000)|fo:background-color="#'),
    "text_boxes": re.compile(r"<draw:text-box\b"),
    "charts": re.compile(r"<draw:object\b"),
    "objects": re.compile(r"<draw:object-ole\b"),
    "toc": re.compile(r"<text:table-of-content\b"),
    "comments": re.compile(r"<office:annotation\b"),
    "changes": re.compile(r"<text:changed-region\b"),
}
# Text with at least one letter: page numbers alone are not worth a warning.
_TEXT_RUN = re.compile(r"<w:t(?:\s[^>]*)?>[^<]*[^\W\d_][^<]*</w:t>")
_ODT_HEADER = re.compile(r"<style:(header|footer)>(.*?)</style:\1>", re.DOTALL)
_ODT_PAGE_FIELD = re.compile(r"<text:page-(number|count)\b.*?</text:page-\1>", re.DOTALL)
_ODT_FRAME = re.compile(r"<draw:frame\b.*?</draw:frame>", re.DOTALL)


@dataclass(frozen=True)
class PackageScan:
    """Counts of content that the conversion loses or may misplace."""

    colours: int = 0
    text_boxes: int = 0
    charts: int = 0
    objects: int = 0
    toc: int = 0
    headers_footers: bool = False
    comments: int = 0  # ODT only; DOCX comments come from the AST
    changes: int = 0  # ODT only


class BrokenDocument(ValueError):
    """The file is not a readable DOCX/ODT archive."""


def scan(path: Path) -> PackageScan:
    """Count lossy features of a DOCX or ODT file."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()

            def read(name: str) -> str:
                return archive.read(name).decode("utf-8", "replace") if name in names else ""

            if path.suffix.lower() == ".odt":
                return _scan_odt(read("content.xml"), read("styles.xml"))
            headers = [read(n) for n in names if re.fullmatch(r"word/(header|footer)\d*\.xml", n)]
            return _scan_docx(read("word/document.xml"), headers)
    except (zipfile.BadZipFile, OSError) as error:
        raise BrokenDocument(str(error)) from error


def _scan_docx(document: str, headers: list[str]) -> PackageScan:
    counts = {name: len(pattern.findall(document)) for name, pattern in _DOCX_PATTERNS.items()}
    # A text box is stored twice (DrawingML plus a VML fallback); count it once.
    if "<mc:Fallback" in document:
        counts["text_boxes"] = (counts["text_boxes"] + 1) // 2
    return PackageScan(**counts, headers_footers=any(_TEXT_RUN.search(h) for h in headers))


def _scan_odt(content: str, styles: str) -> PackageScan:
    counts = {name: len(pattern.findall(content)) for name, pattern in _ODT_PATTERNS.items()}
    has_header = any(re.search(r"[^\W\d_]", re.sub(r"<[^>]+>", "", _ODT_PAGE_FIELD.sub("", match.group(2))))
                     for match in _ODT_HEADER.finditer(styles))
    return PackageScan(**counts, headers_footers=has_header)


def odt_alt_texts(path: Path) -> dict[str, str]:
    """Image path inside an ODT (``Pictures/…``) → its alternative text (LibreOffice: title, else description).

    pandoc's ODT reader ignores both, so the importer fills them in.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            content = archive.read("content.xml").decode("utf-8", "replace")
    except (zipfile.BadZipFile, KeyError, OSError):
        return {}
    texts = {}
    for frame in _ODT_FRAME.findall(content):
        href = re.search(r'<draw:image\b[^>]*xlink:href="([^"]+)"', frame)
        alt = re.search(r"<svg:title>(.*?)</svg:title>", frame, re.DOTALL) or \
            re.search(r"<svg:desc>(.*?)</svg:desc>", frame, re.DOTALL)
        if href and alt:
            texts[href.group(1)] = html.unescape(re.sub(r"<[^>]+>", "", alt.group(1))).strip()
    return texts


_TITLE = re.compile(r"<dc:title>([^<]*)</dc:title>")


def document_title(path: Path) -> str:
    """The title in the document's properties (``docProps/core.xml`` or ODT ``meta.xml``), or ""."""
    part = "docProps/core.xml" if path.suffix.lower() == ".docx" else "meta.xml"
    try:
        with zipfile.ZipFile(path) as archive:
            xml = archive.read(part).decode("utf-8", "replace")
    except (KeyError, OSError, zipfile.BadZipFile):
        return ""
    match = _TITLE.search(xml)
    return " ".join(html.unescape(match.group(1)).split()) if match else ""
