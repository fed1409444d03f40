"""The website: a real mkdocs build of the demo; nothing lost, nothing leaked, stable links."""

from __future__ import annotations

import html
import importlib.util
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import build_demo_site
from projects import REPO, contribution, copy_demo, make_project
from redaktion.assemble.draft import assemble
from redaktion.model import anchor_for
from redaktion.source.load import load
from redaktion.model import ContentError
from redaktion.render.pandoc import READER, run_pandoc
from textcheck import EMAIL, html_text

TEXT_SUFFIXES = {".html", ".json", ".xml", ".js", ".css", ".txt", ".md"}
_NOISE = re.compile(
    r'<a\s[^>]*class="(?:headerlink|footnote-ref|footnote-back)"[^>]*>.*?</a>', re.DOTALL)
_LEAF = re.compile(r"<(p|li|td|th)\b[^>]*>(.*?)</\1>", re.DOTALL)


def normalised(markup: str) -> str:
    """Visible text of HTML without permalinks and footnote markers, whitespace collapsed."""
    return " ".join(html_text(_NOISE.sub(" ", markup)).split())


def page(site: Path, path: str) -> str:
    return (site / path / "index.html").read_text(encoding="utf-8")


def all_text_files(site: Path) -> dict[Path, str]:
    """Every text file of the site, HTML entities and JSON escapes decoded."""
    files = {}
    for path in site.rglob("*"):
        if path.is_file() and path.suffix in TEXT_SUFFIXES:
            text = path.read_text(encoding="utf-8", errors="replace")
            if path.suffix == ".json":
                text = json.dumps(json.loads(text), ensure_ascii=False)
            files[path] = html.unescape(text)
    return files


def reference_paragraphs(markdown: str) -> list[str]:
    """Paragraphs, list items and table cells of a member's Markdown, converted independently."""
    markdown = re.sub(r"<!--.*?-->", "", markdown, flags=re.DOTALL)
    converted = _NOISE.sub(" ", run_pandoc(markdown, "html5", ["--wrap=none"], source_format=READER))
    found = []
    for _, inner in _LEAF.findall(converted):
        text = " ".join(html_text(inner).split())
        if len(text) > 3:
            found.append(text)
    return found


@pytest.fixture(scope="module")
def corpus():
    return load(REPO)


def test_every_paragraph_of_every_accepted_public_contribution_is_on_the_site(demo_site: Path, corpus) -> None:
    public = [p for p in corpus.papers.values() if p.is_public]
    assert public, "the demo needs a public paper"
    for paper in public:
        text = normalised(page(demo_site, f"papiere/{paper.id}"))
        accepted = [c for c in corpus.contributions_of(paper.id) if c.is_accepted]
        assert accepted
        for c in accepted:
            for paragraph in reference_paragraphs(c.body):
                assert paragraph in text, f"{c.id}: Absatz fehlt auf der Website: {paragraph[:80]!r}"


def test_no_pending_rejected_or_unpublished_text_in_any_file(demo_site: Path, corpus) -> None:
    hidden = [c for c in corpus.contributions
              if not c.is_accepted or not corpus.papers[c.paper].is_public]
    assert any(c.status == "abgelehnt" for c in hidden) and any(c.status == "eingereicht" for c in hidden)
    files = all_text_files(demo_site)
    for c in hidden:
        for paragraph in reference_paragraphs(c.body)[:3]:
            snippet = paragraph[:70]
            leaks = [p.relative_to(demo_site) for p, text in files.items() if snippet in " ".join(text.split())]
            assert not leaks, f"{c.id} ({c.status}) erscheint in {leaks}: {snippet!r}"


def test_no_author_email_and_only_public_office_addresses_in_any_file(demo_site: Path, corpus) -> None:
    author_mails = {a.email for c in corpus.contributions for a in c.authors if a.email}
    assert author_mails, "the demo needs internal e-mail addresses to prove they stay internal"
    # The legal pages must name a contact address (§ 5 DDG); those public office addresses are
    # written by hand in docs/ and are the only ones allowed anywhere in the site.
    allowed = {m.group(0) for p in (REPO / "docs").glob("*.md") for m in EMAIL.finditer(p.read_text("utf-8"))}
    assert not allowed & author_mails
    for path, text in all_text_files(demo_site).items():
        found = {m.group(0) for m in EMAIL.finditer(text)}
        assert not found & author_mails, f"{path}: interne Adresse {found & author_mails}"
        if path.suffix in (".html", ".json", ".xml"):  # vendor scripts carry their authors' addresses
            assert found <= allowed, f"{path}: unerwartete E-Mail-Adresse {found - allowed}"


def test_editorial_notes_never_reach_the_site(demo_site: Path, intern_site: Path, corpus) -> None:
    notes = [c.note for c in corpus.contributions if c.note]
    notes += [" ".join(m.split()) for c in corpus.contributions for m in re.findall(r"<!--(.*?)-->", c.body, re.DOTALL)]
    assert notes, "the demo needs editorial notes"
    for site in (demo_site, intern_site):
        for path, text in all_text_files(site).items():
            flat = " ".join(text.split())
            for note in notes:
                assert note[:60] not in flat, f"{path}: Redaktionsnotiz sichtbar: {note[:60]!r}"


def test_praxisbeispiele_index_lists_every_public_praxisbeispiel_with_its_member(demo_site: Path, corpus) -> None:
    index = page(demo_site, "praxisbeispiele")
    items = re.findall(r'<li class="rk-item".*?</li>\s*(?=<li class="rk-item"|</ul>)', index, re.DOTALL)
    expected = [b for p in corpus.papers.values() if p.is_public
                for b in assemble(corpus, p.id).blocks if b.kind == "praxisbeispiel"]
    assert expected and len(items) == len(expected)
    for block in expected:
        item = next((normalised(i) for i in items if f"#{block.anchor}" in i), None)
        assert item is not None, f"{block.title} fehlt im Praxisbeispiel-Verzeichnis"
        assert block.title in item
        for member in block.members:
            assert member.name in item and member.land in item


def test_paper_page_has_downloads_versions_citation_license_and_sample_note(demo_site: Path, corpus) -> None:
    paper = next(p for p in corpus.papers.values() if p.is_public)
    markup = page(demo_site, f"papiere/{paper.id}")
    text = normalised(markup)
    version = paper.latest_version
    assert version is not None
    for needed in ("Zitiervorschlag", "Lizenz und Namensnennung", "Versionen", "Beispieltexte",
                   f"Version {version.number}", "PDF herunterladen", "Word (DOCX) herunterladen"):
        assert needed in text
    for kind in ("pdf", "docx"):
        assert f'href="../../downloads/{paper.id}-{version.number}.{kind}"' in markup
        assert (demo_site / "downloads" / f"{paper.id}-{version.number}.{kind}").is_file()
    # The in-page table of contents lists every contribution of the paper.
    toc = markup[markup.index('data-md-type="toc"'):markup.index('<div class="md-content"')]
    for block in assemble(corpus, paper.id).blocks:
        assert f'href="#{block.anchor}"' in toc


def test_praxisbeispiel_box_names_its_member_and_recommendations_their_number(demo_site: Path, corpus) -> None:
    paper = next(p for p in corpus.papers.values() if p.is_public)
    markup = page(demo_site, f"papiere/{paper.id}")
    for block in assemble(corpus, paper.id).blocks:
        start = markup.index(f'id="{block.anchor}"')
        section = markup[markup.rindex("<section", 0, start):markup.index("</section>", start)]
        assert f"beitrag--{block.kind}" in section
        assert block.member_names.split(", ")[0] in normalised(section)
        if block.kind == "empfehlung":
            assert f"Empfehlung {block.number}" in normalised(section)


def test_start_page_shows_papers_members_and_legal_links_on_every_page(demo_site: Path, corpus) -> None:
    start = normalised(page(demo_site, ""))
    for paper in corpus.papers.values():
        assert (paper.title in start) == paper.is_public
    for member in corpus.members.values():
        assert member.name in start
    assert "Leichte Sprache" in start and "Gebärdensprache" in start
    for path in demo_site.rglob("*.html"):
        markup = path.read_text(encoding="utf-8")
        footer = normalised(markup[markup.index('class="rk-footer__nav"'):])
        for legal in ("Impressum", "Datenschutz", "Barrierefreiheit", "Barriere melden", "Leichte Sprache"):
            assert legal in footer, f"{path}: Link „{legal}“ im Fuß fehlt"
        assert 'class="rk-entwurf"' not in markup  # the ENTWURF banner is internal only


def test_mitwirkende_lists_every_member_with_its_contributions(demo_site: Path, corpus) -> None:
    text = page(demo_site, "mitwirkende")
    public_blocks = [b for p in corpus.papers.values() if p.is_public for b in assemble(corpus, p.id).blocks]
    for member in corpus.members.values():
        start = text.index(f'id="mitglied-{member.id}"')
        section = normalised(text[start:text.index("</section>", start)])
        assert member.name in section
        for block in public_blocks:
            if member in block.members:
                assert block.title in section


def test_no_external_resources_in_any_page(demo_site: Path) -> None:
    # Resources a browser loads by itself; <link rel="canonical"> is only an address, not a request.
    external = re.compile(r'<(?:script|link(?![^>]*rel="canonical")|img|iframe|source|video|audio)\b'
                          r'[^>]*(?:src|href)="(?:https?:)?//', re.I)
    for path in demo_site.rglob("*.html"):
        markup = path.read_text(encoding="utf-8")
        assert not external.search(markup), f"{path}: externe Ressource"
        assert "fonts.googleapis" not in markup and "fonts.gstatic" not in markup
    for path in demo_site.rglob("*.css"):
        assert not re.search(r"@import\s+url\(\s*['\"]?https?:", path.read_text(encoding="utf-8")), path


def test_recommendation_permalink_survives_an_earlier_insertion(tmp_path: Path) -> None:
    root = copy_demo(tmp_path / "projekt")
    corpus = load(root)
    target = next(c for c in corpus.contributions_of("bildungsmanagement")
                  if c.kind == "empfehlung" and c.is_accepted and c.section == "eltern-partner")
    anchor = anchor_for(target)
    before = page(build_demo_site(tmp_path / "vorher", root=root), "papiere/bildungsmanagement")
    (root / "contributions/bildungsmanagement/hamburg--empfehlung-neue-empfehlung.md").write_text(contribution(
        "Eine neue Empfehlung, die vor allen anderen dieses Abschnitts steht.\n",
        paper="bildungsmanagement", section="eltern-partner", kind="empfehlung",
        title="Neue Empfehlung ganz vorn", members="[hamburg]", order=-1), encoding="utf-8")
    after = page(build_demo_site(tmp_path / "nachher", root=root), "papiere/bildungsmanagement")

    def heading(markup: str) -> str:
        return normalised(re.search(rf'<h3 id="{anchor}">(.*?)</h3>', markup, re.DOTALL).group(1))

    assert target.title in heading(before) and target.title in heading(after)
    number_before = int(re.search(r"Empfehlung (\d+)", heading(before)).group(1))
    assert heading(after).startswith(f"Empfehlung {number_before + 1}:")
    assert "Neue Empfehlung ganz vorn" in normalised(after)


def test_footnotes_with_the_same_id_in_two_contributions_keep_their_own_text(tmp_path: Path) -> None:
    root = make_project(tmp_path / "projekt", {
        "contributions/testpapier/stuttgart--grundsatz.md": contribution(
            "Erster Satz mit Beleg.[^1]\n\n[^1]: Fußnote aus Stuttgart.\n"),
        "contributions/testpapier/muenchen--praxis.md": contribution(
            "Zweiter Satz mit Beleg.[^1]\n\n[^1]: Fußnote aus München.\n",
            members="[muenchen]", kind="praxisbeispiel", title="Ein Beispiel"),
    })
    (root / "mkdocs.yml").write_text((REPO / "mkdocs.yml").read_text("utf-8"), encoding="utf-8")
    (root / "docs").mkdir()
    markup = page(build_demo_site(tmp_path, root=root), "papiere/testpapier")
    notes = re.findall(r'<li id="(fn-[\w-]+)">(.*?)</li>', markup, re.DOTALL)
    texts = {ident: normalised(body) for ident, body in notes}
    assert sorted(texts.values()) == ["Fußnote aus München.", "Fußnote aus Stuttgart."]
    for ident in texts:
        assert markup.count(f'id="{ident}"') == 1 and f'href="#{ident}"' in markup
    # Each note is listed at the end of its own contribution.
    for ident, text in texts.items():
        own = markup[:markup.index(f'id="{ident}"')].rsplit('<section class="beitrag', 1)[1]
        assert ("Erster Satz" if "Stuttgart" in text else "Zweiter Satz") in own


@pytest.mark.parametrize("intern", [False, True])
def test_paper_html_in_cached_pieces_equals_the_whole_conversion(corpus, intern, tmp_path: Path) -> None:
    # The site converts each contribution on its own and caches it; the page must be exactly
    # what one pandoc run over the whole body gives, also with pieces from different runs.
    from redaktion.build.outputs import drafts_for
    from redaktion.render.site import html

    cache = tmp_path / "html"
    for draft in drafts_for(corpus, intern):
        whole = html.paper_html(draft, "../../")
        assert html.paper_html(draft, "../../", cache) == whole
        for path in sorted(cache.glob("*.html5"))[::2]:
            path.unlink()
        assert html.paper_html(draft, "../../", cache) == whole


def test_footnotes_in_a_section_introduction_are_kept(tmp_path: Path) -> None:
    # Notes outside contributions cannot stay with one; pandoc lists them at the end of the page.
    root = make_project(tmp_path / "projekt", {
        "contributions/testpapier/stuttgart--grundsatz.md": contribution("Ein Satz mit Beleg.[^1]\n\n[^1]: Beleg.\n"),
    })
    paper = root / "contributions" / "testpapier" / "paper.yml"
    paper.write_text(paper.read_text(encoding="utf-8").replace(
        "    title: Grundlagen\n",
        "    title: Grundlagen\n    intro: |\n      Einleitung mit Quelle.[^q]\n\n      [^q]: Quelle der Einleitung.\n", 1),
        encoding="utf-8")
    from redaktion.build.outputs import drafts_for
    from redaktion.source.load import load
    from redaktion.render.site import html

    draft = drafts_for(load(root), False)[0]
    from redaktion.render.markdown import render_markdown

    assert "Quelle der Einleitung." in render_markdown(draft)
    markup = html.paper_html(draft, "../../", tmp_path / "cache")
    assert "Quelle der Einleitung." in markup and "Beleg." in markup
    assert markup == html.paper_html(draft, "../../")


def test_internal_site_marks_drafts_and_shows_every_paper_and_status(intern_site: Path, corpus) -> None:
    for path in intern_site.rglob("*.html"):
        markup = path.read_text(encoding="utf-8")
        assert '<p class="rk-entwurf"><strong>ENTWURF</strong>' in markup, f"{path}: Banner fehlt"
    for paper in corpus.papers.values():
        markup = page(intern_site, f"papiere/{paper.id}")
        for c in corpus.contributions_of(paper.id):
            start = markup.index(f'id="{anchor_for(c)}"')
            section = normalised(markup[start:markup.index("</section>", start)])
            assert "Status:" in section
    pending = next(c for c in corpus.contributions if c.status == "in-pruefung")
    assert "Status: In Prüfung" in normalised(page(intern_site, f"papiere/{pending.paper}"))


def test_content_errors_stop_the_build_with_diagnostics(tmp_path: Path) -> None:
    root = make_project(tmp_path / "projekt", {
        "contributions/testpapier/stuttgart--kaputt.md": contribution(members="[gibtsnicht]"),
    })
    (root / "mkdocs.yml").write_text((REPO / "mkdocs.yml").read_text("utf-8"), encoding="utf-8")
    (root / "docs").mkdir()
    with pytest.raises(ContentError) as error:
        build_demo_site(tmp_path, root=root)
    assert any("gibtsnicht" in d.message for d in error.value.diagnostics)


def test_plain_mkdocs_build_renders_its_own_downloads(tmp_path: Path) -> None:
    """`mkdocs build` in the project folder works without redaktion and makes PDF and DOCX."""
    if importlib.util.find_spec("redaktion.render.pdf") is None or importlib.util.find_spec("redaktion.render.docx") is None:
        pytest.skip("PDF/DOCX-Renderer noch nicht vorhanden")
    root = copy_demo(tmp_path / "projekt")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--quiet", "--site-dir", str(tmp_path / "site")],
                            cwd=root, env=env, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    pdfs = list((tmp_path / "site" / "downloads").glob("*.pdf"))
    assert pdfs and pdfs[0].read_bytes().startswith(b"%PDF")
    assert list((tmp_path / "site" / "downloads").glob("*.docx"))


def test_mkdocs_reports_content_errors_in_german_without_traceback(tmp_path: Path) -> None:
    root = make_project(tmp_path / "projekt", {
        "contributions/testpapier/stuttgart--kaputt.md": contribution(members="[gibtsnicht]"),
    })
    (root / "mkdocs.yml").write_text((REPO / "mkdocs.yml").read_text("utf-8"), encoding="utf-8")
    (root / "docs").mkdir()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--quiet"], cwd=root, env=env,
                            capture_output=True, text=True, check=False)
    assert result.returncode != 0
    assert "Die Website kann nicht gebaut werden" in result.stderr
    assert "gibtsnicht" in result.stderr
    assert "Traceback" not in result.stderr


def test_reader_is_the_shared_one() -> None:
    """The site converts paper text with the same pandoc reader as PDF and DOCX."""
    from redaktion.render.site import html as site_html

    assert site_html.run_pandoc is run_pandoc and READER.startswith("markdown-")


def test_internal_site_has_a_status_page_and_the_public_site_has_none(demo_site: Path, intern_site: Path,
                                                                     corpus) -> None:
    markup = normalised(page(intern_site, "bearbeitungsstand"))
    for paper in corpus.papers.values():
        assert paper.title in markup
    pending = next(c for c in corpus.contributions if c.status == "eingereicht")
    assert pending.title in markup
    assert "Mitglieder ohne Beitrag" in markup
    assert not (demo_site / "bearbeitungsstand").exists()


def test_topic_labels_come_from_the_topic_list(demo_site: Path, corpus) -> None:
    labels = dict(corpus.publisher.topics)
    markup = normalised(page(demo_site, "praxisbeispiele"))
    used = {tag for c in corpus.contributions if c.kind == "praxisbeispiel" and c.is_accepted
            and corpus.papers[c.paper].is_public for tag in c.tags}
    assert used
    for tag in used:
        assert labels[tag] in markup
    assert any(labels[tag] != tag.capitalize() for tag in used), "a label with umlauts or spaces is shown"


def test_only_images_inside_the_papers_media_folder_reach_the_site(tmp_path: Path) -> None:
    # check accepts any image below contributions/; the site must still copy nothing from outside
    # the paper's own media folder – here the images of a paper that is not public.
    from redaktion.render.site import content

    picture = (REPO / "contributions/bildungsmanagement/media/bildungsbuero-organigramm.png").read_bytes()
    secret = picture + b"GEHEIMES-BILD-1"
    secret_linked = picture + b"GEHEIMES-BILD-2"
    body = ("Erlaubt: ![Ein Organigramm](media/bild.png)\n\n"
            "Auch erlaubt: ![Noch ein Organigramm](media/unter/../bild-zwei.png)\n\n"
            "Nicht erlaubt: ![Ein fremdes Bild](media/../../intern/media/geheim.png)\n\n"
            "Nicht erlaubt: ![Ein verlinktes Bild](media/verweis.png)\n")
    root = make_project(tmp_path / "projekt", {
        "contributions/testpapier/stuttgart--grundsatz.md": contribution(body),
        "contributions/testpapier/media/bild.png": picture,
        "contributions/testpapier/media/bild-zwei.png": picture + b"zwei",
        "contributions/intern/paper.yml": ("id: intern\ntitle: Internes Papier\nkind: arbeitsmaterial\n"
                                           "status: entwurf\noutline:\n  - id: teil\n    title: Teil\n"),
        "contributions/intern/media/geheim.png": secret,
        "contributions/intern/media/geheim-zwei.png": secret_linked,
    })
    (root / "contributions/testpapier/media/unter").mkdir()
    (root / "contributions/testpapier/media/verweis.png").symlink_to("../../intern/media/geheim-zwei.png")
    (root / "mkdocs.yml").write_text((REPO / "mkdocs.yml").read_text("utf-8"), encoding="utf-8")
    (root / "docs").mkdir()
    draft = assemble(load(root), "testpapier")

    media = root.resolve() / "contributions/testpapier/media"
    assert content.media_files(draft, root) == {"medien/testpapier/bild.png": media / "bild.png",
                                                "medien/testpapier/bild-zwei.png": media / "bild-zwei.png"}
    # The path with ".." never reaches the draft (the parse keeps only paths inside media/);
    # the symbolic link does, and the site refuses it.
    assert content.refused_media(draft, root) == ["contributions/testpapier/media/verweis.png"]
    assert "geheim" not in "".join(content for _, content in draft.pieces)
    # check refuses both, so no build publishes them either.
    from redaktion.check.corpus import check
    from redaktion.model import ContentError

    refused = [(d.code, d.line) for d in check(load(root)) if d.severity == "error"]
    assert refused == [("R052", 15), ("R052", 17)]
    with pytest.raises(ContentError):
        build_demo_site(tmp_path, root=root)
    assert not (tmp_path / "site").exists() or not [
        p for p in (tmp_path / "site").rglob("*") if p.is_file() and p.read_bytes() in (secret, secret_linked)]
