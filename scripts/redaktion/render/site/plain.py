"""The website as plain files: a docs folder and an mkdocs.yml without the redaktion plugin.

Any generator that reads ``mkdocs.yml`` and Markdown (mkdocs, and its successors such as
Zensical) can build the result as it is. It shows that the site renderer is an adapter over
:class:`~.input.SiteInput` and is the fallback when a generator cannot run Python plugins;
the mkdocs adapter (``plugin.py``) stays the fast path (caches, downloads rendered in parallel).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

from .content import html_jobs
from .html import paper_bodies, wrap_tables
from .input import SiteInput
from .pages import START_PAGE, SitePages

ASSETS = Path(__file__).parent / "theme" / "assets" / "redaktion"


def page_url(uri: str) -> str:
    """The address of the page with source path ``uri`` under directory URLs ("a/b.md" → "a/b/")."""
    stem = uri.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        return stem.removesuffix("index")
    return stem + "/"


def write_plain(site: SiteInput, docs: Path, out: Path, site_name: str, site_url: str = "") -> Path:
    """Write the site of ``site`` into ``out`` (``docs/`` and ``mkdocs.yml``); returns the config file.

    ``docs`` is the project's folder of hand-written pages; they are copied unchanged, and the
    generated pages hold their HTML as raw blocks in Markdown files.
    """
    target = out / "docs"
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(docs, target)
    pages = SitePages(site, has_doc=lambda uri: (docs / uri).is_file())
    generated = pages.pages(site_name)
    rendered = site.downloads() if site.downloads is not None else {}
    files = pages.files(lambda uri: _size(rendered, pages.downloads[uri]))
    for uri, (paper_id, kind) in pages.downloads.items():
        if kind in rendered.get(paper_id, {}):
            files[uri] = rendered[paper_id][kind]
    for uri, source in files.items():
        _write(target / uri, source)
    shutil.copytree(ASSETS, target / "assets" / "redaktion", dirs_exist_ok=True)
    bodies = site.bodies.result() if site.bodies is not None else paper_bodies(
        html_jobs([view.draft for view in pages.views.values()]), None)
    pages.bodies = dict(zip(pages.views, bodies))
    known = {page.uri for page in generated} | {p.relative_to(docs).as_posix() for p in docs.rglob("*.md")}

    def url_of(uri: str) -> str | None:
        if uri.endswith(".md"):
            return page_url(uri) if uri in known else None
        return uri if uri in files else None

    for page in generated:
        html = wrap_tables(pages.render(page.uri, page_url(page.uri), url_of, site_name, site_url) or "")
        front = {"title": page.title, **({"hide": list(page.hide)} if page.hide else {})}
        _write(target / page.uri, "---\n" + yaml.safe_dump(front, allow_unicode=True) + "---\n\n" + _raw(html))
    if START_PAGE not in {page.uri for page in generated}:
        start = pages.render(START_PAGE, "", url_of, site_name, site_url) or ""
        with (target / START_PAGE).open("a", encoding="utf-8") as handle:
            handle.write("\n\n" + _raw(start))
    config = {
        "site_name": site_name, "site_url": site_url or None, "docs_dir": "docs", "use_directory_urls": True,
        "theme": {"name": "material", "language": "de", "font": False,
                  "features": ["navigation.tabs", "navigation.sections"]},
        "plugins": [{"search": {"lang": "de"}}],
        "markdown_extensions": ["toc", "admonition", "attr_list", "def_list", "md_in_html", "tables"],
        "extra_css": ["assets/redaktion/site.css"],
        "nav": pages.nav(),
    }
    path = out / "mkdocs.yml"
    path.write_text(yaml.safe_dump({k: v for k, v in config.items() if v is not None}, allow_unicode=True,
                                   sort_keys=False), encoding="utf-8")
    return path


def _raw(html: str) -> str:
    # One block-level element: Markdown passes it through untouched, blank lines included.
    return f'<div class="rk-seite" markdown="0">\n{html}\n</div>\n'


def _size(rendered: dict, key: tuple[str, str]) -> str:
    from .content import human_size

    path = rendered.get(key[0], {}).get(key[1])
    return human_size(path.stat().st_size) if path is not None else "–"


def _write(path: Path, source: Path | bytes | str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(source, Path):
        shutil.copyfile(source, path)
    elif isinstance(source, bytes):
        path.write_bytes(source)
    else:
        path.write_text(source, encoding="utf-8")

