"""The mkdocs adapter: maps mkdocs events onto a :class:`~.input.SiteInput`.

on_config  take the site's input (given by ``build_site``, or made by :meth:`SiteAdapter.make_input`),
           add the theme overrides and the default navigation
on_files   add the generated pages and the files the input offers (images, data, earlier versions)
on_env     expose site-wide values (intern, legal links) to the theme templates
on_page_content  put the generated HTML into pages and set their table of contents
on_post_build    wait for the PDF/DOCX files rendered beside the site, copy them (and the
           charts) into it, and fill in their sizes on the pages

Everything the pages show comes from :class:`~.pages.SitePages`; nothing here loads, checks or
renders other outputs. Two caches keep rebuilds short: compiled theme templates (per user, like
Python's ``__pycache__``) and each page's search-index entries (per project, by page content).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import jinja2
import yaml
from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc
from mkdocs.utils import get_relative_url

from ...model import ContentError, Diagnostic
from ...util.cachefiles import prune
from ..charts import chart_cache
from . import content as site_content
from .caches import CachedSearchIndex, search_cache, template_cache
from .html import html_cache, paper_bodies, toc_tokens, wrap_tables
from .input import SiteInput
from .pages import START_PAGE, SitePages

log = get_plugin_logger(__name__)

THEME_DIR = Path(__file__).parent / "theme"
# Stands in for the size of a PDF/DOCX that is still being rendered while the pages are made.
_SIZE_TOKEN = "@@redaktion-groesse:{uri}@@"
_SIZE_TOKENS = re.compile(r"@@redaktion-groesse:([^@]+)@@")


class RedaktionConfig(Config):
    """Options of the ``redaktion`` plugin in mkdocs.yml."""

    intern = c.Type(bool, default=False)
    """Internal build: all papers and contributions, marked ENTWURF."""


class SiteAdapter(BasePlugin[RedaktionConfig]):
    """Generate the paper pages and overviews of the site from a :class:`SiteInput`.

    ``redaktion build`` hands the input over with :meth:`use`; when mkdocs runs on its own
    (``mkdocs build``, ``redaktion serve``) the plugin asks :meth:`make_input` for it, which the
    entry point in ``redaktion.build.site`` provides.
    """

    supports_multiple_instances = False

    def __init__(self) -> None:
        self.given: SiteInput | None = None
        self.serving = False  # mkdocs serve: show check errors in the page instead of stopping
        self.failure: ContentError | None = None  # the content errors that stopped the build
        self.site: SitePages | None = None
        self._download_files: dict[str, Path] | None = None  # site path → rendered file, once ready
        self.pages_with_sizes: list[Path] = []  # written pages that still hold a size placeholder
        self._search: CachedSearchIndex | None = None
        self._search_entries: dict[str, list] = {}  # preview: page address → its search entries

    def use(self, site: SiteInput) -> None:
        """Build the next site from ``site`` instead of making the input."""
        self.given = site

    def make_input(self, root: Path, intern: bool, serving: bool) -> SiteInput:
        """The input for a site built by mkdocs on its own; raises ContentError for broken content."""
        raise PluginError("Dieses Plugin braucht die Eingabe von „redaktion build“.")

    # --- mkdocs events ------------------------------------------------------------------

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.serving = command == "serve"

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        root = Path(config.config_file_path).resolve().parent
        # mkdocs reuses plugin instances across builds in one process: start afresh.
        self._download_files, self.pages_with_sizes = None, []
        if self.given is not None:
            site = self.given
        else:
            try:
                site = self.make_input(root, self.config.intern, self.serving)
            except ContentError as error:
                self.failure = error
                raise PluginError(_german_failure(error.diagnostics)) from None
        for warning in site.warnings:
            log.warning(warning)
        docs = Path(config.docs_dir)
        self.site = SitePages(site, has_doc=lambda uri: (docs / uri).is_file())
        config.theme.dirs.insert(1 if config.theme.custom_dir else 0, str(THEME_DIR))
        config.watch.append(str(root / "contributions"))
        if config.nav is None:
            config.nav = self.site.nav()
        return config

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        assert self.site is not None
        _drop_unused_theme_files(files, config)
        for page in self.site.pages(config.site_name):
            _add(files, File.generated(config, page.uri, content=_front_matter(page.title, list(page.hide))))
        for uri, source in self.site.files(lambda uri: _SIZE_TOKEN.format(uri=uri)).items():
            _add(files, File.generated(config, uri, content=source) if isinstance(source, bytes)
                 else File.generated(config, uri, abs_src_path=str(source)))
        site = self.site.input
        for view in self.site.views.values():
            for image in site_content.refused_media(view.draft, site.corpus.root):
                log.warning(f"Das Bild „{image}“ liegt nicht im Ordner media/ von „{view.paper.id}“ und erscheint "
                            "nicht auf der Website. Legen Sie es dorthin und verweisen Sie mit media/name.png darauf.")
        if site.bodies is not None:
            bodies = site.bodies.result()
        else:
            jobs = site_content.html_jobs([view.draft for view in self.site.views.values()])
            bodies = paper_bodies(jobs, html_cache(site.corpus.root))
        self.site.bodies = dict(zip(self.site.views, bodies))
        return files

    def on_pre_build(self, config: MkDocsConfig) -> None:
        search = config.plugins.get("material/search") or config.plugins.get("search")
        if search is not None and hasattr(search, "search_index"):
            root = Path(config.config_file_path).resolve().parent
            # The preview indexes changed pages after the build, keeping their last entries till then.
            previous = self._search_entries if self.serving else None
            self._search = CachedSearchIndex(search_cache(root), previous, **search.config)
            search.search_index = self._search

    def on_env(self, env: jinja2.Environment, config: MkDocsConfig, files: Files) -> jinja2.Environment:
        assert self.site is not None
        env.bytecode_cache = template_cache()
        env.globals["redaktion"] = {
            "intern": self.site.input.intern,
            "beispieltexte": self.site.input.corpus.publisher.sample,
            "legal": self.site.legal_links(_url_of(files)),
        }
        return env

    def on_page_content(self, html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        assert self.site is not None
        uri = page.file.src_uri
        if page.parent is None:
            # With navigation tabs the desktop sidebar of a page outside any section is empty; an
            # empty scroll box is a keyboard trap for axe and says nothing. The mobile drawer
            # stays (site.css shows the hidden sidebar below the desktop breakpoint).
            hide = page.meta.setdefault("hide", [])
            if isinstance(hide, list) and "navigation" not in hide:
                hide.append("navigation")
        generated = self.site.render(uri, page.url, _url_of(files), config.site_name, config.site_url or "",
                                     relative=lambda target: get_relative_url(target, page.url))
        if generated is not None:
            html = html + generated if uri == START_PAGE else generated
        html = wrap_tables(html)
        page.toc = get_toc(toc_tokens(html))
        # The preview shows what is wrong on every page rather than a stale site.
        return self.site.error_banner() + html

    def on_post_page(self, output: str, page: Page, config: MkDocsConfig) -> str:
        if _SIZE_TOKENS.search(output):
            self.pages_with_sizes.append(Path(page.file.abs_dest_path))
        return output

    def on_post_build(self, config: MkDocsConfig) -> None:
        assert self.site is not None
        site_dir = Path(config.site_dir)
        ready = self._ready_downloads()  # the only place the site waits for PDF and DOCX
        for uri, source in ready.items():
            (site_dir / uri).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, site_dir / uri)
        for path in self.pages_with_sizes:
            # The size is left out of the search index (data-search-exclude), so only the
            # written pages need it.
            html = path.read_text(encoding="utf-8")
            # In the preview a PDF still compiling arrives a moment after the page.
            missing = "wird erstellt …" if self.serving else "–"
            path.write_text(_SIZE_TOKENS.sub(
                lambda m: site_content.human_size(ready[m[1]].stat().st_size) if m[1] in ready else missing, html),
                encoding="utf-8")
        root = Path(config.config_file_path).resolve().parent
        if self.site.charts:
            from ..charts import render

            for uri, chart in self.site.charts.items():
                (site_dir / uri).parent.mkdir(parents=True, exist_ok=True)
                (site_dir / uri).write_bytes(render(chart, "svg", chart_cache(root)))
        # Public, internal and preview builds share these caches: keep a few entries of each.
        for folder in (html_cache(root), search_cache(root), chart_cache(root)):
            prune(folder, keep=4)
        if self._search is not None:
            index = self._search  # the preview's changed pages, indexed in the background
            index.finish(site_dir, current=lambda: self._search is index)

    # --- helpers ------------------------------------------------------------------------

    def _ready_downloads(self) -> dict[str, Path]:
        """The rendered PDF/DOCX files by site path, waiting for the renderer the first time."""
        assert self.site is not None
        if self._download_files is None:
            wanted = self.site.downloads
            given = self.site.input.downloads() if self.site.input.downloads is not None and wanted else {}
            self._download_files = {uri: given[paper_id][kind] for uri, (paper_id, kind) in wanted.items()
                                    if kind in given.get(paper_id, {})}
        return self._download_files


def _url_of(files: Files):  # noqa: ANN202 - a UrlOf
    def url_of(uri: str) -> str | None:
        file = files.get_file_from_path(uri)
        return file.url if file is not None else None
    return url_of


def _drop_unused_theme_files(files: Files, config: MkDocsConfig) -> None:
    """Leave out source maps and search languages the site does not use.

    They are never loaded by the pages, but they carry third-party authors' e-mail addresses
    and make up most of the theme's weight.
    """
    languages = {"stemmer.support", "multi"}
    for plugin in config.plugins.values():
        lang = getattr(plugin, "config", {}).get("lang") if hasattr(plugin, "config") else None
        languages.update([lang] if isinstance(lang, str) else (lang or []))
    for file in list(files):
        uri = file.src_uri
        unused_language = (uri.startswith("assets/javascripts/lunr/min/lunr.")
                           and uri.removeprefix("assets/javascripts/lunr/min/lunr.").removesuffix(".min.js")
                           not in languages)
        if uri.endswith(".map") or uri in _UNUSED_THEME_FILES or unused_language:
            files.remove(file)


_UNUSED_THEME_FILES = {"assets/javascripts/lunr/tinyseg.js", "assets/javascripts/lunr/wordcut.js"}


def _add(files: Files, file: File) -> None:
    existing = files.get_file_from_path(file.src_uri)
    if existing is not None:
        files.remove(existing)
    files.append(file)


def _front_matter(title: str, hide: list[str] | None = None) -> str:
    meta: dict[str, object] = {"title": title}
    if hide:
        meta["hide"] = hide
    return "---\n" + yaml.safe_dump(meta, allow_unicode=True) + "---\n"


def _german_failure(diagnostics: list[Diagnostic]) -> str:
    errors = [d for d in diagnostics if d.severity == "error"]
    lines = "\n".join(d.format() for d in errors)
    return (f"Die Website kann nicht gebaut werden: Die Beiträge enthalten {len(errors)} Fehler.\n"
            f"{lines}\nBitte beheben Sie die Fehler (Prüfung: „redaktion check“).")
