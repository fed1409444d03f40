"""The Abwägungstabelle as a Word table (python-docx): landscape, header row repeated per page.

Proposals are runs: insertions underlined, deletions struck through (plus colour), so the
marking survives printing in black and white. Document properties carry fixed dates; the
caller normalises the ZIP's timestamps, so the same table gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
HEADER = ("Nr.", "Stelle", "Mitglied", "Art", "Vorschlag", "Begründung", "Entscheidung", "Antwort der Redaktion")
WIDTHS_CM = (1.0, 3.4, 3.0, 2.0, 5.6, 4.8, 2.4, 4.6)


def build_document(a: dict, german: str, iso: str) -> bytes:
    """The document for the view data ``a`` (``german``/``iso``: the date it was made)."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.shared import Cm, Pt, RGBColor

    document = Document()
    document.styles["Normal"].font.size = Pt(9)
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Cm(1.5))
    section.top_margin = section.bottom_margin = Cm(1.6)
    _properties(document, a, iso)
    document.add_heading(f"Abwägungstabelle: {a['papier']}", level=1)
    facts = [f"Runde {a['runde']} zu Version {a['version']} ({a['stand']})",
             f"eröffnet am {a['eroeffnet']}" + (f", Frist bis {a['bis']}" if a["bis"] else "")
             + (f", geschlossen am {a['geschlossen']}" if a["geschlossen"] else ""),
             f"{a['anzahl']} Kommentare – " + ", ".join(f"{z['label']}: {z['anzahl']}" for z in a["zaehler"])]
    for line in facts:
        document.add_paragraph(line)
    legend = document.add_paragraph("Lesehilfe: ")
    _segment(legend, {"op": "insert", "text": "eingefügter Text"}, RGBColor)
    legend.add_run(" ist unterstrichen, ")
    _segment(legend, {"op": "delete", "text": "gestrichener Text"}, RGBColor)
    legend.add_run(" durchgestrichen – jeweils gegenüber dem Wortlaut der Runde. Erstellt am " + german + ".")
    if not a["zeilen"]:
        document.add_paragraph("In dieser Runde gibt es noch keine Kommentare.")
    else:
        _table(document, a, Cm, RGBColor)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _table(document, a: dict, Cm, RGBColor) -> None:  # noqa: ANN001, N803 - python-docx classes
    from docx.oxml import parse_xml

    table = document.add_table(rows=1, cols=len(HEADER))
    table.style = "Table Grid"
    head = table.rows[0]
    head._tr.get_or_add_trPr().append(parse_xml(f'<w:tblHeader xmlns:w="{W_NS}"/>'))
    for cell, label in zip(head.cells, HEADER):
        run = cell.paragraphs[0].add_run(label)
        run.bold = True
    for z in a["zeilen"]:
        cells = table.add_row().cells
        cells[0].text = str(z["nr"])
        place = cells[1].paragraphs[0]
        if z["kapitel"]:
            place.add_run(z["kapitel"] + "\n")
        place.add_run(z["absatz"]).bold = True
        if z["zeilen"]:
            place.add_run(", " + z["zeilen"])
        if z["stelle_problem"]:
            place.add_run("\n" + z["stelle_problem"]).italic = True
        who = cells[2].paragraphs[0]
        who.add_run(z["mitglied"])
        if z["autor"] or z["datum"]:
            who.add_run("\n" + ", ".join(part for part in (z["autor"], z["datum"]) if part)).italic = True
        cells[3].text = z["art"]
        proposal = cells[4].paragraphs[0]
        for segment in z["vorschlag"] or [{"op": "equal", "text": "–"}]:
            _segment(proposal, segment, RGBColor)
        cells[5].text = z["begruendung"] or "–"
        decision = cells[6].paragraphs[0]
        decision.add_run(z["entscheidung"]).bold = True
        if z["entschieden_am"]:
            decision.add_run("\n" + z["entschieden_am"])
        cells[7].text = z["antwort"] or "–"
        if z["fassung"]:
            extra = cells[7].add_paragraph()
            extra.add_run("Übernommene Fassung: ").bold = True
            extra.add_run(z["fassung"])
    for row in table.rows:
        for cell, width in zip(row.cells, WIDTHS_CM):
            cell.width = Cm(width)


def _segment(paragraph, segment: dict, RGBColor) -> None:  # noqa: ANN001, N803 - python-docx objects
    run = paragraph.add_run(segment["text"])
    if segment["op"] == "insert":
        run.underline = True
        run.font.color.rgb = RGBColor(0x0D, 0x4A, 0x1F)
    elif segment["op"] == "delete":
        run.font.strike = True
        run.font.color.rgb = RGBColor(0x7A, 0x11, 0x11)


def _properties(document, a: dict, iso: str) -> None:  # noqa: ANN001 - python-docx Document
    fixed = dt.datetime.fromisoformat(f"{iso}T00:00:00+00:00")
    props = document.core_properties
    props.title = f"Abwägungstabelle: {a['papier']} – Runde {a['runde']}"
    props.subject = f"Kommentierungsrunde {a['runde']} zu Version {a['version']}"
    props.author = a["herausgeber"]
    props.last_modified_by = props.author
    props.language = "de-DE"
    props.created = props.modified = props.last_printed = fixed
    props.revision = 1
