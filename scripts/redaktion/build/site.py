"""The site of a project for ``redaktion build``, and the mkdocs plugin that mkdocs.yml names.

:func:`project_input` loads and checks the project and gathers the site's input
(:func:`~.siteinput.site_input`); :class:`RedaktionPlugin` does the same when mkdocs runs on
its own, and in the live preview keeps a :class:`~.live.LiveProject` and the warm PDF compiler.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig

from ..check.corpus import check, has_errors
from ..model import ContentError, Draft
from ..render.site.input import Downloads, SiteInput
from ..render.site.plugin import SiteAdapter
from ..source.load import load
from ..util.cachefiles import write_atomic
from .live import LiveProject
from .outputs import CACHE_DIR, cached_outputs, drafts_for
from .preview import PreviewPdfs
from .siteinput import site_input


def project_input(root: Path, intern: bool, downloads: Downloads | None = None) -> SiteInput:
    """Load and check the project in ``root`` and make its site's input.

    Content errors raise :class:`ContentError` (the live preview shows them instead, see
    :class:`~.live.LiveProject`). ``downloads`` defaults to rendering PDF and DOCX through the
    build's cache.
    """
    corpus = load(root)
    diagnostics = check(corpus)
    if has_errors(diagnostics):
        raise ContentError(diagnostics)
    warnings = tuple(d.format() for d in diagnostics if d.severity != "error")
    drafts = drafts_for(corpus, intern)
    if downloads is None:
        downloads = lambda: _rendered(drafts, root)  # noqa: E731 - called only once the pages are written
    return site_input(corpus, drafts, intern, downloads, warnings=warnings)


class RedaktionPlugin(SiteAdapter):
    """The ``redaktion`` plugin of mkdocs.yml: makes the site's input when mkdocs runs on its own.

    In the live preview it also keeps a warm PDF compiler: after each save the papers' PDFs are
    compiled in the background and put into the served site as soon as they are ready.
    """

    def __init__(self) -> None:
        super().__init__()
        self.preview: PreviewPdfs | None = None
        self.live: LiveProject | None = None
        self._site_dir: Path | None = None

    def make_input(self, root: Path, intern: bool, serving: bool) -> SiteInput:
        if not serving:
            return project_input(root, intern)
        site = self._preview_input(root, intern, contributions_only=False)
        self._compile_pdfs(site)  # at once: a full build takes longer than most compiles
        return site

    def update(self, root: Path, intern: bool) -> list[str] | None:
        """After a save of contribution texts only: rebuild the pages that changed.

        Returns the addresses of the pages written, or None when a full build is needed.
        """
        site = self._preview_input(root, intern, contributions_only=True)
        # The page first, then the PDF: on two cores Typst's threads would slow the page down.
        pages = self.refresh(site)
        if pages is not None:
            self._compile_pdfs(site)
        return pages

    def _preview_input(self, root: Path, intern: bool, contributions_only: bool) -> SiteInput:
        """The live preview's input, offering the preview's PDFs."""
        if self.live is None or self.live.root != root.resolve() or self.live.intern != intern:
            self.live = LiveProject(root, intern)
        site = self.live.site_input(contributions_only)
        if self.preview is None:
            self.preview = PreviewPdfs(root, on_ready=self._place_pdf)
            last = _edited_last(site)
            if last is not None:
                self.preview.warm_up(last)
        return replace(site, downloads=self.preview.ready, download_kinds=("pdf",))

    def _compile_pdfs(self, site: SiteInput) -> None:
        assert self.preview is not None
        self.preview.update(site.drafts)

    def background_turn(self) -> None:
        # The preview's PDF first: the search index of the changed page can wait a moment.
        if self.preview is not None:
            self.preview.wait_idle(timeout=30)

    def on_post_build(self, config: MkDocsConfig) -> None:
        # Known before the ready PDFs are copied: one finishing meanwhile is then placed by _place_pdf.
        self._site_dir = Path(config.site_dir)
        super().on_post_build(config)

    def on_shutdown(self) -> None:
        super().on_shutdown()
        if self.preview is not None:
            self.preview.close()
        self.preview, self.live = None, None  # mkdocs keeps this plugin object for the next config

    def _place_pdf(self, paper_id: str, path: Path) -> None:
        """Put a PDF finished after the page was built into the served site (background thread)."""
        site, folder = self.site, self._site_dir
        if site is None or folder is None:
            return  # the first build has not reached its end; it copies the ready PDFs itself
        for uri, (owner, kind) in list(site.downloads.items()):
            if owner == paper_id and kind == "pdf":
                write_atomic(folder / uri, path.read_bytes())


def _edited_last(site: SiteInput) -> Draft | None:
    """The draft of the paper whose contribution was saved last (made warm at the start)."""
    drafts = {draft.paper.id: draft for draft in site.drafts}
    times = [(c.path.stat().st_mtime_ns, c.paper) for c in site.corpus.contributions
             if c.paper in drafts and c.path.is_file()]
    return drafts[max(times)[1]] if times else None


def _rendered(drafts: list[Draft], root: Path) -> dict[str, dict[str, Path]]:
    """PDF and DOCX for plain ``mkdocs build``, through the same cache ``redaktion build`` uses."""
    return {draft.paper.id: cached_outputs(draft, root, root / "build" / CACHE_DIR)[0] for draft in drafts}
