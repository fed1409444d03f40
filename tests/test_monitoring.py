"""Data contributions: CSV checks, charts and tables in every output, the Monitoring page.

Real files and real tools throughout: the CLI for ``check``, matplotlib for the SVG, Typst
for the PDF (read back with ``pdftotext``), pandoc for the DOCX, mkdocs and chromium for the
site.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from projects import REPO, contribution, make_project
from redaktion.assemble.draft import assemble
from redaktion.check.corpus import check
from redaktion.cli.main import main
from redaktion.source.load import load
from redaktion.model import Draft
from redaktion.render.markdown import render_markdown

PAPER_DIR = "contributions/testpapier"
DATA_FRONT = {
    "kind": "daten", "title": "Betreuungsquoten",
    "daten": "\n  datei: stuttgart--quoten.csv\n  indikator: Betreuungsquote\n  einheit: \"%\"\n"
             "  quelle: Beispielzahlen\n  diagramm:\n    typ: balken",
}
NUMBER = re.compile(r"^−?\d[\d.]*(,\d+)?$")


def data_project(tmp_path: Path, csv: str, **front: str) -> Path:
    """A minimal project with one data contribution and its CSV file."""
    return make_project(tmp_path, {
        f"{PAPER_DIR}/stuttgart--quoten.md": contribution("Zahlen zur Betreuung.\n", **{**DATA_FRONT, **front}),
        f"{PAPER_DIR}/stuttgart--quoten.csv": csv,
    })


def run_check(root: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(["--root", str(root), "check"])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def table_numbers(draft: Draft) -> list[str]:
    """Every number cell of every data table in the draft, as formatted there."""
    numbers = []
    for block in draft.blocks:
        if block.dataset is None:
            continue
        for line in block.dataset.table.splitlines():
            if line.startswith("| ") and "---" not in line:
                numbers += [cell.strip() for cell in line.strip("|").split("|") if NUMBER.match(cell.strip())]
    return numbers


# --- check ------------------------------------------------------------------------------------


def test_broken_number_and_unknown_city_fail_with_csv_file_and_line(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    csv = "Kommune;Jahr;Quote\nstuttgart;2009;24,1\nmuenchen;2009;12,5%\nstutgart;2008;11,0\n"
    code, output = run_check(data_project(tmp_path, csv), capsys)
    assert code == 1
    assert "Traceback" not in output
    assert f"{PAPER_DIR}/stuttgart--quoten.csv:3:15: Fehler R094" in output
    assert "„12,5%“ ist keine Zahl" in output and "Schreiben Sie nur 12,5" in output
    assert f"{PAPER_DIR}/stuttgart--quoten.csv:4:1: Fehler R095: Unbekannte Kommune „stutgart“" in output
    assert "Meinten Sie „stuttgart“?" in output


@pytest.mark.parametrize(("cell", "code", "hint"), [
    ("12.5", "R094", "Dezimalzahlen mit Komma: 12,5"),
    ("1.234", "R094", "ohne Tausendertrennzeichen: 1234"),
    ("viel", "R094", "nur Zahlen mit Dezimalkomma"),
    ("k. A.", "R096", "fehlend:"),
    ("", "R096", "fehlend:"),
])
def test_cell_problems_are_located_and_explained(tmp_path: Path, cell: str, code: str, hint: str) -> None:
    root = data_project(tmp_path, f"Kommune;Jahr;Quote\nstuttgart;2008;11,0\nstuttgart;2009;{cell}\n")
    found = [d for d in check(load(root)) if d.code == code]
    assert [(d.path, d.line) for d in found] == [(f"{PAPER_DIR}/stuttgart--quoten.csv", 3)]
    assert hint in found[0].hint


def test_missing_values_are_allowed_when_explained(tmp_path: Path) -> None:
    front = DATA_FRONT["daten"] + "\n  fehlend: München hat 2009 nicht gemeldet."
    root = data_project(tmp_path, "Kommune;Jahr;Quote\nstuttgart;2009;24,1\nmuenchen;2009;k. A.\n", daten=front)
    assert [d.format() for d in check(load(root)) if d.severity == "error"] == []
    draft = assemble(load(root), "testpapier")
    markdown = " ".join(render_markdown(draft).replace("\\", "").split())
    assert "| München | 2009 | k. A. |" in markdown
    assert "k. A. = keine Angabe: München hat 2009 nicht gemeldet." in markdown


@pytest.mark.parametrize(("csv", "daten", "code"), [
    ("Stadt;Jahr;Quote\nstuttgart;2009;1\n", None, "R093"),
    ("Kommune;Jahr\nstuttgart;2009\n", None, "R093"),
    ("Kommune;Jahr;Quote\nstuttgart;2009;1;2\n", None, "R092"),
    ("Kommune;Jahr;Quote\nstuttgart;09;1\n", None, "R097"),
    ("Kommune;Quote\nstuttgart;1\n", None, "R097"),
    ("Kommune;Jahr;Quote\nstuttgart;2009;1\nstuttgart;2009;2\n", None, "R099"),
    ("Kommune;Jahr;Quote\nstuttgart;2009;1\n", DATA_FRONT["daten"].replace("balken", "linie"), "R098"),
    ("Kommune;Jahr;Quote\nstuttgart;2009;1\n", DATA_FRONT["daten"] + "\n    jahr: 2010", "R098"),
    ("Kommune;Jahr;Quote\nstuttgart;2009;1\n", DATA_FRONT["daten"].replace("quoten.csv", "quote.csv"), "R091"),
])
def test_table_problems(tmp_path: Path, csv: str, daten: str | None, code: str) -> None:
    root = data_project(tmp_path, csv, **({"daten": daten} if daten else {}))
    assert code in {d.code for d in check(load(root)) if d.severity == "error"}


def test_data_block_needs_kind_daten(tmp_path: Path) -> None:
    root = data_project(tmp_path, "Kommune;Jahr;Quote\nstuttgart;2009;1\n", kind="text")
    assert "R090" in {d.code for d in check(load(root))}


def test_csv_in_windows_1252_is_reported(tmp_path: Path) -> None:
    root = data_project(tmp_path, "")
    (root / PAPER_DIR / "stuttgart--quoten.csv").write_bytes("Kommune;Jahr;Quote\nmünchen;2009;1\n".encode("cp1252"))
    found = [d for d in check(load(root)) if d.code == "R092"]
    assert found and found[0].line == 2


def test_demo_data_contributions_are_valid_including_the_one_without_csv() -> None:
    corpus = load(REPO)
    assert [d.format() for d in check(corpus) if d.severity == "error"] == []
    kinds = {c.id: c.data for c in corpus.contributions if c.kind == "daten"}
    assert kinds["kreis-dueren--betreuungsquoten"] is None  # pipe table in the body stays allowed
    with_csv = [data for data in kinds.values() if data is not None]
    assert len(with_csv) >= 3
    assert {data.chart.kind for data in with_csv if data.chart} == {"balken", "linie"}


# --- the draft and the charts ---------------------------------------------------------------


@pytest.fixture(scope="module")
def draft() -> Draft:
    return assemble(load(REPO), "bildungsmanagement")


def test_draft_holds_chart_placeholder_table_and_source(draft: Draft) -> None:
    charts = draft.charts
    assert len(charts) == 3
    bar = next(c for c in charts if c.id == "beitrag-betreuungsquoten-staedtevergleich-diagramm")
    assert bar.alt.startswith("Balkendiagramm: Betreuungsquote unter Dreijähriger 2009 in 8 Kommunen; ")
    assert "höchster Wert Tübingen 31,2 %, niedrigster Wert Kreis Düren 11,2 %" in bar.alt
    line = next(c for c in charts if c.kind == "linie")
    assert "Liniendiagramm: Einbürgerungen 2007 bis 2009 in 8 Kommunen" in line.alt
    markdown = " ".join(render_markdown(draft).replace("\\", "").split())
    assert f'::: {{.diagramm chart="{bar.id}" kind="balken" alt="Balkendiagramm: ' in markdown
    assert "| Tübingen | 2009 | 16,5 | 31,2 |" in markdown
    assert "Lizenz: Datenlizenz Deutschland – Namensnennung – Version 2.0." in markdown
    assert len(table_numbers(draft)) >= 3 * 24


def test_chart_svg_keeps_labels_as_text_and_is_reproducible(draft: Draft) -> None:
    from redaktion.render.charts import render_svg

    for chart in draft.charts:
        svg = render_svg(chart).decode("utf-8")
        assert svg == render_svg(chart).decode("utf-8")
        texts = re.findall(r"<text[^>]*>([^<]*)</text>", svg)
        assert f"<title>{chart.alt}</title>" in svg
        assert "<script" not in svg and "<dc:date>" not in svg
        for label in chart.categories:
            assert any(label in text for text in texts), label
        if chart.kind == "balken":
            values = [v for s in chart.series for v in s.values if v is not None]
            assert {f"{v:.{chart.decimals}f}".replace(".", ",") for v in values} <= set(texts)


# --- PDF and DOCX -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pdf(draft: Draft) -> bytes:
    from redaktion.render.pdf import render_pdf

    return render_pdf(draft, REPO)


def pdf_text(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "paper.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_pdf_contains_every_number_of_every_table_and_the_alt_texts(pdf: bytes, draft: Draft, tmp_path: Path) -> None:
    import pikepdf

    words = set(pdf_text(pdf, tmp_path).split())
    missing = [n for n in table_numbers(draft) if n not in words]
    assert not missing, f"Im PDF fehlen die Zahlen {missing}"
    with pikepdf.open(tmp_path / "paper.pdf") as document:
        alts = {str(obj.get("/Alt")) for obj in document.objects
                if isinstance(obj, pikepdf.Dictionary) and "/Alt" in obj}
    for chart in draft.charts:
        assert chart.alt in alts


def test_pdf_with_charts_is_reproducible(pdf: bytes, draft: Draft) -> None:
    from redaktion.render.pdf import render_pdf

    assert render_pdf(draft, REPO) == pdf


def test_docx_contains_numbers_and_charts_with_alt_text_reproducibly(draft: Draft) -> None:
    import io

    import docx

    from redaktion.render.docx import render_docx

    data = render_docx(draft, REPO)
    assert render_docx(draft, REPO) == data
    document = docx.Document(io.BytesIO(data))
    cells = {cell.text.strip() for table in document.tables for row in table.rows for cell in row.cells}
    missing = [n for n in table_numbers(draft) if n not in cells]
    assert not missing, f"Im DOCX fehlen die Zahlen {missing}"
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = archive.read("word/document.xml").decode("utf-8")
        pngs = [n for n in archive.namelist() if n.startswith("word/media/") and n.endswith(".png")]
    for chart in draft.charts:
        assert f'descr="{chart.alt}"' in xml
    assert len(pngs) >= len(draft.charts)
    assert "/tmp" not in xml


# --- the website --------------------------------------------------------------------------------


def test_site_has_monitoring_page_with_charts_tables_and_csv(demo_site: Path, draft: Draft) -> None:
    page = (demo_site / "monitoring" / "index.html").read_text(encoding="utf-8")
    for chart in draft.charts:
        svg = demo_site / "diagramme" / "bildungsmanagement" / f"{chart.id}.svg"
        assert svg.is_file()
        assert f'diagramme/bildungsmanagement/{chart.id}.svg' in page
    assert 'alt="Balkendiagramm: Betreuungsquote unter Dreijähriger 2009 in 8 Kommunen;' in page
    for block in draft.blocks:
        if block.dataset:
            name = Path(block.dataset.csv).name
            assert (demo_site / "downloads" / "daten" / "bildungsmanagement" / name).read_bytes() == \
                (REPO / block.dataset.csv).read_bytes()
            assert name in page
    assert "Datenlizenz Deutschland – Namensnennung – Version 2.0" in page
    assert all(n in page for n in table_numbers(draft))
    paper = (demo_site / "papiere" / "bildungsmanagement" / "index.html").read_text(encoding="utf-8")
    assert paper.count('<figure class="diagramm">') == 3


CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)


@pytest.fixture(scope="module")
def site_url(demo_site: Path) -> Iterator[str]:
    from test_browser import _serve

    yield from _serve(demo_site)


@pytest.mark.skipif(CHROMIUM is None, reason="chromium ist nicht installiert")
def test_monitoring_page_passes_axe_and_shows_the_charts(site_url: str) -> None:
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import sync_playwright

    from test_browser import CHROMIUM_ARGS, WCAG_TAGS

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for width in (1280, 390):
                page = browser.new_page(viewport={"width": width, "height": 900})
                page.goto(site_url + "monitoring/", wait_until="load")
                results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
                assert results.violations_count == 0, results.generate_report()
                widths = page.eval_on_selector_all("figure.diagramm img", "imgs => imgs.map(i => i.naturalWidth)")
                assert len(widths) == 3 and all(w > 300 for w in widths)
                page.close()
        finally:
            browser.close()
