"""The mkdocs adapter: maps mkdocs events onto a :class:`~.input.SiteInput`.

Everything the pages show comes from :class:`~.pages.SitePages`; nothing here loads, checks or
renders other outputs. on_post_build is the only place that waits for the PDF/DOCX files.
"""

from __future__ import annotations

import multiprocessing
import signal
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import jinja2
from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.commands.build import _build_page, _populate_page
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc
from mkdocs.utils import get_relative_url

from ...model import ContentError
from . import mkdocs_parts as parts
from .caches import CachedSearchIndex, prune_caches, search_cache, template_cache
from .content import html_jobs
from .html import html_cache, paper_bodies, toc_tokens, wrap_tables
from .input import SiteInput
from .pages import START_PAGE, GeneratedPage, SitePages

log, THEME_DIR = get_plugin_logger(__name__), Path(__file__).parent / "theme"


class RedaktionConfig(Config):
    intern = c.Type(bool, default=False)  # mkdocs.yml: internal build, all papers, marked ENTWURF


class SiteAdapter(BasePlugin[RedaktionConfig]):
    """Generate the paper pages and overviews from a :class:`SiteInput`: handed over with :meth:`use`
    by ``redaktion build``, or made by :meth:`make_input` when mkdocs runs on its own."""

    supports_multiple_instances = False

    def __init__(self) -> None:
        self.given: SiteInput | None = None
        self.serving = False  # mkdocs serve: check errors appear in the pages instead of stopping
        self.failure: ContentError | None = None  # the content errors that stopped the build
        self.site: SitePages | None = None
        self._ready: dict[str, Path] | None = None  # site path → rendered PDF/DOCX, once waited for
        self._sized: list[Path] = []  # written pages that still hold a size placeholder
        self._copied: dict[str, Path] = {}  # site path → the PDF/DOCX copied there last
        self._search: CachedSearchIndex | None = None
        self._search_pool: ProcessPoolExecutor | None = None  # the preview's search indexer
        self._built: _Built | None = None  # the last full build, for single-page rebuilds
        self._nav: Navigation | None = None
        self._page_list: list[GeneratedPage] = []
        self._site_files: dict[str, Path | bytes] = {}
        self._generated: dict[str, str] = {}  # generated page source path → its HTML in the last build

    def use(self, site: SiteInput) -> None:
        self.given = site  # build the next site from this input instead of making one

    def make_input(self, root: Path, intern: bool, serving: bool) -> SiteInput:
        """The input for a site built by mkdocs on its own; raises ContentError for broken content."""
        raise PluginError("Dieses Plugin braucht die Eingabe von „redaktion build“.")

    def background_turn(self) -> None:
        """Return when background work of the site (the search index) may use the processor."""

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.serving = command == "serve"

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        root, self._ready, self._sized = Path(config.config_file_path).resolve().parent, None, []  # per build
        self._built, self._generated = None, {}
        try:
            # mkdocs keeps this plugin object for every later build of the process: the input given
            # by use() is for the next build only.
            site, self.given = self.given or self.make_input(root, self.config.intern, self.serving), None
        except ContentError as error:
            self.failure = error
            raise PluginError(parts.german_failure(error.diagnostics)) from None
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
        parts.drop_unused_theme_files(files, config)
        self._page_list = self.site.pages(config.site_name)
        for page in self._page_list:
            parts.add_file(files, config, page.uri, parts.front_matter(page.title, page.hide))
        self._site_files = self.site.files(_size_placeholder)
        for uri, source in self._site_files.items():
            parts.add_file(files, config, uri, source)
        site = self.site.input
        bodies = site.bodies.result() if site.bodies is not None else paper_bodies(
            html_jobs([view.draft for view in self.site.views.values()]), html_cache(site.corpus.root))
        self.site.bodies = dict(zip(self.site.views, bodies))
        return files

    def on_pre_build(self, config: MkDocsConfig) -> None:
        search = config.plugins.get("material/search") or config.plugins.get("search")
        if search is not None and hasattr(search, "search_index"):
            root = Path(config.config_file_path).resolve().parent
            # The preview indexes changed pages after the build, keeping their last entries till then.
            previous = (self._search.pages if self._search else {}) if self.serving else None
            self._search = search.search_index = CachedSearchIndex(search_cache(root), previous, **search.config)

    def on_nav(self, nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
        self._nav = nav
        return nav

    def on_env(self, env: jinja2.Environment, config: MkDocsConfig, files: Files) -> jinja2.Environment:
        assert self.site is not None
        self._built = _Built(config, files, self._nav, env) if self.serving and self._nav is not None else None
        env.bytecode_cache = template_cache()
        site = self.site.input
        env.globals["redaktion"] = {"intern": site.intern, "beispieltexte": site.corpus.publisher.sample,
                                    "legal": self.site.legal_links(parts.url_of(files))}
        return env

    def on_page_content(self, html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        assert self.site is not None
        uri = page.file.src_uri
        # With navigation tabs the desktop sidebar of a page outside any section is empty: an
        # empty scroll box that axe flags. site.css keeps it as the drawer on small screens.
        hide = page.meta.setdefault("hide", []) if page.parent is None else None
        if isinstance(hide, list) and "navigation" not in hide:
            hide.append("navigation")
        generated = self._generated_html(uri, page.url, files, config)
        if generated is not None:
            html = html + generated if uri == START_PAGE else generated
        html = wrap_tables(html)
        page.toc = get_toc(toc_tokens(html))
        return self.site.error_banner() + html  # the preview shows what is wrong on every page

    def on_post_page(self, output: str, page: Page, config: MkDocsConfig) -> str:
        if self._ready is not None:  # a single-page rebuild knows the files before the page is written
            return parts.with_sizes(output, self._ready, "wird erstellt …")
        self._sized += [Path(page.file.abs_dest_path)] if parts.SIZE_TOKENS.search(output) else []
        return output

    def on_post_build(self, config: MkDocsConfig) -> None:
        assert self.site is not None
        site_dir, root = Path(config.site_dir), Path(config.config_file_path).resolve().parent
        ready = self._ready_downloads()  # the only place the site waits for PDF and DOCX
        parts.copy_downloads(site_dir, ready)
        self._copied = dict(ready)
        # In the preview a PDF still compiling arrives a moment after the page.
        parts.fill_sizes(self._sized, ready, "wird erstellt …" if self.serving else "–")
        parts.write_charts(site_dir, self.site.charts, root)
        prune_caches(root)
        if self._search is not None:
            index = self._search  # the preview's changed pages, indexed in the background
            index.finish(site_dir, current=lambda: self._search is index, wait=self.background_turn,
                         pool=self._indexer())

    def refresh(self, site: SiteInput) -> list[str] | None:
        """Show ``site`` in the live preview by building again only the pages it changes.

        Returns the addresses of the pages written, or None when the change reaches further
        than page content (navigation, page list, files, the error list): then a full build is
        needed. The search index is patched, the changed pages are indexed in the background.
        """
        built, old = self._built, self.site
        if built is None or old is None or site.errors != old.input.errors:
            return None
        config, files = built.config, built.files
        pages = SitePages(site, has_doc=old.has_doc)
        if (pages.pages(config.site_name) != self._page_list or pages.nav() != old.nav()
                or pages.files(_size_placeholder) != self._site_files):
            return None
        todo = self._changed_pages(old, pages, built)
        self._ready = None
        ready = self._ready_downloads()  # known before the pages are written: they get the sizes at once
        site_dir = Path(config.site_dir)
        parts.copy_downloads(site_dir, {uri: path for uri, path in ready.items() if self._copied.get(uri) != path})
        self._copied = dict(ready)
        if self._search is not None:
            self._search.previous = self._search.pages  # a rebuilt page keeps its entries until indexed
        doc_files = files.documentation_pages(inclusion=InclusionLevel.is_in_serve)
        for uri in todo:
            page = _page(files, uri)
            _populate_page(page, config, files)
            _build_page(page, config, doc_files, built.nav, built.env)
        parts.write_charts(site_dir, {uri: chart for uri, chart in pages.charts.items()
                                      if old.charts.get(uri) != chart}, site.corpus.root)
        if self._search is not None and todo:
            self._search.finish(site_dir, write=True, wait=self.background_turn, pool=self._indexer())
        return [_page(files, uri).url for uri in todo]

    def _changed_pages(self, old: SitePages, new: SitePages, built: _Built) -> list[str]:
        """Make ``new`` the current pages and return the generated pages whose HTML differs from ``old``.

        Paper pages differ when their draft does (only those are converted again); the other
        generated pages are rendered and compared only when what they show may have changed.
        """
        changed = [uri for uri, view in new.views.items()
                   if uri not in old.bodies or old.views[uri].draft.content_hash != view.draft.content_hash]
        fresh = paper_bodies(html_jobs([new.views[uri].draft for uri in changed]), html_cache(new.input.corpus.root))
        new.bodies = {**{uri: body for uri, body in old.bodies.items() if uri in new.views}, **dict(zip(changed, fresh))}
        overviews = new.overview_inputs() != old.overview_inputs()
        previous, self._generated, self.site = self._generated, dict(self._generated), new
        return [page.uri for page in self._page_list if page.uri in changed or overviews and page.uri not in new.views
                and self._generated_html(page.uri, _page(built.files, page.uri).url, built.files, built.config)
                != previous.get(page.uri)]

    def _indexer(self) -> ProcessPoolExecutor | None:
        """The process the preview's search index is made in (None outside the preview)."""
        if self.serving and self._search_pool is None:
            # "spawn": this process runs Typst's threads; a forked copy could inherit held locks.
            self._search_pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"),
                                                    initializer=_ignore_interrupts)
        return self._search_pool

    def on_shutdown(self) -> None:
        if self._search_pool is not None:
            self._search_pool.shutdown(wait=False, cancel_futures=True)
            self._search_pool = None

    def _generated_html(self, uri: str, page_url: str, files: Files, config: MkDocsConfig) -> str | None:
        """The generated HTML of page ``uri`` (None for a hand-written page), remembered for :meth:`refresh`."""
        assert self.site is not None
        html = self.site.render(uri, page_url, parts.url_of(files), config.site_name, config.site_url or "",
                                relative=lambda target: get_relative_url(target, page_url))
        if html is not None:
            self._generated[uri] = html
        return html

    def _ready_downloads(self) -> dict[str, Path]:
        """The rendered PDF/DOCX files by site path, waiting for the renderer the first time."""
        assert self.site is not None
        if self._ready is None:
            wanted, downloads = self.site.downloads, self.site.input.downloads
            given = downloads() if downloads is not None and wanted else {}
            self._ready = {uri: given[p][kind] for uri, (p, kind) in wanted.items() if kind in given.get(p, {})}
        return self._ready


@dataclass(frozen=True)
class _Built:
    """What mkdocs made in the last full build of the preview, reused by single-page rebuilds."""

    config: MkDocsConfig
    files: Files
    nav: Navigation
    env: jinja2.Environment


def _ignore_interrupts() -> None:
    # Ctrl+C in the terminal reaches the whole process group; the preview itself shuts the indexer down.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _size_placeholder(uri: str) -> str:
    return parts.SIZE_TOKEN.format(uri=uri)


def _page(files: Files, uri: str) -> Page:
    file = files.get_file_from_path(uri)
    assert file is not None and file.page is not None
    return file.page
