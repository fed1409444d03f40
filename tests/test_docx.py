"""The DOCX renderer, end to end with real pandoc, read back with python-docx."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import docx
import pytest

from redaktion.assemble.draft import assemble
from redaktion.source.load import load
from redaktion.render.docx import REFERENCE, render_docx

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def corpus():
    return load(ROOT)


@pytest.fixture(scope="module")
def public_draft(corpus):
    return assemble(corpus, "bildungsmanagement")


@pytest.fixture(scope="module")
def public_docx(public_draft) -> bytes:
    return render_docx(public_draft, ROOT)


def all_text(data: bytes) -> str:
    """Every paragraph, table cell and footnote of a DOCX, as plain text."""
    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        footnotes = archive.read("word/footnotes.xml").decode("utf-8")
    parts += re.findall(r"<w:t[^>]*>([^<]*)</w:t>", footnotes)
    return "\n".join(parts)


def test_docx_opens_and_contains_every_contribution(public_docx, public_draft):
    document = docx.Document(io.BytesIO(public_docx))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    for block in public_draft.blocks:
        assert block.heading in headings
    assert document.core_properties.title == public_draft.paper.title
    assert document.core_properties.language == "de-DE"


def test_praxisbeispiel_is_a_styled_block(public_docx, public_draft):
    document = docx.Document(io.BytesIO(public_docx))
    styles = {p.style.name for p in document.paragraphs}
    assert {"Praxisbeispiel Kopf", "Praxisbeispiel", "Empfehlung"} <= styles
    munich = [b for b in public_draft.blocks if b.kind == "praxisbeispiel"][0]
    assert any(p.text == f"Praxisbeispiel: {munich.member_names}" for p in document.paragraphs)


def test_footer_shows_page_numbers(public_docx):
    with zipfile.ZipFile(io.BytesIO(public_docx)) as archive:
        footers = "".join(archive.read(n).decode() for n in archive.namelist() if n.startswith("word/footer"))
    assert "Seite" in footers and 'w:instr="PAGE"' in footers and 'w:instr="NUMPAGES"' in footers


def test_docx_is_byte_reproducible(public_draft, public_docx, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    assert render_docx(public_draft, ROOT) == public_docx
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1262304000")
    assert render_docx(public_draft, ROOT) == render_docx(public_draft, ROOT)


def test_no_email_address_and_no_draft_marking_in_public_docx(public_docx):
    text = all_text(public_docx)
    assert not re.search(r"[\w.+-]+@[\w-]+\.[\w.]+", text)
    assert "ENTWURF" not in text and "Anmerkung der Redaktion" not in text
    assert "Beispieltexte" in text and "Mitwirkende" in text


def test_internal_docx_shows_status_and_notes(corpus):
    data = render_docx(assemble(corpus, "interkulturelle-verwaltung", intern=True), ROOT)
    text = all_text(data)
    assert "ENTWURF" in text and "Anmerkung der Redaktion" in text and "In Prüfung" in text
    assert not re.search(r"[\w.+-]+@[\w-]+\.[\w.]+", text)


def test_reference_docx_is_committed_and_current():
    from redaktion.render.docx.make_reference import make_reference

    assert REFERENCE.read_bytes() == make_reference()
