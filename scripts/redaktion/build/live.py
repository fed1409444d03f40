"""The live preview's project: loaded, checked and assembled again after every save, cheaply.

``redaktion serve`` runs for hours and sees one saved file at a time. :class:`LiveProject`
keeps in memory what a fresh process would read from ``build/.cache`` (the parsed
contribution files) and the draft of every paper, so after a save only the saved file is
parsed again and only the papers whose contributions changed are assembled again. The
result is the same :class:`~redaktion.render.site.input.SiteInput` that
:func:`~redaktion.build.site.project_input` gives.
"""

from __future__ import annotations

from pathlib import Path

from ..assemble.draft import assemble
from ..check.corpus import Remembered, check
from ..model import Corpus, Draft
from ..render.site.input import SiteInput
from ..source.cache import ContributionCache
from ..source.load import load
from .siteinput import site_input


class LiveProject:
    """One project as the live preview sees it; call :meth:`site_input` after every save."""

    def __init__(self, root: Path, intern: bool) -> None:
        self.root = Path(root).resolve()
        self.intern = intern
        self._cache: ContributionCache | bool = ContributionCache.open(self.root) or True
        self._drafts: dict[str, tuple[tuple, Draft]] = {}  # paper id → (what it was made of, draft)
        self._checked = Remembered()

    def site_input(self, contributions_only: bool = False) -> SiteInput:
        """Load, check and assemble the project as it is now; content errors are part of the result.

        ``contributions_only`` says that only contribution texts (Markdown or YAML below
        ``contributions/``) changed since the last call: a paper whose contributions, members
        and publisher are unchanged keeps its draft. Otherwise every paper is assembled again
        (a data table or an image may have changed).
        """
        if not contributions_only:  # an image, a data table or the code may have changed
            self._drafts, self._checked = {}, Remembered()
        if isinstance(self._cache, ContributionCache):
            self._cache.autosave = not contributions_only
        corpus = load(self.root, self._cache)
        diagnostics = check(corpus, self._checked)
        errors = tuple(d for d in diagnostics if d.severity == "error")
        warnings = tuple(d.format() for d in diagnostics if d.severity != "error")
        try:
            drafts = self._drafts_for(corpus)
        except Exception:  # noqa: BLE001 - broken content; the error list on every page explains it
            if not errors:
                raise
            drafts = []
        return site_input(corpus, drafts, self.intern, None, errors=errors, warnings=warnings)

    def _drafts_for(self, corpus: Corpus) -> list[Draft]:
        """Like :func:`~redaktion.build.outputs.drafts_for`, reusing the drafts of unchanged papers."""
        drafts, kept = [], {}
        for paper in sorted(corpus.papers.values(), key=lambda p: p.id):
            if not (self.intern or paper.is_public):
                continue
            made_of = (paper, tuple(corpus.contributions_of(paper.id)), corpus.members, corpus.publisher)
            known = self._drafts.get(paper.id)
            draft = known[1] if known is not None and known[0] == made_of else assemble(corpus, paper.id, self.intern)
            kept[paper.id] = (made_of, draft)
            drafts.append(draft)
        self._drafts = kept
        return drafts
