"""Generate ``reference.docx``, the style sheet of the DOCX output (run once, commit the result).

Starts from pandoc's default reference document and adjusts it with python-docx: A4 pages,
calm fonts and colours, German language, the custom styles the Lua filter uses
(``Praxisbeispiel``, ``Empfehlung``, ``Redaktionsnotiz``, …) and a footer „Seite X von Y“.

Usage (python-docx comes with the test extras)::

    .venv/bin/python scripts/redaktion/render/docx/make_reference.py
"""

from __future__ import annotations

import io
import subprocess
import zipfile
from pathlib import Path

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.styles.style import BaseStyle

OUTPUT = Path(__file__).with_name("reference.docx")
ACCENT = RGBColor(0x1D, 0x4F, 0x73)
GREY = RGBColor(0x55, 0x55, 0x55)
FONT = "Calibri"
# Children of w:pPr that must come after w:pBdr / w:shd (ECMA-376 order).
AFTER_BORDER = ("w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
                "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd",
                "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents",
                "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment", "w:textboxTightWrap",
                "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")


def default_reference() -> bytes:
    """pandoc's built-in reference.docx."""
    import pypandoc

    return subprocess.run([pypandoc.get_pandoc_path(), "--print-default-data-file", "reference.docx"],
                          capture_output=True, check=True).stdout


def _borders(style: BaseStyle, sides: dict[str, tuple[str, int]], fill: str | None) -> None:
    """Paragraph borders (side → (hex colour, width in eighths of a point)) and shading."""
    ppr = style.element.get_or_add_pPr()
    border = OxmlElement("w:pBdr")
    for side in ("top", "left", "bottom", "right"):
        if side in sides:
            colour, size = sides[side]
            edge = OxmlElement(f"w:{side}")
            edge.set(qn("w:val"), "single")
            edge.set(qn("w:sz"), str(size))
            edge.set(qn("w:space"), "6")
            edge.set(qn("w:color"), colour)
            border.append(edge)
    ppr.insert_element_before(border, *AFTER_BORDER)
    if fill:
        shading = OxmlElement("w:shd")
        shading.set(qn("w:val"), "clear")
        shading.set(qn("w:color"), "auto")
        shading.set(qn("w:fill"), fill)
        ppr.insert_element_before(shading, *AFTER_BORDER[1:])


def _paragraph_style(doc: Document, name: str, base: str = "Body Text") -> BaseStyle:
    style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = doc.styles[base]
    style.quick_style = True
    return style


def _base_styles(doc: Document) -> None:
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(11)
    rpr = normal.element.get_or_add_rPr()
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "de-DE")
    rpr.append(lang)
    body = doc.styles["Body Text"]
    body.paragraph_format.space_after = Pt(6)
    body.paragraph_format.line_spacing = 1.15
    body.paragraph_format.widow_control = True
    for name, size in (("Title", 26), ("Subtitle", 14), ("Heading 1", 18), ("Heading 2", 14),
                       ("Heading 3", 12), ("Heading 4", 11)):
        style = doc.styles[name]
        style.font.name = FONT
        style.font.size = Pt(size)
        style.font.color.rgb = GREY if name == "Subtitle" else ACCENT
        style.font.bold = name != "Subtitle"
        style.font.italic = False
        style.paragraph_format.keep_with_next = True
    doc.styles["Heading 1"].paragraph_format.page_break_before = True
    doc.styles["Heading 1"].paragraph_format.space_before = Pt(0)
    doc.styles["Heading 1"].paragraph_format.space_after = Pt(12)
    for name in ("Author", "Date"):
        doc.styles[name].font.name = FONT
        doc.styles[name].font.color.rgb = GREY
    doc.styles["Footnote Text"].font.size = Pt(9)
    caption = next(s for s in doc.styles if s.style_id == "Caption")
    caption.font.size = Pt(9)
    caption.font.color.rgb = GREY


def _custom_styles(doc: Document) -> None:
    head = _paragraph_style(doc, "Praxisbeispiel Kopf")
    head.font.bold = True
    head.font.size = Pt(9)
    head.font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
    head.paragraph_format.keep_with_next = True
    head.paragraph_format.space_after = Pt(0)
    _borders(head, {"top": ("1D4F73", 8), "left": ("1D4F73", 8), "right": ("1D4F73", 8)}, "1D4F73")
    box = _paragraph_style(doc, "Praxisbeispiel")
    _borders(box, {"left": ("1D4F73", 8), "right": ("1D4F73", 8), "bottom": ("1D4F73", 8)}, "E9F0F6")
    box.paragraph_format.space_after = Pt(0)
    recommendation = _paragraph_style(doc, "Empfehlung")
    _borders(recommendation, {"left": ("A07D2E", 24)}, "F4F1E8")
    recommendation.paragraph_format.space_after = Pt(0)
    label = _paragraph_style(doc, "Beitragsart")
    label.font.size = Pt(8.5)
    label.font.bold = True
    label.font.color.rgb = ACCENT
    label.paragraph_format.keep_with_next = True
    label.paragraph_format.space_before = Pt(12)
    note = _paragraph_style(doc, "Redaktionsnotiz")
    note.font.size = Pt(9.5)
    _borders(note, {"left": ("C98A00", 16)}, "FFF4D6")
    provenance = _paragraph_style(doc, "Beitragsvermerk")
    provenance.font.size = Pt(8.5)
    provenance.font.color.rgb = RGBColor(0x7A, 0x55, 0x00)
    banner = _paragraph_style(doc, "Entwurfshinweis")
    banner.font.bold = True
    banner.font.color.rgb = RGBColor(0xB4, 0x28, 0x28)
    _borders(banner, {"top": ("B42828", 8), "bottom": ("B42828", 8)}, None)
    hint = _paragraph_style(doc, "Hinweis")
    hint.font.size = Pt(9.5)
    _borders(hint, {}, "E9F0F6")
    meta = _paragraph_style(doc, "Impressum")
    meta.font.size = Pt(9.5)
    meta.paragraph_format.space_after = Pt(3)


def _field(paragraph, instruction: str) -> None:  # noqa: ANN001 - python-docx Paragraph
    simple = OxmlElement("w:fldSimple")
    simple.set(qn("w:instr"), instruction)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    simple.append(run)
    paragraph._p.append(simple)


def _page_setup(doc: Document) -> None:
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.5)
    section.top_margin, section.bottom_margin = Cm(2.5), Cm(2.5)
    footer = section.footer.paragraphs[0]
    footer.alignment = 1  # centred
    footer.add_run("Seite ")
    _field(footer, "PAGE")
    footer.add_run(" von ")
    _field(footer, "NUMPAGES")
    for run in footer.runs:
        run.font.size = Pt(8.5)
        run.font.color.rgb = GREY


def make_reference() -> bytes:
    """The adjusted reference document, with fixed zip timestamps (reproducible)."""
    doc = Document(io.BytesIO(default_reference()))
    _base_styles(doc)
    _custom_styles(doc)
    _page_setup(doc)
    raw = io.BytesIO()
    doc.save(raw)
    return _normalise_zip(raw.getvalue())


def _normalise_zip(data: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            info = zipfile.ZipInfo(item.filename, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(info, source.read(item.filename))
    return out.getvalue()


if __name__ == "__main__":
    OUTPUT.write_bytes(make_reference())
    print(f"geschrieben: {OUTPUT}")
