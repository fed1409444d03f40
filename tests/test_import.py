"""`redaktion import`: a real Word document becomes a valid contribution; losses are reported, not hidden."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from docx.shared import RGBColor

from projects import PAPER, REPO, make_project
from redaktion.assemble.draft import assemble
from redaktion.check.corpus import check
from redaktion.cli.main import main
from redaktion.source.load import load
from redaktion.render.pandoc import pandoc_path

PAPER_DIR = "contributions/testpapier"
IMAGE = REPO / "contributions/bildungsmanagement/media/bildungsbuero-organigramm.png"
SOURCE = """\
# Elternlotsen in Kitas

Die Stadt „Beispielstadt“ hat 2009 – nach langer Debatte – Elternlotsinnen eingeführt.[^1]

## Erfahrungen im ersten Jahr

Im ersten Jahr nahmen 120 Familien teil; die Lotsinnen sprechen zusammen elf Sprachen.

![Organigramm des Bildungsbüros mit Schulen, Kitas und Jugendhilfe](bild.png)

| Jahr | Familien |
|------|---------:|
| 2008 | 120 |
| 2009 | 245 |

### Ausblick

Ab 2010 sollen alle Stadtbezirke eigene Lotsinnen haben.

[^1]: Beschluss des Gemeinderats vom 3. März 2009.
"""


def project(root: Path) -> Path:
    return make_project(root, {f"{PAPER_DIR}/paper.yml": PAPER.replace("status: final", "status: entwurf")})


def pandoc_document(folder: Path, suffix: str, markdown: str = SOURCE) -> Path:
    """A document written by pandoc from Markdown (python-docx cannot write footnotes)."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(IMAGE, folder / "bild.png")
    (folder / "quelle.md").write_text(markdown, encoding="utf-8")
    out = folder / f"bericht{suffix}"
    subprocess.run([pandoc_path(), "quelle.md", "-o", out.name], cwd=folder, check=True)
    return out


def word_document(folder: Path) -> Path:
    """The pandoc DOCX plus what Word users add: a comment and coloured text."""
    path = pandoc_document(folder, ".docx")
    document = docx.Document(str(path))
    paragraph = next(p for p in document.paragraphs if p.text.startswith("Im ersten Jahr"))
    document.add_comment(paragraph.runs, text="Bitte Zahlen mit dem Jahresbericht abgleichen",
                         author="Erika Muster", initials="EM")
    red = document.add_paragraph().add_run("Anmeldung bis Ende März.")
    red.font.color.rgb = RGBColor(0xC0, 0x00, 0x00)
    document.save(str(path))
    return path


def run_import(root: Path, capsys: pytest.CaptureFixture[str], source: Path, *extra: str) -> tuple[int, str, str]:
    code = main(["--root", str(root), "import", str(source), "--paper", "testpapier", "--section", "grundlagen",
                 "--member", "muenchen", "--kind", "praxisbeispiel", *extra])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.out + captured.err
    return code, captured.out, captured.err


@pytest.fixture
def imported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[Path, str, str]:
    root = project(tmp_path / "projekt")
    code, out, err = run_import(root, capsys, word_document(tmp_path / "word"))
    assert code == 0, err
    return root, out, err


def test_word_document_becomes_a_valid_contribution(imported: tuple[Path, str, str]) -> None:
    root, out, err = imported
    path = root / PAPER_DIR / "muenchen--elternlotsen-in-kitas.md"
    assert f"Beitrag angelegt: {PAPER_DIR}/{path.name} („Elternlotsen in Kitas“)" in out
    assert err == ""  # redaktion check has nothing to report for the new file
    corpus = load(root)
    assert not [d for d in check(corpus) if d.path.endswith(path.name)]
    new = next(c for c in corpus.contributions if c.path == path)
    assert (new.title, new.kind, new.status, new.members) == ("Elternlotsen in Kitas", "praxisbeispiel",
                                                               "eingereicht", ("muenchen",))


def test_structure_typography_footnotes_tables_and_images_are_kept(imported: tuple[Path, str, str]) -> None:
    root, _, _ = imported
    body = (root / PAPER_DIR / "muenchen--elternlotsen-in-kitas.md").read_text(encoding="utf-8").split("\n---\n")[1]
    assert "\n# " not in body and "Elternlotsen in Kitas" not in body  # the first heading became the title
    assert "\n## Erfahrungen im ersten Jahr\n" in body  # Word Heading 2 → ##, Heading 3 → ###
    assert "\n### Ausblick\n" in body
    assert "Die Stadt „Beispielstadt“ hat 2009 – nach langer Debatte – Elternlotsinnen eingeführt.[^1]" in body
    assert "[^1]: Beschluss des Gemeinderats vom 3. März 2009." in body
    assert re.search(r"\| 2009 \| +245 \|", body)
    assert "![Organigramm des Bildungsbüros mit Schulen, Kitas und Jugendhilfe](media/elternlotsen-in-kitas-1.png)" \
        in body
    image = root / PAPER_DIR / "media/elternlotsen-in-kitas-1.png"
    assert image.read_bytes() == IMAGE.read_bytes()
    assert "Anmeldung bis Ende März." in body


def test_report_names_what_was_dropped(imported: tuple[Path, str, str]) -> None:
    root, out, _ = imported
    assert "Kommentar von Erika Muster nicht übernommen: „Bitte Zahlen mit dem Jahresbericht abgleichen“" in out
    assert "Farbige Schrift" in out
    text = (root / PAPER_DIR / "muenchen--elternlotsen-in-kitas.md").read_text(encoding="utf-8")
    assert "Jahresbericht abgleichen" not in text  # the comment's words never reach the contribution
    assert "1 Kommentar" in text  # …but the editorial note says that one was dropped


def test_imported_text_reaches_the_draft_and_the_pdf(imported: tuple[Path, str, str], tmp_path: Path) -> None:
    root, _, _ = imported
    draft = assemble(load(root), "testpapier", intern=True)
    from redaktion.render.markdown import render_markdown

    markdown = " ".join(render_markdown(draft).split())
    assert "Elternlotsinnen eingeführt" in markdown
    assert "Ab 2010 sollen alle Stadtbezirke eigene Lotsinnen haben." in markdown
    assert "Jahresbericht abgleichen" not in markdown
    pdf_module = pytest.importorskip("redaktion.render.pdf")
    if not hasattr(pdf_module, "render_pdf") or shutil.which("pdftotext") is None:
        pytest.skip("render_pdf oder pdftotext nicht verfügbar")
    pdf = tmp_path / "entwurf.pdf"
    pdf.write_bytes(pdf_module.render_pdf(draft, root))
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    flat = " ".join(text.replace("\u00ad", "").replace("-\n", "").split())
    for words in ("Elternlotsinnen eingeführt", "Beispielstadt", "elf Sprachen", "Beschluss des Gemeinderats"):
        assert words in flat


def libreoffice_document(folder: Path) -> Path:
    """The pandoc ODT plus an alternative text stored the way LibreOffice stores it (svg:title)."""
    path = pandoc_document(folder, ".odt")
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    content = parts["content.xml"].decode("utf-8")
    content = re.sub(r"(<draw:image [^>]*/>)", r"\1<svg:title>Organigramm des Bildungsbüros</svg:title>", content, 1)
    parts["content.xml"] = content.encode("utf-8")
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data, zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED)
    return path


def test_odt_is_imported_too(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = project(tmp_path / "projekt")
    code, out, err = run_import(root, capsys, libreoffice_document(tmp_path / "odt"), "--slug", "lotsen")
    assert code == 0, err
    assert "Kopf- und Fußzeilen" not in out  # a page number alone is not worth a warning
    body = (root / PAPER_DIR / "muenchen--lotsen.md").read_text(encoding="utf-8")
    assert "Elternlotsinnen eingeführt" in body and "## Erfahrungen im ersten Jahr" in body
    assert "![Organigramm des Bildungsbüros](media/lotsen-1.png)" in body
    assert not [d for d in check(load(root)) if d.path.endswith("muenchen--lotsen.md") and d.severity == "error"]


def test_image_without_real_alt_text_is_left_for_check(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = project(tmp_path / "projekt")
    document = docx.Document()
    document.add_heading("Bildungsbüro", level=1)
    document.add_paragraph("Das Organigramm zeigt die Zuständigkeiten.")
    document.add_picture(str(IMAGE))
    document.add_picture(str(IMAGE))
    properties = [el for el in document.element.body.iter() if el.tag.endswith("}docPr")]
    properties[0].set("descr", "")
    properties[1].set("descr", "Ein Bild, das Text enthält. Automatisch generierte Beschreibung")
    source = tmp_path / "bild.docx"
    document.save(str(source))
    code, out, err = run_import(root, capsys, source)
    assert code == 0
    assert "automatisch erzeugter Alternativtext von Word entfernt" in out
    assert err.count("R053") == 2  # both images are reported by check right away


def test_wrong_file_type_and_unknown_member_are_usage_errors(tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    root = project(tmp_path / "projekt")
    (tmp_path / "bericht.pdf").write_bytes(b"%PDF-1.7\n")
    code, _, err = run_import(root, capsys, tmp_path / "bericht.pdf")
    assert code == 2 and "keine Word- oder LibreOffice-Datei" in err
    docx_file = pandoc_document(tmp_path / "word", ".docx")
    code = main(["--root", str(root), "import", str(docx_file), "--paper", "testpapier", "--section", "grundlagen",
                 "--member", "muenchn"])
    assert code == 2 and "Meinten Sie „muenchen“?" in capsys.readouterr().err
    assert not (root / PAPER_DIR / "media").exists()


def test_tracked_changes_are_accepted_and_reported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    root = project(tmp_path / "projekt")
    document = docx.Document()
    document.add_heading("Förderung", level=1)
    paragraph = document.add_paragraph("Die Förderung läuft ")
    stamp = 'w:author="Erika Muster" w:date="2009-11-24T00:00:00Z"'
    paragraph._p.append(parse_xml(f'<w:del {nsdecls("w")} w:id="1" {stamp}><w:r><w:delText>bis 2010.</w:delText>'
                                  "</w:r></w:del>"))
    paragraph._p.append(parse_xml(f'<w:ins {nsdecls("w")} w:id="2" {stamp}><w:r><w:t>bis 2012.</w:t></w:r></w:ins>'))
    source = tmp_path / "aenderungen.docx"
    document.save(str(source))
    code, out, err = run_import(root, capsys, source)
    assert code == 0, err
    assert "Nachverfolgte Änderungen (1 Einfügung, 1 Löschung) wurden angenommen" in out
    body = (root / PAPER_DIR / "muenchen--foerderung.md").read_text(encoding="utf-8")
    assert "Die Förderung läuft bis 2012." in body and "2010" not in body


# --- the title of documents without a heading ------------------------------------------------


def _plain_document(folder: Path, title_property: str = "") -> Path:
    """A Word document without any heading, as most real ones are."""
    folder.mkdir(parents=True, exist_ok=True)
    document = docx.Document()
    document.add_paragraph("Sprachpaten an Grundschulen")
    document.add_paragraph("Seit 2009 begleiten ehrenamtliche Sprachpatinnen Kinder in der ersten Klasse.")
    document.core_properties.title = title_property
    path = folder / "sprachpaten.docx"
    document.save(str(path))
    return path


def test_title_comes_from_the_document_properties(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = project(tmp_path / "projekt")
    code, out, _ = run_import(root, capsys, _plain_document(tmp_path / "word", "Sprachpatenschaften in Hamm"))
    assert code == 0
    assert "(„Sprachpatenschaften in Hamm“)" in out and "aus den Dokumenteigenschaften" in out
    text = (root / PAPER_DIR / "muenchen--sprachpatenschaften-in-hamm.md").read_text(encoding="utf-8")
    assert "Sprachpaten an Grundschulen" in text  # the first paragraph stays text


def test_title_comes_from_a_short_first_paragraph(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = project(tmp_path / "projekt")
    code, out, _ = run_import(root, capsys, _plain_document(tmp_path / "word"))
    assert code == 0
    assert "(„Sprachpaten an Grundschulen“)" in out and "aus dem ersten Absatz" in out
    text = (root / PAPER_DIR / "muenchen--sprachpaten-an-grundschulen.md").read_text(encoding="utf-8")
    assert "title: Sprachpaten an Grundschulen" in text
    assert text.count("Sprachpaten an Grundschulen") == 1  # no longer repeated as the first paragraph
