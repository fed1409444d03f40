"""End to end: `redaktion build` on the demo, with real pandoc, Typst and mkdocs.

Nothing a member wrote may get lost between the file and the published PDF, DOCX and site;
nothing private may leak into them; builds are atomic and byte-reproducible.
"""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import pytest

from projects import copy_demo
from redaktion.cli.main import main
from redaktion.source.load import load
from textcheck import (EMAIL, all_text_of_tree, docx_text, main_html_text, missing_in_order, pdf_text,
                       source_parts, words)

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils fehlt")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_demo(tmp_path_factory.mktemp("demo"))
    assert main(["--root", str(root), "build"]) == 0
    return root


def _public_contributions(root: Path):
    corpus = load(root)
    return [c for c in corpus.contributions if c.is_accepted and corpus.papers[c.paper].is_public]


def _paper_page(root: Path, paper_id: str) -> str:
    candidates = sorted((root / "build" / "site").rglob("*.html"))
    pages = [p for p in candidates if paper_id in p.parts or p.parent.name == paper_id or p.stem == paper_id]
    assert pages, f"keine Seite für {paper_id}"
    return "\n".join(main_html_text(p.read_text(encoding="utf-8")) for p in pages)


def test_build_writes_every_output(demo: Path) -> None:
    build = demo / "build"
    assert (build / "site" / "index.html").is_file()
    assert (build / "pdf" / "bildungsmanagement.pdf").is_file()
    assert (build / "docx" / "bildungsmanagement.docx").is_file()
    assert (build / "drafts" / "bildungsmanagement.md").is_file()
    # Papers in Entwurf or Abstimmung are not public.
    assert not (build / "pdf" / "engagement-partizipation.pdf").exists()
    assert not (build / "pdf" / "interkulturelle-verwaltung.pdf").exists()
    assert not list(build.glob(".staging-*"))


@pytest.mark.parametrize("output", ["pdf", "site", "docx"])
def test_every_word_of_every_accepted_contribution_is_published_in_order(demo: Path, output: str) -> None:
    for paper_id in {c.paper for c in _public_contributions(demo)}:
        if output == "pdf":
            text = pdf_text(demo / "build" / "pdf" / f"{paper_id}.pdf")
        elif output == "docx":
            text = docx_text(demo / "build" / "docx" / f"{paper_id}.docx")
        else:
            text = _paper_page(demo, paper_id)
        published = words(text)
        full_text = " ".join(published)
        for contribution in _public_contributions(demo):
            running, footnotes, alts = source_parts(contribution.body)
            missing, _ = missing_in_order(running, published)
            assert not missing, f"{output}: {contribution.id}: fehlende Wörter {missing[:10]}"
            assert " ".join(words(contribution.title)) in full_text, contribution.title
            for note in footnotes + alts:
                assert " ".join(words(note)) in full_text, f"{output}: {contribution.id}: {note}"


def test_colliding_footnotes_keep_their_own_text(demo: Path) -> None:
    corpus = load(demo)
    with_footnote = [c for c in _public_contributions(demo) if "[^1]:" in c.body]
    assert len(with_footnote) >= 2
    pdf = " ".join(words(pdf_text(demo / "build" / "pdf" / "bildungsmanagement.pdf")))
    site = " ".join(words(_paper_page(demo, "bildungsmanagement")))
    for c in with_footnote:
        _, footnotes, _ = source_parts(c.body)
        for note in footnotes:
            assert " ".join(words(note)) in pdf
            assert " ".join(words(note)) in site
    assert corpus


def _private_texts(root: Path) -> list[str]:
    corpus = load(root)
    private: list[str] = []
    for c in corpus.contributions:
        paper_public = corpus.papers[c.paper].is_public
        if not (c.is_accepted and paper_public):
            running, _, _ = source_parts(c.body)
            private.append(" ".join(running[:12]))
        if c.note:
            private.append(" ".join(words(c.note)[:8]))
        for comment in re.findall(r"<!--(.*?)-->", c.body, re.DOTALL):
            private.append(" ".join(words(comment)[:8]))
    for paper in corpus.papers.values():
        if not paper.is_public:
            private.append(" ".join(words(paper.title)))
    for comment in corpus.comments:
        # Comments of consultation rounds: neither the reason nor the Redaktion's answer reaches a
        # public output (accepted wording does, as text of its contribution).
        private.append(" ".join(words(comment.reason)[:10]))
        private.append(" ".join(words(comment.answer)[:10]))
    return [p for p in private if p]


def _public_addresses(root: Path) -> set[str]:
    """Addresses the Redaktion wrote into the hand-written pages (Impressum, Barrierefreiheit)."""
    return {m.group(0) for page in (root / "docs").rglob("*.md") for m in EMAIL.finditer(page.read_text())}


def test_nothing_private_leaks_into_any_public_file(demo: Path) -> None:
    private = _private_texts(demo)
    assert len(private) >= 10
    assert len(load(demo).comments) >= 10, "the demo needs comments of consultation rounds"
    authors = {a.email for c in load(demo).contributions for a in c.authors if a.email}
    assert authors, "the demo needs internal author addresses"
    allowed = _public_addresses(demo) - authors
    for folder in ("site", "pdf", "docx", "drafts"):
        for path, text in all_text_of_tree(demo / "build" / folder).items():
            leaked = {m.group(0) for m in EMAIL.finditer(text)} - allowed
            assert not leaked, f"E-Mail-Adresse in {path}: {leaked}"
            if folder != "site":
                assert not EMAIL.search(text), f"E-Mail-Adresse in {path}"
            flat = " ".join(words(text))
            for sentence in private:
                assert sentence not in flat, f"nicht öffentlicher Text in {path}: {sentence}"


def _hashes(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and ".cache" not in p.parts}


def test_two_builds_give_identical_pdf_and_docx(demo: Path, tmp_path: Path) -> None:
    other = tmp_path / "zweiter-build"
    assert main(["--root", str(demo), "build", "--out", str(other)]) == 0
    first = {k: v for k, v in _hashes(demo / "build").items() if k.startswith(("pdf/", "docx/", "drafts/"))}
    second = {k: v for k, v in _hashes(other).items() if k.startswith(("pdf/", "docx/", "drafts/"))}
    assert first and first == second


def test_site_offers_the_rendered_files_with_their_real_sizes(demo: Path) -> None:
    # PDF and DOCX are rendered while the site is built; the pages get their sizes afterwards.
    from redaktion.render.site.content import human_size

    site = demo / "build" / "site"
    page = (site / "papiere" / "bildungsmanagement" / "index.html").read_text(encoding="utf-8")
    for kind in ("pdf", "docx"):
        links = re.findall(rf'href="([^"]+\.{kind})"', page)
        assert links, kind
        offered = (site / "papiere" / "bildungsmanagement" / links[0]).resolve()
        assert offered.read_bytes() == (demo / "build" / kind / f"bildungsmanagement.{kind}").read_bytes()
        assert f"{kind.upper()}, {human_size(offered.stat().st_size)}" in " ".join(main_html_text(page).split())
    for path in site.rglob("*"):
        if path.suffix in {".html", ".json", ".xml"}:
            assert "@@redaktion" not in path.read_text(encoding="utf-8"), path


def test_failed_render_leaves_previous_build_untouched(demo: Path, tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    root = copy_demo(tmp_path / "kaputt")
    out = tmp_path / "ausgabe"
    assert main(["--root", str(root), "build", "--out", str(out)]) == 0
    before = _hashes(out)
    image = next((root / "contributions").rglob("media/*.png"))
    image.write_bytes(image.read_bytes()[:60])  # valid signature, truncated data: passes check, breaks Typst
    capsys.readouterr()
    assert main(["--root", str(root), "build", "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert "Fehler" in err and "Traceback" not in err
    assert _hashes(out) == before
    assert not list(out.glob(".staging-*"))


def test_adoption_and_reservation_are_stated_in_pdf_and_site(demo: Path) -> None:
    pdf = " ".join(words(pdf_text(demo / "build" / "pdf" / "bildungsmanagement.pdf")))
    site = " ".join(words(_paper_page(demo, "bildungsmanagement")))
    for text in (pdf, site):
        assert "version 1 0 verabschiedet am 10 dezember 2009 von landeshauptstadt stuttgart" in text
        assert "vorbehalt deutscher städtetag" in text


def test_adoption_is_stated_in_the_docx(demo: Path) -> None:
    text = " ".join(words(docx_text(demo / "build" / "docx" / "bildungsmanagement.docx")))
    assert "version 1 0 verabschiedet am 10 dezember 2009 von landeshauptstadt stuttgart" in text
    assert "vorbehalt deutscher städtetag" in text
