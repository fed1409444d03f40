"""The mkdocs plugin: a thin adapter from mkdocs events to redaktion's pipeline.

on_config  load and check the corpus, assemble the drafts, add the theme overrides and nav
on_files   add generated pages (papers, Praxisbeispiele, Mitwirkende), downloads and images
on_env     expose site-wide values (intern, legal links) to the theme templates
on_page_content  put the generated HTML into pages and set their table of contents
on_post_build    wait for the PDF/DOCX files rendered beside the site, copy them (and the
           charts) into it, and fill in their sizes on the pages

Two caches keep rebuilds short: compiled theme templates (per user, like Python's
``__pycache__``) and each page's search-index entries (per project, by the page's content).
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from concurrent.futures import Future
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

from ...util.cachefiles import prune
from ...model import CONTRIBUTION_STATUS_LABELS, Chart, ContentError, Corpus, Diagnostic, Draft, german_date
from ..charts import chart_cache
from . import content as site_content
from .caches import CachedSearchIndex, search_cache, template_cache
from .html import dataset_html, html_cache, paper_bodies, paper_html, toc_tokens, wrap_tables
from .sessions import SessionPages

log = get_plugin_logger(__name__)

PACKAGE_DIR = Path(__file__).parent
THEME_DIR = PACKAGE_DIR / "theme"
TEMPLATE_DIR = PACKAGE_DIR / "templates"

# Generated pages: source path in the docs tree → (template, title).
STATIC_PAGES = {
    "praxisbeispiele.md": ("praxisbeispiele.html", "Praxisbeispiele"),
    "mitwirkende.md": ("mitwirkende.html", "Mitwirkende"),
}
MONITORING_PAGE = ("monitoring.md", "monitoring.html", "Monitoring")  # when papers hold data tables
STATUS_PAGE = ("bearbeitungsstand.md", "status.html", "Bearbeitungsstand")  # internal builds only
START_PAGE = "index.md"
ABWAEGUNG_TEMPLATE = "abwaegung.html"  # internal builds only: one page per consultation round
LEGAL_PAGES = (
    ("impressum.md", "Impressum"),
    ("datenschutz.md", "Datenschutz"),
    ("barrierefreiheit.md", "Barrierefreiheit"),
    ("barriere-melden.md", "Barriere melden"),
    ("leichte-sprache.md", "Leichte Sprache"),
    ("gebaerdensprache.md", "Gebärdensprache"),
)
DOWNLOAD_LABELS = {"pdf": "PDF", "docx": "Word (DOCX)"}
# Stands in for the size of a PDF/DOCX that is still being rendered while the pages are made.
_SIZE_TOKEN = "@@redaktion-groesse:{uri}@@"
_SIZE_TOKENS = re.compile(r"@@redaktion-groesse:([^@]+)@@")

Downloads = Callable[[], dict[str, dict[str, Path]]]  # paper id → kind → rendered file

class RedaktionConfig(Config):
    """Options of the ``redaktion`` plugin in mkdocs.yml."""

    intern = c.Type(bool, default=False)
    """Internal build: all papers and contributions, marked ENTWURF."""


class RedaktionPlugin(BasePlugin[RedaktionConfig]):
    """Generate the paper pages and overviews of the site from the contributions."""

    supports_multiple_instances = False

    def __init__(self) -> None:
        self.downloads: Downloads | None = None  # set by build_site(); may block until rendered
        self.pending_downloads: dict[str, tuple[str, str]] = {}  # site path → (paper id, kind)
        self._download_files: dict[str, Path] | None = None  # site path → rendered file, once ready
        self.pending_charts: dict[str, Chart] = {}  # site path → chart, drawn or taken from the cache
        self.pages_with_sizes: list[Path] = []  # written pages that still hold a size placeholder
        self.site: site_content.SiteContent | None = None
        self.sessions: SessionPages | None = None  # Sitzungen, Aufgaben, „Aus den Sitzungen“
        self.pages: dict[str, str] = {}  # generated page source path → template
        self.views: dict[str, site_content.PaperView] = {}  # paper page source path → view
        self.bodies: dict[str, str] = {}  # paper page source path → its HTML from pandoc
        self.prepared: tuple[Corpus, list[Draft]] | None = None  # set by build_site(): skip loading
        # set by build_site(): pandoc already converting these (draft, site root) jobs
        self.early_bodies: tuple[list[tuple[Draft, str]], Future[list[str]]] | None = None
        self.serving = False  # mkdocs serve: show check errors in the page instead of stopping
        self.errors: list[Diagnostic] = []  # errors shown in the preview
        self.failure: ContentError | None = None
        self.has_monitoring = False  # set in on_config: a published paper holds a data table
        self.rounds: dict[str, tuple[str, str]] = {}  # Abwägung page source path → (paper id, round id)
        self.tables: dict = {}  # Abwägung page source path → its workflow.abwaegung.Abwaegung
        self.round_files: dict[str, list[tuple[str, str]]] = {}  # Abwägung page → (kind, site path) of the round's draft
        self.report_warnings = True  # build_site() turns this off: the CLI has printed them already
        self._env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(TEMPLATE_DIR), autoescape=True,
            trim_blocks=True, lstrip_blocks=True, undefined=jinja2.StrictUndefined,
            bytecode_cache=template_cache())
        self._env.filters["datum"] = german_date

    # --- mkdocs events ------------------------------------------------------------------

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.serving = command == "serve"

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        from ...build.pipeline import drafts_for
        from ...check.corpus import check, has_errors
        from ...source.load import load

        root = Path(config.config_file_path).resolve().parent
        # mkdocs reuses plugin instances across builds in one process: start afresh.
        self.pending_downloads, self._download_files, self.pending_charts = {}, None, {}
        self.pages_with_sizes = []
        if self.prepared is not None:
            # redaktion build has loaded, checked and assembled already; do not do it twice.
            corpus, drafts = self.prepared
        else:
            corpus = load(root)
            diagnostics = check(corpus)
            self.errors = [d for d in diagnostics if d.severity == "error"] if self.serving else []
            if has_errors(diagnostics) and not self.serving:
                self.failure = ContentError(diagnostics)
                raise PluginError(_german_failure(diagnostics))
            for warning in diagnostics if self.report_warnings else ():
                log.warning(warning.format())
            drafts = self._preview_drafts(corpus) if self.errors else drafts_for(corpus, self.config.intern)
        self.site = site_content.SiteContent(corpus, self.config.intern)
        self.sessions = SessionPages(corpus, self.config.intern)
        self.rounds = {f"abwaegung/{paper.id}-{r.id}.md": (paper.id, r.id)
                       for paper in sorted(corpus.papers.values(), key=lambda p: p.id) for r in paper.rounds
                       } if self.config.intern else {}
        self.views = {site_content.paper_page_uri(d.paper.id): site_content.PaperView(d, site_content.paper_page_url(d.paper.id))
                      for d in drafts}
        self.has_monitoring = any(block.dataset for d in drafts for block in d.blocks)
        config.theme.dirs.insert(1 if config.theme.custom_dir else 0, str(THEME_DIR))
        config.watch.append(str(root / "contributions"))
        if config.nav is None:
            config.nav = self._nav(Path(config.docs_dir))
        return config

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        assert self.site is not None
        _drop_unused_theme_files(files, config)
        static = dict(STATIC_PAGES)
        if self.config.intern:
            static[STATUS_PAGE[0]] = STATUS_PAGE[1:]
        if self.has_monitoring:
            static[MONITORING_PAGE[0]] = MONITORING_PAGE[1:]
        self.pages = {uri: template for uri, (template, _) in static.items()}
        self.round_files = {}
        for uri, (_, title) in static.items():
            _add(files, File.generated(config, uri, content=_front_matter(title, hide=["navigation"])))
        if self.config.intern:
            self._abwaegung_pages(files, config)
        if files.get_file_from_path(START_PAGE) is None:
            _add(files, File.generated(config, START_PAGE, content=_front_matter(config.site_name)))
        papers = []
        for uri, view in self.views.items():
            _add(files, File.generated(config, uri, content=_front_matter(view.paper.title)))
            self.pages[uri] = "paper.html"
            view = site_content.PaperView(view.draft, view.uri, self._downloads(files, config, view),
                                          self._archive(files, config, view))
            self.views[uri] = view
            papers.append(view)
            for site_path, source in site_content.media_files(view.draft, self.site.corpus.root).items():
                _add(files, File.generated(config, site_path, abs_src_path=str(source)))
            for image in site_content.refused_media(view.draft, self.site.corpus.root):
                log.warning(f"Das Bild „{image}“ liegt nicht im Ordner media/ von „{view.paper.id}“ und erscheint "
                            "nicht auf der Website. Legen Sie es dorthin und verweisen Sie mit media/name.png darauf.")
            self._data_files(files, config, view)
        self.site.papers = papers
        self._session_files(files, config)
        jobs = site_content.html_jobs([view.draft for view in self.views.values()])
        if self.early_bodies is not None and self.early_bodies[0] == jobs:
            bodies = self.early_bodies[1].result()
        else:
            bodies = paper_bodies(jobs, html_cache(Path(config.config_file_path).resolve().parent))
        self.bodies = dict(zip(self.views, bodies))
        return files

    def on_pre_build(self, config: MkDocsConfig) -> None:
        search = config.plugins.get("material/search") or config.plugins.get("search")
        if search is not None and hasattr(search, "search_index"):
            root = Path(config.config_file_path).resolve().parent
            search.search_index = CachedSearchIndex(search_cache(root), **search.config)

    def on_env(self, env: jinja2.Environment, config: MkDocsConfig, files: Files) -> jinja2.Environment:
        env.bytecode_cache = template_cache()
        legal = []
        for uri, title in LEGAL_PAGES:
            file = files.get_file_from_path(uri)
            if file is not None:
                legal.append({"title": title, "url": file.url})
        env.globals["redaktion"] = {
            "intern": self.config.intern,
            "beispieltexte": self.site.corpus.publisher.sample,
            "legal": legal,
        }
        return env

    def on_page_content(self, html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        uri = page.file.src_uri
        if page.parent is None:
            # With navigation tabs the desktop sidebar of a page outside any section is empty; an
            # empty scroll box is a keyboard trap for axe and says nothing. The mobile drawer
            # stays (site.css shows the hidden sidebar below the desktop breakpoint).
            hide = page.meta.setdefault("hide", [])
            if isinstance(hide, list) and "navigation" not in hide:
                hide.append("navigation")
        if uri in self.pages:
            html = self._render(self.pages[uri], page, config, files)
        elif uri == START_PAGE:
            html = html + self._render("start.html", page, config, files)
        html = wrap_tables(html)
        page.toc = get_toc(toc_tokens(html))
        if self.errors:
            # The preview shows what is wrong on every page rather than a stale site.
            html = self._env.get_template("errors.html").render(errors=self.errors) + html
        return html

    def on_post_page(self, output: str, page: Page, config: MkDocsConfig) -> str:
        if self.pending_downloads and _SIZE_TOKENS.search(output):
            self.pages_with_sizes.append(Path(page.file.abs_dest_path))
        return output

    def on_post_build(self, config: MkDocsConfig) -> None:
        site_dir = Path(config.site_dir)
        ready = self._ready_downloads()  # the only place the site waits for PDF and DOCX
        for uri, source in ready.items():
            (site_dir / uri).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, site_dir / uri)
        for path in self.pages_with_sizes:
            # The size is left out of the search index (data-search-exclude), so only the
            # written pages need it.
            html = path.read_text(encoding="utf-8")
            path.write_text(_SIZE_TOKENS.sub(
                lambda m: site_content.human_size(ready[m[1]].stat().st_size) if m[1] in ready else "–", html),
                encoding="utf-8")
        root = Path(config.config_file_path).resolve().parent
        if self.pending_charts:
            from ..charts import render

            for uri, chart in self.pending_charts.items():
                (site_dir / uri).parent.mkdir(parents=True, exist_ok=True)
                (site_dir / uri).write_bytes(render(chart, "svg", chart_cache(root)))
        # Public, internal and preview builds share these caches: keep a few entries of each.
        for folder in (html_cache(root), search_cache(root), chart_cache(root)):
            prune(folder, keep=4)

    # --- helpers ------------------------------------------------------------------------

    def _ready_downloads(self) -> dict[str, Path]:
        """The rendered PDF/DOCX files by site path, waiting for the renderer the first time."""
        if self._download_files is None:
            given = self.downloads() if self.downloads is not None and self.pending_downloads else {}
            self._download_files = {uri: given[paper_id][kind]
                                    for uri, (paper_id, kind) in self.pending_downloads.items()
                                    if kind in given.get(paper_id, {})}
        return self._download_files

    def _render(self, template: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        assert self.site is not None
        view = self.views.get(page.file.src_uri)
        context = {
            "site": self.site,
            "view": view,
            "intern": self.config.intern,
            "beispieltexte": self.site.corpus.publisher.sample,
            "site_name": config.site_name,
            "site_url": config.site_url or "",
            "url": lambda target: get_relative_url(target, page.url),
            "page_url": page.url,
            "pages": {uri: f.url for uri, f in ((u, files.get_file_from_path(u)) for u in
                                                 ("leichte-sprache.md", "gebaerdensprache.md",
                                                  "mitmachen.md", "praxisbeispiele.md",
                                                  "mitwirkende.md", "monitoring.md")) if f is not None},
        }
        context.update(self.sessions.context(page.file.src_uri))
        if view is not None:
            body = self.bodies.get(page.file.src_uri)
            context["body"] = body if body is not None else paper_html(view.draft, get_relative_url(".", page.url) + "/")
        if template == MONITORING_PAGE[1]:
            site_root = get_relative_url(".", page.url) + "/"
            context["indikatoren"] = [(i, dataset_html(i.paper.draft, i.dataset, site_root))
                                      for i in self.site.indicators]
        if template == STATUS_PAGE[1]:
            from ...check.status import status_overview

            context["papers"] = status_overview(self.site.corpus)
            context["statuses"] = CONTRIBUTION_STATUS_LABELS
            context["abwaegung_urls"] = {key: get_relative_url(files.get_file_from_path(uri).url, page.url)
                                         for uri, key in self.rounds.items()}
        if template == ABWAEGUNG_TEMPLATE:
            context.update(self._abwaegung_context(page, files))
        return self._env.get_template(template).render(context)

    def _downloads(self, files: Files, config: MkDocsConfig,
                   view: site_content.PaperView) -> tuple[site_content.Download, ...]:
        """Add the paper's PDF and DOCX to the site; render them if build_site gave none."""
        paper = view.paper
        stem = f"{paper.id}-{paper.latest_version.number if paper.latest_version else 'entwurf'}"
        if self.downloads is not None:
            # Rendered beside the site build: the pages get the sizes and the site the files
            # once they are ready (on_post_build).
            result = []
            for kind, label in DOWNLOAD_LABELS.items():
                uri = f"downloads/{stem}.{kind}"
                self.pending_downloads[uri] = (paper.id, kind)
                result.append(site_content.Download(kind, label, uri, _SIZE_TOKEN.format(uri=uri)))
            return tuple(result)
        if self.serving:
            # The preview must follow every save at once; PDF and DOCX come from `redaktion build`.
            return ()
        else:
            sources = _render_outputs(view, Path(config.config_file_path).resolve().parent)
        result = []
        for kind, data in sources.items():
            uri = f"downloads/{stem}.{kind}"
            _add(files, File.generated(config, uri, content=data))
            result.append(site_content.Download(kind, DOWNLOAD_LABELS[kind], uri, site_content.human_size(len(data))))
        return tuple(result)

    def _data_files(self, files: Files, config: MkDocsConfig, view: site_content.PaperView) -> None:
        """Add the paper's charts (SVG, drawn here) and the CSV files of its data tables."""
        root = Path(config.config_file_path).resolve().parent
        for chart in view.draft.charts:
            # Written at the end (on_post_build): by then the PDF worker has usually drawn it.
            self.pending_charts[site_content.chart_uri(view.paper.id, chart.id)] = chart
        for block in view.draft.blocks:
            if block.dataset is not None:
                uri = site_content.csv_uri(view.paper.id, block.dataset)
                _add(files, File.generated(config, uri, abs_src_path=str(root / block.dataset.csv)))

    def _session_files(self, files: Files, config: MkDocsConfig) -> None:
        """Add the session pages, material files and (internal builds) session PDFs and calendar."""
        documents = None
        if self.config.intern:
            from ...build.pipeline import session_pdfs  # the same cached PDFs `redaktion build --intern` writes

            documents = session_pdfs(self.site.corpus)
        for uri, (template, title) in self.sessions.pages().items():
            self.pages[uri] = template
            _add(files, File.generated(config, uri, content=_front_matter(title)))
        for uri, source in self.sessions.files(documents).items():
            _add(files, File.generated(config, uri, content=source) if isinstance(source, bytes)
                 else File.generated(config, uri, abs_src_path=str(source)))

    def _preview_drafts(self, corpus: Corpus) -> list[Draft]:
        """Drafts of the files that could be read, for a preview that also lists the errors."""
        from ...build.pipeline import drafts_for

        try:
            return drafts_for(corpus, self.config.intern)
        except Exception as error:  # noqa: BLE001 - broken content; the error list explains it
            log.warning(f"Vorschau ohne Papierseiten: {error}")
            return []

    def _archive(self, files: Files, config: MkDocsConfig,
                 view: site_content.PaperView) -> tuple[tuple[str, tuple[site_content.Download, ...]], ...]:
        """Frozen PDF/DOCX of every earlier released version (from build/versions or its git tag)."""
        from ...build.versions import VersionError, outputs_for

        paper = view.paper
        if self.config.intern or len(paper.versions) < 2:
            return ()
        try:
            frozen = outputs_for(Path(config.config_file_path).resolve().parent, paper.id)
        except VersionError as error:
            log.warning(f"Frühere Versionen von „{paper.id}“ fehlen auf der Website: {error}")
            return ()
        archive = []
        for number, paths in frozen.items():
            if number == paper.latest_version.number:
                continue  # the current version's files are the paper's main downloads
            entries = []
            for kind, path in paths.items():
                uri = f"downloads/versionen/{path.name}"
                data = path.read_bytes()
                _add(files, File.generated(config, uri, content=data))
                entries.append(site_content.Download(kind, DOWNLOAD_LABELS[kind], uri,
                                                     site_content.human_size(len(data))))
            archive.append((number, tuple(entries)))
        return tuple(archive)

    def _nav(self, docs_dir: Path) -> list:
        """The default navigation: start page, papers, overviews, contributor guide."""
        nav: list = [{"Startseite": START_PAGE}]
        papers = [{view.paper.short_title or view.paper.title: uri} for uri, view in self.views.items()]
        if papers:
            nav.append({"Papiere": papers})
        nav += [{"Praxisbeispiele": "praxisbeispiele.md"}]
        if self.has_monitoring:
            nav.append({MONITORING_PAGE[2]: MONITORING_PAGE[0]})
        public_sessions, internal_sessions = self.sessions.nav()
        nav += public_sessions
        nav.append({"Mitwirkende": "mitwirkende.md"})
        if (docs_dir / "mitmachen.md").exists():
            nav.append({"Mitmachen": "mitmachen.md"})
        nav += internal_sessions
        if self.config.intern:
            nav.append({STATUS_PAGE[2]: STATUS_PAGE[0]})
        if self.rounds:
            nav.append({"Abwägung": [{self._round_title(key): uri} for uri, key in self.rounds.items()]})
        return nav

    # --- Abwägungstabellen (internal) ---------------------------------------------------

    def _round_title(self, key: tuple[str, str]) -> str:
        assert self.site is not None
        paper = self.site.corpus.papers[key[0]]
        return f"{paper.short_title or paper.title}: {key[1]}"

    def _abwaegung_pages(self, files: Files, config: MkDocsConfig) -> None:
        """One page per round, with the table's PDF, DOCX and CSV as downloads."""
        from ...assemble.abwaegung import abwaegung
        from ..abwaegung import render_csv, render_docx, render_pdf
        from ...model import round_dir, round_file_names

        assert self.site is not None
        corpus = self.site.corpus
        for uri, (paper_id, round_id) in self.rounds.items():
            paper = corpus.papers[paper_id]
            current = paper.round(round_id)
            assert current is not None
            self.pages[uri] = ABWAEGUNG_TEMPLATE
            _add(files, File.generated(config, uri, content=_front_matter(
                f"Abwägungstabelle {self._round_title((paper.id, current.id))}", hide=["navigation", "toc"])))
            table = abwaegung(corpus, paper.id, current.id)
            self.tables[uri] = table
            date = current.closed or current.opened
            outputs = {"pdf": render_pdf(table, date), "docx": render_docx(table, date), "csv": render_csv(table)}
            for kind, data in outputs.items():
                _add(files, File.generated(config, f"downloads/abwaegung/{paper.id}-{current.id}.{kind}", content=data))
            # The round's own draft (PDF with line and paragraph numbers, DOCX with bookmarks), if it was
            # made on this machine: members comment on it.
            folder = round_dir(Path(config.config_file_path).resolve().parent, paper.id, current.id)
            for kind, name in round_file_names(paper.id, current.id, current.version).items():
                if (folder / name).is_file():
                    _add(files, File.generated(config, f"downloads/runden/{name}", abs_src_path=str(folder / name)))
                    self.round_files.setdefault(uri, []).append((kind, f"downloads/runden/{name}"))

    def _abwaegung_context(self, page: Page, files: Files) -> dict:
        from ..abwaegung import table_html

        paper_id, round_id = self.rounds[page.file.src_uri]
        table = self.tables[page.file.src_uri]
        paper_page = files.get_file_from_path(site_content.paper_page_uri(paper_id))
        absatz_url = get_relative_url(paper_page.url, page.url) if paper_page is not None else ""
        downloads = [(kind.upper(), get_relative_url(f"downloads/abwaegung/{paper_id}-{round_id}.{kind}", page.url))
                     for kind in ("pdf", "docx", "csv")]
        drafts = [(kind.upper(), get_relative_url(path, page.url)) for kind, path in
                  self.round_files.get(page.file.src_uri, [])]
        return {"tabelle": table_html(table, absatz_url), "abwaegung": table, "abwaegung_downloads": downloads,
                "runde_downloads": drafts}


def _render_outputs(view: site_content.PaperView, root: Path) -> dict[str, bytes]:
    """PDF and DOCX for plain ``mkdocs build``, through the same cache ``redaktion build`` uses."""
    from ...build.pipeline import CACHE_DIR, cached_outputs

    paths, rendered = cached_outputs(view.draft, root, root / "build" / CACHE_DIR)
    if rendered:
        log.info(f"PDF und DOCX für „{view.paper.id}“ erzeugt.")
    return {kind: path.read_bytes() for kind, path in paths.items()}


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
