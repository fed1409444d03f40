"""Session outputs end to end, with real pandoc, Typst and mkdocs.

Invitation and minutes pass the same PDF/UA checks as the papers; the internal site shows
sessions, minutes and open tasks; the version history of PDF, DOCX and site names and links the
session that adopted a version; and nothing internal of a session reaches the public build.
"""

from __future__ import annotations

import json
import re
import shutil
import zipfile
from pathlib import Path

import pikepdf
import pytest
from pdfua import validate

from projects import REPO, copy_demo
from redaktion.cli.main import main
from redaktion.source.load import load
from redaktion.render.sitzung import session_documents
from redaktion.model.sessions import TextPart
from redaktion.assemble.sessions import open_tasks
from test_pdf import structure_elements
from textcheck import all_text_of_tree, docx_text, html_text, main_html_text, pdf_text, words

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils fehlt")

ADOPTING = "2009-12-10-stuttgart"
PUBLIC_URL = f"https://qualitaetszirkel.example.org/aus-den-sitzungen/#sitzung-{ADOPTING}"
PHRASE = "verabschiedet in der Sitzung am 10. Dezember 2009 in Stuttgart"


@pytest.fixture(scope="module")
def documents(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return session_documents(load(REPO), tmp_path_factory.mktemp("sitzungen-pdf"))


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo, built public (build/) and internal (build/intern/)."""
    root = copy_demo(tmp_path_factory.mktemp("sitzungen-build"))
    assert main(["--root", str(root), "build"]) == 0
    assert main(["--root", str(root), "build", "--intern"]) == 0
    return root


# --- invitation and minutes -----------------------------------------------------------------------


def test_every_session_has_an_invitation_and_written_minutes_a_protocol(documents: dict[str, Path]) -> None:
    assert sorted(documents) == sorted(f"{s.id}-{kind}.pdf" for s in load(REPO).sessions
                                       for kind in ("einladung", "protokoll"))


@pytest.mark.parametrize("kind", ["einladung", "protokoll"])
@pytest.mark.parametrize("session", ["2009-12-10-stuttgart", "2010-06-17-online", "2010-11-25-hannover"])
def test_session_pdfs_pass_the_pdfua_checks_the_papers_pass(documents: dict[str, Path], session: str,
                                                            kind: str) -> None:
    path = documents[f"{session}-{kind}.pdf"]
    report = validate(str(path))
    assert report.findings == ()
    assert {o.rule_id for o in report.skipped} <= {"UA-14-001"}
    with pikepdf.open(path) as pdf:
        assert pdf.Root.MarkInfo.Marked is True
        assert str(pdf.Root.Lang).startswith("de")
        meta = pdf.open_metadata()
        assert meta["pdfuaid:part"] == "1"
        assert (meta["pdfaid:part"], meta["pdfaid:conformance"]) == ("2", "A")
        assert str(pdf.docinfo.Title).startswith("Einladung: " if kind == "einladung" else "Protokoll: ")
        headings = [n for n in structure_elements(pdf) if re.fullmatch(r"/H\d", str(n.get("/S", "")))]
        roles = {str(n.get("/S", "")) for n in structure_elements(pdf)}
    assert len(headings) >= 2 and {"/Table", "/TH"} <= roles


def test_invitation_shows_time_place_agenda_material_and_the_invited(documents: dict[str, Path]) -> None:
    text = " ".join(pdf_text(documents["2009-12-10-stuttgart-einladung.pdf"]).split())
    for expected in ("Einladung", "Sitzung am 10. Dezember 2009 in Stuttgart", "Donnerstag, 10. Dezember 2009",
                     "10:00 bis 16:00 Uhr", "Großer Sitzungssaal", "Tagesordnung",
                     "Indikatoren für ein kommunales Bildungsmonitoring", "Arbeitsmaterialien", "Eingeladen",
                     "Landeshauptstadt Hannover"):
        assert expected in text, expected
    online = " ".join(pdf_text(documents["2010-06-17-online-einladung.pdf"]).split())
    assert "Online-Sitzung" in online and "konferenz.example.org" in online


def test_minutes_show_attendance_text_decisions_tasks_and_overdue(documents: dict[str, Path]) -> None:
    text = " ".join(pdf_text(documents["2010-11-25-hannover-protokoll.pdf"]).split())
    session = next(s for s in load(REPO).sessions if s.id == "2010-11-25-hannover")
    for expected in ("Protokoll", "Anwesend", "Gäste 3", "TOP 2: Handlungsempfehlungen", "Beschluss 1:",
                     "Kommentierungsrunde", "Aufgaben im Überblick", "offen, überfällig", "ohne Frist",
                     "Öffentliche Zusammenfassung"):
        assert expected in text, expected
    for part in (p for section in session.minutes for p in section.parts):
        sentence = part.markdown if isinstance(part, TextPart) else part.text
        assert " ".join(words(sentence)) in " ".join(words(text)), sentence


def test_session_template_keeps_the_papers_palette_and_fonts() -> None:
    def palette(path: Path) -> list[str]:
        return [line for line in path.read_text(encoding="utf-8").split("\n")
                if line.startswith(("#let farbe-", "#let schrift ", "#let schrift-mono"))]

    render = REPO / "scripts" / "redaktion" / "render"
    assert palette(render / "sitzung" / "sitzung.typ") == palette(render / "pdf" / "template.typ")


def test_session_pdfs_are_cached_and_reproducible(documents: dict[str, Path], tmp_path: Path) -> None:
    again = session_documents(load(REPO), tmp_path)
    assert {name: path.read_bytes() for name, path in again.items()} == \
        {name: path.read_bytes() for name, path in documents.items()}
    stamps = {path: path.stat().st_mtime_ns for path in again.values()}
    assert session_documents(load(REPO), tmp_path) == again
    assert all(path.stat().st_mtime_ns >= stamp for path, stamp in stamps.items())
    assert len(list(tmp_path.glob("*.pdf"))) == len(again)


# --- the internal and the public site ------------------------------------------------------------------


def test_internal_site_has_sessions_tasks_calendar_and_pdfs(intern_site: Path) -> None:
    overview = main_html_text((intern_site / "sitzungen" / "index.html").read_text(encoding="utf-8"))
    for session in load(REPO).sessions:
        page = (intern_site / "sitzungen" / session.id / "index.html").read_text(encoding="utf-8")
        text = " ".join(main_html_text(page).split())
        assert session.heading in text and session.heading in overview
        for item in session.agenda:
            assert f"TOP {item.number}: {item.title}" in text or item.title in text
        for decision in session.decisions:
            assert " ".join(decision.text.split()) in text
        for task in session.tasks:
            assert task.text in text
        for href in re.findall(r'href="([^"#]+\.pdf)"', page):
            assert (intern_site / "sitzungen" / session.id / href).resolve().is_file(), href
    assert (intern_site / "sitzungen" / "sitzungen.ics").read_bytes().startswith(b"BEGIN:VCALENDAR")
    assert list((intern_site / "downloads" / "sitzungen").glob("*-protokoll.pdf"))


def test_internal_task_page_lists_exactly_the_open_tasks(intern_site: Path) -> None:
    page = (intern_site / "sitzungen" / "aufgaben" / "index.html").read_text(encoding="utf-8")
    items = re.findall(r'<li class="rk-task[^"]*">\s*<strong>(.*?)</strong>', page, re.DOTALL)
    expected = open_tasks(load(REPO))
    assert [html_text(item) for item in items] == [t.text for t in expected]
    assert page.count("rk-task--overdue") == sum(t.overdue for t in expected) == 1
    done = [t.text for s in load(REPO).sessions for t in s.tasks if t.state != "offen"]
    assert done and not any(text in page for text in done)


def test_public_site_shows_only_the_public_part_of_sessions(demo_site: Path) -> None:
    assert not (demo_site / "sitzungen").exists()
    page = (demo_site / "aus-den-sitzungen" / "index.html").read_text(encoding="utf-8")
    assert f'id="sitzung-{ADOPTING}"' in page and 'id="sitzung-2010-11-25-hannover"' in page
    assert "2010-06-17-online" not in page  # no summary, no public material, nothing adopted
    corpus = load(REPO)
    for session in corpus.sessions:
        for material in session.material:
            published = (demo_site / "material" / session.id / Path(material.file).name).exists()
            assert published == (material.public and bool(material.file))
    for material in corpus.papers["bildungsmanagement"].material:
        assert (demo_site / "material" / "bildungsmanagement" / Path(material.file).name).exists() == material.public


# --- traceability ----------------------------------------------------------------------------------------


def _pdf_uris(path: Path) -> set[str]:
    uris = set()
    with pikepdf.open(path) as pdf:
        for page in pdf.pages:
            for annot in page.get("/Annots", []):
                action = annot.get("/A")
                if action is not None and "/URI" in action:
                    uris.add(str(action.URI))
    return uris


def test_version_history_names_and_links_the_adopting_session(builds: Path) -> None:
    pdf = builds / "build" / "pdf" / "bildungsmanagement.pdf"
    assert PHRASE in " ".join(pdf_text(pdf).split())
    assert PUBLIC_URL in _pdf_uris(pdf)
    docx = builds / "build" / "docx" / "bildungsmanagement.docx"
    assert PHRASE in " ".join(docx_text(docx).split())
    with zipfile.ZipFile(docx) as archive:
        assert PUBLIC_URL in archive.read("word/_rels/document.xml.rels").decode("utf-8")
    public = (builds / "build" / "site" / "papiere" / "bildungsmanagement" / "index.html").read_text(encoding="utf-8")
    assert f'href="../../aus-den-sitzungen/#sitzung-{ADOPTING}"' in public
    assert "Verabschiedet in der Sitzung am 10. Dezember 2009 in Stuttgart" in " ".join(main_html_text(public).split())
    target = (builds / "build" / "site" / "aus-den-sitzungen" / "index.html").read_text(encoding="utf-8")
    assert f'id="sitzung-{ADOPTING}"' in target
    intern = (builds / "build" / "intern" / "site" / "papiere" / "bildungsmanagement" / "index.html").read_text(
        encoding="utf-8")
    assert f'href="../../sitzungen/{ADOPTING}/"' in intern


def test_intern_build_writes_the_session_pdfs(builds: Path) -> None:
    pdfs = sorted(p.name for p in (builds / "build" / "intern" / "pdf" / "sitzungen").glob("*.pdf"))
    assert len(pdfs) == 6 and f"{ADOPTING}-protokoll.pdf" in pdfs
    assert not (builds / "build" / "pdf" / "sitzungen").exists()


# --- the leak test -----------------------------------------------------------------------------------------


def _internal_texts(root: Path) -> tuple[list[str], list[str]]:
    """(sentences as words, literal strings) that only the internal build may contain."""
    corpus = load(root)
    sentences: list[str] = []
    literal: list[str] = ["konferenz.example.org", "Großer Sitzungssaal", "Hodlersaal", "Nicht anwesend"]
    for session in corpus.sessions:
        sentences += [" ".join(words(session.preamble)[:10])] if session.preamble else []
        for part in (p for section in session.minutes for p in section.parts):
            text = part.markdown if isinstance(part, TextPart) else part.text
            sentences.append(" ".join(words(text)[:10]))
        for material in session.material:
            if not material.public:
                sentences.append(" ".join(words(material.title)))
                literal.append(Path(material.file).name)
        if not any(s.id == session.id for s in _public(corpus)):
            sentences.append(" ".join(words(session.heading)))
    for paper in corpus.papers.values():
        for material in paper.material:
            if not material.public:
                sentences += [" ".join(words(material.title)), " ".join(words(material.description))]
                literal.append(Path(material.file).name)
    # Text inside the internal material files themselves.
    sentences += ["vierzehn indikatoren aus vorhandenen daten", "versand des entwurfs mit zeilennummern",
                  "sprachförderung in kitas als regelangebot beschreiben"]
    return [s for s in sentences if s], literal


def _public(corpus):  # noqa: ANN001, ANN202 - Corpus → list of Session
    from redaktion.assemble.sessions import public_sessions

    return public_sessions(corpus)


def test_nothing_internal_of_the_sessions_reaches_the_public_build(builds: Path) -> None:
    sentences, literal = _internal_texts(builds)
    assert len(sentences) >= 25
    internal = all_text_of_tree(builds / "build" / "intern")
    flat_internal = " ".join(words(" ".join(internal.values())))
    assert all(sentence in flat_internal for sentence in sentences), "the internal build shows them all"
    for folder in ("site", "pdf", "docx", "drafts"):
        for path, text in all_text_of_tree(builds / "build" / folder).items():
            flat = " ".join(words(text))
            for sentence in sentences:
                assert sentence not in flat, f"interner Text aus einer Sitzung in {path}: {sentence}"
            for string in literal:
                assert string not in text, f"{string} in {path}"
    site = builds / "build" / "site"
    assert not (site / "sitzungen").exists() and not (builds / "build" / "pdf" / "sitzungen").exists()
    locations = re.findall(r"<loc>([^<]+)</loc>", (site / "sitemap.xml").read_text(encoding="utf-8"))
    assert locations and not [loc for loc in locations if "/sitzungen/" in loc]
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert not [doc["location"] for doc in index["docs"] if doc["location"].startswith("sitzungen/")]
    assert any(doc["location"].startswith("aus-den-sitzungen/") for doc in index["docs"])


def test_public_site_names_no_guests_and_no_email_addresses_of_sessions(builds: Path) -> None:
    page = (builds / "build" / "site" / "aus-den-sitzungen" / "index.html").read_text(encoding="utf-8")
    text = main_html_text(page)
    assert "Gäste" not in text and "Gast" not in text.split()
    assert "@" not in text
