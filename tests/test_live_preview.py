"""The live preview's single-page rebuild: after a saved contribution only the pages it changes
are written, they equal what a full build writes, and anything that reaches further than page
content asks for a full build. Real mkdocs, real pandoc, the demo project."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config

from projects import copy_demo
from redaktion.build.live import LiveProject
from redaktion.build.outputs import drafts_for
from redaktion.build.serve import contributions_only, editor_scratch
from redaktion.check.corpus import check
from redaktion.model import anchor_for
from redaktion.source.load import load

SERVE_URL = "http://127.0.0.1:8000/"
PAPER_PAGE = "papiere/bildungsmanagement/index.html"
TEXT = "contributions/bildungsmanagement/wuppertal--elternbegleiterinnen.md"
EXAMPLE = "contributions/bildungsmanagement/hamburg--uebergangsmanagement-schule-beruf.md"
_SIZES = re.compile(r"<span>(?:wird erstellt …|[\d,.]+\s*[KM]?B)</span>")


def _serve_build(root: Path, site: Path):
    """A full build as ``redaktion serve`` makes it; returns the config (its plugin keeps the state)."""
    config = load_config(config_file=str(root / "mkdocs.yml"), site_dir=str(site))
    config.site_url = SERVE_URL
    config.plugins.on_startup(command="serve", dirty=False)
    build(config, serve_url=SERVE_URL)
    return config


def _pages(site: Path) -> dict[str, tuple[int, bytes]]:
    return {str(p.relative_to(site)): (p.stat().st_mtime_ns, p.read_bytes()) for p in site.rglob("*.html")}


def _edit(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _search_text(site: Path) -> str:
    return json.dumps(json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8")),
                      ensure_ascii=False)


@pytest.fixture()
def preview(tmp_path: Path):
    root = copy_demo(tmp_path / "demo")
    config = _serve_build(root, tmp_path / "site")
    try:
        yield root, tmp_path / "site", config.plugins["redaktion"]
    finally:
        config.plugins.on_shutdown()


def test_a_saved_text_rewrites_only_its_paper_page_as_a_full_build_would(preview, tmp_path: Path) -> None:
    root, site, plugin = preview
    before = _pages(site)
    _edit(root, TEXT, "Getragen wird", "Frisch gespeichert im Vorschautest. Getragen wird")

    assert plugin.update(root, False) == ["papiere/bildungsmanagement/"]

    after = _pages(site)
    assert "Frisch gespeichert im Vorschautest." in after[PAPER_PAGE][1].decode("utf-8")
    untouched = {name for name in before if name != PAPER_PAGE}
    assert untouched and all(after[name] == before[name] for name in untouched)  # same bytes, same mtime
    # The page equals the one a full build makes of the same files (sizes of PDFs still compiling aside).
    full = tmp_path / "voll"
    config = _serve_build(root, full)
    config.plugins.on_shutdown()
    rebuilt = _SIZES.sub("", after[PAPER_PAGE][1].decode("utf-8"))
    assert rebuilt == _SIZES.sub("", (full / PAPER_PAGE).read_text(encoding="utf-8"))


def test_the_search_index_follows_a_single_page_rebuild(preview, tmp_path: Path) -> None:
    root, site, plugin = preview
    _edit(root, TEXT, "Getragen wird", "Suchbares Vorschauwort. Getragen wird")
    assert plugin.update(root, False) == ["papiere/bildungsmanagement/"]
    deadline = time.monotonic() + 60
    while "Suchbares Vorschauwort" not in _search_text(site):
        assert time.monotonic() < deadline, "der Suchindex wurde nicht nachgeführt"
        time.sleep(0.1)
    text = _search_text(site)
    assert text.count("Suchbares Vorschauwort") == 1  # the page's entries replaced, not added
    # The patched index (the page indexed in another process) is the one a full build makes.
    full = tmp_path / "voll"
    config = _serve_build(root, full)
    config.plugins.on_shutdown()
    assert text == _search_text(full)


def test_a_changed_title_also_rewrites_the_overviews_that_list_it(preview) -> None:
    root, site, plugin = preview
    _edit(root, EXAMPLE, "title: Verbindliche Berufsorientierung ab Klasse 8",
          "title: Berufsorientierung mit neuem Titel")
    pages = plugin.update(root, False)
    assert pages is not None and "papiere/bildungsmanagement/" in pages and "praxisbeispiele/" in pages
    assert "Berufsorientierung mit neuem Titel" in (site / "praxisbeispiele" / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize(("rel", "old", "new"), [
    # A new check error appears on every page.
    (TEXT, "status: angenommen", "status: angenomen"),
    # The navigation names the paper by its title.
    ("contributions/bildungsmanagement/paper.yml", "short_title: ", "short_title: Neu "),
])
def test_changes_beyond_page_content_ask_for_a_full_build(preview, rel: str, old: str, new: str) -> None:
    root, site, plugin = preview
    before = _pages(site)
    _edit(root, rel, old, new)
    assert plugin.update(root, False) is None
    assert _pages(site) == before  # nothing written: the full build follows


def test_the_live_project_gives_what_a_fresh_load_gives(tmp_path: Path) -> None:
    root = copy_demo(tmp_path / "demo")
    live = LiveProject(root, intern=True)
    target = next(c for c in load(root).contributions if c.rel == TEXT)

    def same_as_fresh() -> tuple:
        site = live.site_input(contributions_only=True)
        fresh = load(root)
        assert [d.content_hash for d in site.drafts] == [d.content_hash for d in drafts_for(fresh, True)]
        assert site.errors == tuple(d for d in check(fresh) if d.severity == "error")
        return site.errors

    assert not same_as_fresh()
    # Same length: only the modification time tells the file changed.
    _edit(root, TEXT, "Getragen wird", "Gehalten wird")
    _edit(root, EXAMPLE, "\n\n", f"\n\nSiehe [Elternarbeit](#{anchor_for(target)}).\n\n")
    assert not same_as_fresh()
    # The linking text is unchanged, but its target is no longer accepted: its link is an error now.
    _edit(root, TEXT, "status: angenommen", "status: abgelehnt")
    errors = same_as_fresh()
    assert [d.path for d in errors] == [EXAMPLE] and anchor_for(target) in errors[0].message
    _edit(root, TEXT, "status: abgelehnt", "status: angenommen")
    assert not same_as_fresh()


@pytest.mark.parametrize(("name", "expected"), [
    ("contributions/bildungsmanagement/neu.md", True),
    ("contributions/members.yml", True),
    ("contributions/sitzungen/2010-01-01-ort.md", True),
    ("contributions/bildungsmanagement/media/bild.png", False),
    ("contributions/bildungsmanagement/daten.csv", False),
    ("docs/mitmachen.md", False),
    ("mkdocs.yml", False),
])
def test_which_saves_the_preview_handles_without_a_full_build(tmp_path: Path, name: str, expected: bool) -> None:
    assert contributions_only(tmp_path, {str(tmp_path / name)}) is expected
    assert contributions_only(tmp_path, set()) is False


@pytest.mark.parametrize(("name", "scratch"), [
    ("contributions/bildungsmanagement/.wuppertal--x.md.swp", True),  # vim
    ("contributions/bildungsmanagement/wuppertal--x.md~", True),
    ("contributions/bildungsmanagement/4913", True),  # vim's test whether the folder is writable
    ("contributions/bildungsmanagement/sedAb12Cd", True),  # sed -i, renamed onto the text
    ("contributions/bildungsmanagement/#wuppertal--x.md#", True),  # emacs
    ("contributions/bildungsmanagement/wuppertal--x.md", False),
    ("contributions/bildungsmanagement/media/bild.png", False),
    ("docs/CNAME", False),
])
def test_scratch_files_of_editors_do_not_rebuild_the_preview(tmp_path: Path, name: str, scratch: bool) -> None:
    assert editor_scratch(str(tmp_path / name)) is scratch
