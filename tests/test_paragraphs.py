"""Stable paragraph ids: in the Draft and its manifest, in draft PDF/DOCX/site, never in public outputs."""

from __future__ import annotations

import io
import json
import re
import subprocess
import zipfile
from pathlib import Path

import pytest
from projects import REPO, contribution, make_project

from redaktion.assemble.draft import assemble
from redaktion.source.load import load
from redaktion.render.manifest import render_manifest

PAPER = "testpapier"
BODY = "Erster Absatz.\n\n## Zwischentitel\n\nZweiter Absatz.\n\n- eins\n- zwei\n\n> Ein Zitat.\n\n---\n\nLetzter Absatz.\n"


def _project(root: Path, extra: dict[str, str] | None = None, status: str = "final") -> Path:
    files = {f"contributions/{PAPER}/stuttgart--grundsatz.md": contribution(BODY)}
    files |= extra or {}
    project = make_project(root, files)
    paper_yml = project / "contributions" / PAPER / "paper.yml"
    paper_yml.write_text(paper_yml.read_text(encoding="utf-8").replace("status: final", f"status: {status}"),
                         encoding="utf-8")
    return project


def test_every_top_level_block_but_headings_and_rules_gets_an_id_and_a_label(tmp_path: Path) -> None:
    draft = assemble(load(_project(tmp_path)), PAPER)
    block = draft.blocks[0]
    assert [(p.id, p.label) for p in block.paragraphs] == [
        ("beitrag-grundsatz--1", "B1.1"), ("beitrag-grundsatz--2", "B1.2"), ("beitrag-grundsatz--3", "B1.3"),
        ("beitrag-grundsatz--4", "B1.4"), ("beitrag-grundsatz--5", "B1.5")]
    assert [p.text for p in block.paragraphs] == ["Erster Absatz.", "Zweiter Absatz.", "eins zwei", "Ein Zitat.",
                                                   "Letzter Absatz."]


def test_ids_survive_unrelated_edits_labels_follow_the_draft(tmp_path: Path) -> None:
    before = assemble(load(_project(tmp_path / "a")), PAPER)
    earlier = contribution("Ein neuer Beitrag davor.\n", title="Davor", order=0)
    after = assemble(load(_project(tmp_path / "b", {f"contributions/{PAPER}/muenchen--davor.md":
                                                    earlier.replace("[stuttgart]", "[muenchen]")})), PAPER)
    old = {p.id: p for p in before.blocks[0].paragraphs}
    moved = next(b for b in after.blocks if b.contribution_id == "stuttgart--grundsatz")
    assert [p.id for p in moved.paragraphs] == list(old)  # same ids …
    assert moved.paragraphs[0].label == "B2.1" and old["beitrag-grundsatz--1"].label == "B1.1"  # … new numbers


def test_public_drafts_of_public_papers_carry_no_paragraph_marks(tmp_path: Path) -> None:
    project = _project(tmp_path)
    public = assemble(load(project), PAPER)
    assert public.paragraphs and not public.is_draft
    assert '"absatz"' not in "".join(content for _, content in public.pieces)
    intern = assemble(load(project), PAPER, intern=True)
    review = assemble(load(project), PAPER, review=True)
    for draft in (intern, review):
        pieces = "".join(content for _, content in draft.pieces)
        assert pieces.count('["beitrag-grundsatz--') == 5 and '["label","B1.3"]' in pieces
    assert review.is_draft and review.content_hash != public.content_hash


def test_manifest_lists_the_paragraphs_of_sections_and_contributions(tmp_path: Path) -> None:
    paper_yml = make_project(tmp_path) / "contributions" / PAPER / "paper.yml"
    paper_yml.write_text(paper_yml.read_text(encoding="utf-8").replace(
        "    title: Grundlagen\n", "    title: Grundlagen\n    intro: Die Einleitung.\n"), encoding="utf-8")
    manifest = json.loads(render_manifest(assemble(load(tmp_path), PAPER)))
    section = manifest["sections"][0]
    assert section["paragraphs"] == [{"id": "abschnitt-grundlagen--1", "label": "E1.1"}]
    assert section["contributions"][0]["paragraphs"] == [{"id": "beitrag-grundsatz--1", "label": "B1.1"}]


def test_draft_docx_has_a_bookmark_per_paragraph_and_the_public_one_none(tmp_path: Path) -> None:
    from redaktion.render.docx import render_docx

    project = _project(tmp_path)
    names = {}
    for intern in (False, True):
        data = render_docx(assemble(load(project), PAPER, intern=intern), project)
        xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode("utf-8")
        names[intern] = re.findall(r'w:name="(Absatz_[^"]+)"', xml)
    assert names == {False: [], True: ["Absatz_B1_1", "Absatz_B1_2", "Absatz_B1_3", "Absatz_B1_4", "Absatz_B1_5"]}


def test_draft_pdf_shows_numbers_in_the_margin_and_records_the_lines(tmp_path: Path) -> None:
    from redaktion.render.pdf import render_pdf
    from redaktion.render.pdf.lines import line_map

    project = _project(tmp_path, status="entwurf")
    draft = assemble(load(project), PAPER)
    pdf = render_pdf(draft, project)
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    assert all(label in text for label in ("B1.1", "B1.2", "B1.3", "B1.4", "B1.5"))
    lines = line_map(draft, project)
    assert [p.label for p in lines.paragraphs] == ["B1.1", "B1.2", "B1.3", "B1.4", "B1.5"]
    by_label = {p.label: p for p in lines.paragraphs}
    assert by_label["B1.3"].last == by_label["B1.3"].first + 1  # a list of two items
    assert by_label["B1.2"].first > by_label["B1.1"].last + 1  # the heading between them
    assert lines.paragraph_at(by_label["B1.2"].first - 1) is None
    public = render_pdf(assemble(load(_project(tmp_path / "oeffentlich")), PAPER), tmp_path / "oeffentlich")
    plain = subprocess.run(["pdftotext", "-", "-"], input=public, capture_output=True, check=True).stdout.decode()
    assert "B1.1" not in plain


def test_line_marks_are_recorded_for_the_query_only_and_change_nothing_in_the_pdf(tmp_path: Path) -> None:
    # The PDF leaves the per-line marks out (they cost a third of the compile); line_map asks
    # for them and must see exactly the layout of the PDF.
    import typst

    from redaktion.render.pdf import export_options, font_paths, project_source, render_pdf, world_options
    from redaktion.render.pdf.lines import LINE_MARKS

    project = _project(tmp_path, status="entwurf")
    draft = assemble(load(project), PAPER)
    source = project_source(draft, project).encode("utf-8")
    settings = world_options(project, font_paths())
    assert typst.query(source, "<redaktion-zeilen>", **settings) == "[]"
    assert '"zeile"' in typst.query(source, "<redaktion-zeilen>", sys_inputs=LINE_MARKS, **settings)
    marked = typst.compile(source, sys_inputs=LINE_MARKS, **settings, **export_options(draft))
    assert marked == render_pdf(draft, project)


def test_internal_site_has_permalinks_and_the_public_site_none(demo_site: Path, intern_site: Path) -> None:
    public = (demo_site / "papiere" / "bildungsmanagement" / "index.html").read_text(encoding="utf-8")
    assert 'class="absatz' not in public and "Kommentar schreiben" not in public
    intern = (intern_site / "papiere" / "bildungsmanagement" / "index.html").read_text(encoding="utf-8")
    assert '<div class="absatz" id="beitrag-bildung-als-kommunale-aufgabe--1">' in intern
    assert '<a class="absatz__nummer" href="#beitrag-bildung-als-kommunale-aufgabe--1"' in intern
    assert "Kommentar schreiben" not in intern  # no open round on this paper
    open_round = (intern_site / "papiere" / "interkulturelle-verwaltung" / "index.html").read_text(encoding="utf-8")
    assert open_round.count('class="absatz__kommentar"') == open_round.count('<div class="absatz"') > 10


def test_demo_has_a_closed_round_with_decided_comments_and_an_open_one() -> None:
    corpus = load(REPO)
    engagement = corpus.papers["engagement-partizipation"]
    closed = engagement.round("runde-1")
    assert closed.state == "geschlossen" and closed.version == "0.9"
    comments = corpus.comments_of("engagement-partizipation", "runde-1")
    assert len(comments) >= 10 and len({c.member for c in comments}) >= 5
    assert all(c.is_decided for c in comments)
    assert {c.decision for c in comments} == {"uebernommen", "teilweise", "nicht-uebernommen", "erledigt"}
    assert any(c.source.startswith("Word-Datei") for c in comments)
    verwaltung = corpus.papers["interkulturelle-verwaltung"]
    assert verwaltung.open_round is not None and corpus.comments_of("interkulturelle-verwaltung")
    from redaktion.check.corpus import check

    assert not [d for d in check(corpus) if d.severity == "error" or d.code.startswith("R2")]


@pytest.mark.parametrize("path", ["contributions/engagement-partizipation/kommentare/runde-1/runde.json",
                                  "contributions/interkulturelle-verwaltung/kommentare/runde-1/runde.json"])
def test_round_indexes_of_the_demo_are_committed_and_complete(path: str) -> None:
    data = json.loads((REPO / path).read_text(encoding="utf-8"))
    assert data["lines"] > 0 and data["paragraphs"]
    assert all(p["first_line"] >= 1 for p in data["paragraphs"])
