"""The generated part of the website, independent of any site generator.

:class:`SitePages` turns a :class:`~.input.SiteInput` into a list of generated pages (source
path, title, what to hide), the files the site offers (images, data, downloads), the default
navigation and the HTML of each generated page. The mkdocs adapter (``plugin.py``) and the
plain-files export (``plain.py``) both use it; neither adds content of its own.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import jinja2

from ...model import CONTRIBUTION_STATUS_LABELS, Chart, german_date
from . import content as site_content
from .caches import template_cache
from .html import dataset_html, paper_html
from .input import RoundTable, SiteInput, round_page_uri
from .sessions import SessionPages

TEMPLATE_DIR = Path(__file__).parent / "templates"

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
LINKED_PAGES = ("leichte-sprache.md", "gebaerdensprache.md", "mitmachen.md", "praxisbeispiele.md",
                "mitwirkende.md", "monitoring.md")  # the templates link to these when they exist
DOWNLOAD_LABELS = {"pdf": "PDF", "docx": "Word (DOCX)"}

UrlOf = Callable[[str], "str | None"]  # source path → the page's or file's URL below the site root


@dataclass(frozen=True)
class GeneratedPage:
    """A page the site generator must create (its content comes from :meth:`SitePages.render`)."""

    uri: str  # source path in the docs tree, e.g. "papiere/bildungsmanagement.md"
    title: str
    hide: tuple[str, ...] = ()  # "navigation", "toc": parts of the theme the page leaves out


class SitePages:
    """Pages, files, navigation and page HTML of one :class:`SiteInput`."""

    def __init__(self, site: SiteInput, has_doc: Callable[[str], bool]):
        """``has_doc(uri)`` tells whether the hand-written docs tree holds ``uri``."""
        self.input = site
        self.has_doc = has_doc
        self.content = site_content.SiteContent(site.corpus, site.intern)
        self.sessions = SessionPages(site.corpus, site.intern)
        self.rounds: dict[str, RoundTable] = {round_page_uri(r.paper_id, r.round_id): r for r in site.rounds}
        self.views = {site_content.paper_page_uri(d.paper.id):
                      site_content.PaperView(d, site_content.paper_page_url(d.paper.id)) for d in site.drafts}
        self.has_monitoring = any(block.dataset for d in site.drafts for block in d.blocks)
        self.templates: dict[str, str] = {}  # generated page source path → template
        self.downloads: dict[str, tuple[str, str]] = {}  # site path of a current PDF/DOCX → (paper id, kind)
        self.charts: dict[str, Chart] = {}  # site path → chart to draw as SVG
        self.bodies: dict[str, str] = {}  # paper page source path → its HTML, once converted
        self._overview_inputs: tuple | None = None
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(TEMPLATE_DIR), autoescape=True,
            trim_blocks=True, lstrip_blocks=True, undefined=jinja2.StrictUndefined,
            bytecode_cache=template_cache())
        self.env.filters["datum"] = german_date

    # --- what the generator creates ----------------------------------------------------------

    def pages(self, site_name: str) -> list[GeneratedPage]:
        """Every generated page, in a stable order (``site_name`` titles a generated start page)."""
        static = dict(STATIC_PAGES)
        if self.input.intern:
            static[STATUS_PAGE[0]] = STATUS_PAGE[1:]
        if self.has_monitoring:
            static[MONITORING_PAGE[0]] = MONITORING_PAGE[1:]
        pages = [GeneratedPage(uri, title, ("navigation",)) for uri, (_, title) in static.items()]
        self.templates = {uri: template for uri, (template, _) in static.items()}
        for uri, table in self.rounds.items():
            self.templates[uri] = ABWAEGUNG_TEMPLATE
            pages.append(GeneratedPage(uri, f"Abwägungstabelle {table.title}", ("navigation", "toc")))
        if not self.has_doc(START_PAGE):
            pages.append(GeneratedPage(START_PAGE, site_name))
        for uri, view in self.views.items():
            self.templates[uri] = "paper.html"
            pages.append(GeneratedPage(uri, view.paper.title))
        for uri, (template, title) in self.sessions.pages().items():
            self.templates[uri] = template
            pages.append(GeneratedPage(uri, title))
        return pages

    def files(self, download_size: Callable[[str], str]) -> dict[str, Path | bytes]:
        """Every file the site offers (site path → file or content), and the download lists of the papers.

        The current PDF/DOCX are not among the files: :attr:`downloads` lists their site paths, and
        the generator copies them from :attr:`SiteInput.downloads` when they are ready.
        ``download_size(site_path)`` gives the size shown beside one of them (the mkdocs adapter
        shows a placeholder there while the file is still being rendered).
        """
        files: dict[str, Path | bytes] = {}
        root = self.input.corpus.root
        papers = []
        for uri, view in self.views.items():
            view = site_content.PaperView(view.draft, view.uri, self._downloads(view, download_size),
                                          self._archive(view, files))
            self.views[uri] = view
            papers.append(view)
            for site_path, source in site_content.media_files(view.draft, root).items():
                files[site_path] = source
            for chart in view.draft.charts:
                self.charts[site_content.chart_uri(view.paper.id, chart.id)] = chart
            for block in view.draft.blocks:
                if block.dataset is not None:
                    files[site_content.csv_uri(view.paper.id, block.dataset)] = root / block.dataset.csv
        self.content.papers = papers
        for table in self.rounds.values():
            for kind, data in table.outputs.items():
                files[f"downloads/abwaegung/{table.paper_id}-{table.round_id}.{kind}"] = data
            for _, path in table.drafts:
                files[f"downloads/runden/{path.name}"] = path
        files.update(self.sessions.files(dict(self.input.session_documents) if self.input.intern else None,
                                         self.input.calendar))
        return files

    def nav(self) -> list:
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
        if self.has_doc("mitmachen.md"):
            nav.append({"Mitmachen": "mitmachen.md"})
        nav += internal_sessions
        if self.input.intern:
            nav.append({STATUS_PAGE[2]: STATUS_PAGE[0]})
        if self.rounds:
            nav.append({"Abwägung": [{table.title: uri} for uri, table in self.rounds.items()]})
        return nav

    def legal_links(self, url_of: UrlOf) -> list[dict[str, str]]:
        """The footer's links to the legal pages that exist."""
        return [{"title": title, "url": url} for uri, title in LEGAL_PAGES if (url := url_of(uri)) is not None]

    def overview_inputs(self) -> tuple:
        """What every generated page except the paper pages is made of.

        That is the corpus without the contribution texts and the drafts' blocks without their
        bodies (data tables, which the Monitoring page shows, are kept). When it is unchanged
        after an edit, only paper pages can look different.
        """
        if self._overview_inputs is None:
            site, corpus = self.input, self.input.corpus
            self._overview_inputs = (
                corpus.members, corpus.papers, corpus.publisher, corpus.sessions, corpus.comments,
                tuple(_fields_but(c, "body") for c in corpus.contributions),
                tuple(block if block.dataset else _fields_but(block, "content", "text", "paragraphs")
                      for draft in site.drafts for block in draft.blocks),
                site.status, site.rounds, site.archive, site.session_documents, site.calendar, site.errors)
        return self._overview_inputs

    # --- page HTML ---------------------------------------------------------------------------

    def render(self, uri: str, page_url: str, url_of: UrlOf, site_name: str, site_url: str,
               relative: Callable[[str], str] | None = None) -> str | None:
        """The HTML of generated page ``uri`` (whose address is ``page_url``), or None if it is hand-written.

        ``url_of`` resolves source paths to addresses below the site root; ``relative(target)``
        turns such an address into a link from this page (default: :func:`relative_url`).
        """
        template = self.templates.get(uri) or ("start.html" if uri == START_PAGE else None)
        if template is None:
            return None
        if relative is None:
            def relative(target: str) -> str:
                return relative_url(target, page_url)

        view = self.views.get(uri)
        context = {
            "site": self.content,
            "view": view,
            "intern": self.input.intern,
            "beispieltexte": self.input.corpus.publisher.sample,
            "site_name": site_name,
            "site_url": site_url,
            "url": relative,
            "page_url": page_url,
            "pages": {u: url for u in LINKED_PAGES if (url := url_of(u)) is not None},
        }
        context.update(self.sessions.context(uri))
        site_root = relative(".") + "/"
        if view is not None:
            body = self.bodies.get(uri)
            context["body"] = body if body is not None else paper_html(view.draft, site_root)
        if template == MONITORING_PAGE[1]:
            context["indikatoren"] = [(i, dataset_html(i.paper.draft, i.dataset, site_root))
                                      for i in self.content.indicators]
        if template == STATUS_PAGE[1]:
            context["papers"] = list(self.input.status)
            context["statuses"] = CONTRIBUTION_STATUS_LABELS
            context["abwaegung_urls"] = {(t.paper_id, t.round_id): relative(url_of(u) or u)
                                         for u, t in self.rounds.items()}
        if template == ABWAEGUNG_TEMPLATE:
            context.update(self._abwaegung_context(self.rounds[uri], relative))
        return self.env.get_template(template).render(context)

    def error_banner(self) -> str:
        """The list of check errors the live preview shows above every page ("" without errors)."""
        if not self.input.errors:
            return ""
        return self.env.get_template("errors.html").render(errors=list(self.input.errors))

    # --- helpers -----------------------------------------------------------------------------

    def _downloads(self, view: site_content.PaperView,
                   download_size: Callable[[str], str]) -> tuple[site_content.Download, ...]:
        if self.input.downloads is None:
            return ()  # the live preview offers no downloads
        paper = view.paper
        stem = f"{paper.id}-{paper.latest_version.number if paper.latest_version else 'entwurf'}"
        result = []
        for kind, label in DOWNLOAD_LABELS.items():
            if kind not in self.input.download_kinds:
                continue
            uri = f"downloads/{stem}.{kind}"
            self.downloads[uri] = (paper.id, kind)
            result.append(site_content.Download(kind, label, uri, download_size(uri)))
        return tuple(result)

    def _archive(self, view: site_content.PaperView, files: dict[str, Path | bytes]
                 ) -> tuple[tuple[str, tuple[site_content.Download, ...]], ...]:
        """The frozen PDF/DOCX of every earlier released version, added to ``files``."""
        archive = []
        for number, paths in self.input.archive.get(view.paper.id, ()):
            entries = []
            for kind, path in paths.items():
                uri = f"downloads/versionen/{path.name}"
                files[uri] = path
                entries.append(site_content.Download(kind, DOWNLOAD_LABELS[kind], uri,
                                                     site_content.human_size(path.stat().st_size)))
            archive.append((number, tuple(entries)))
        return tuple(archive)

    def _abwaegung_context(self, table: RoundTable, relative: Callable[[str], str]) -> dict:
        downloads = [(kind.upper(), relative(f"downloads/abwaegung/{table.paper_id}-{table.round_id}.{kind}"))
                     for kind in ("pdf", "docx", "csv")]
        drafts = [(kind.upper(), relative(f"downloads/runden/{path.name}")) for kind, path in table.drafts]
        return {"tabelle": table.html, "abwaegung": table.table, "abwaegung_downloads": downloads,
                "runde_downloads": drafts}


def _fields_but(value: object, *left_out: str) -> tuple:
    """The fields of a dataclass instance except ``left_out``, for comparing (faster than ``replace``)."""
    return tuple(field for name, field in vars(value).items() if name not in left_out)


def relative_url(target: str, page_url: str) -> str:
    """``target`` (relative to the site root) as seen from the page at ``page_url``.

    Same result as mkdocs' ``get_relative_url`` for directory URLs, without importing mkdocs.
    """
    import posixpath

    base = posixpath.dirname(page_url.rstrip("/") + "/x") if page_url.endswith("/") else posixpath.dirname(page_url)
    relative = posixpath.relpath(target or ".", base or ".")
    if target.endswith("/") and not relative.endswith("/"):
        relative += "/"
    return relative
