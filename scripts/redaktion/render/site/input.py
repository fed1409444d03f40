"""What the website is made of: one frozen value the build hands to the site renderer.

The orchestrator (``redaktion.build.site``) loads, checks and assembles the project, renders
what other renderers make (PDF, DOCX, Abwägungstabellen, session PDFs) and puts all of it
into a :class:`SiteInput`. The site renderer only turns that value into pages; it never loads,
checks or renders anything else. A different site generator needs an adapter for this one
value, nothing more (see ``plugin.py`` for mkdocs and ``plain.py`` for plain files).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path

from ...assemble.abwaegung import Abwaegung
from ...assemble.status import PaperStatus
from ...model import Corpus, Diagnostic, Draft

# paper id → kind ("pdf", "docx") → rendered file; the function may block until they are ready.
Downloads = Callable[[], Mapping[str, Mapping[str, Path]]]


def round_page_uri(paper_id: str, round_id: str) -> str:
    """Source path of a round's Abwägungstabelle page (internal sites)."""
    return f"abwaegung/{paper_id}-{round_id}.md"


@dataclass(frozen=True)
class RoundTable:
    """The Abwägungstabelle of one consultation round (internal sites only)."""

    paper_id: str
    round_id: str
    title: str  # "Bildungsmanagement: 2010-1"
    table: Abwaegung
    html: str  # the table as an HTML fragment, its paragraph links relative to the round's page
    outputs: Mapping[str, bytes]  # "pdf", "docx", "csv" → the table as a file
    drafts: tuple[tuple[str, Path], ...] = ()  # (kind, file) of the round's frozen draft, if made here


@dataclass(frozen=True)
class SiteInput:
    """Everything one build of the website shows."""

    corpus: Corpus
    drafts: tuple[Draft, ...]
    intern: bool = False
    # The current PDF/DOCX of each paper; None: the site offers no downloads (live preview).
    downloads: Downloads | None = None
    download_kinds: tuple[str, ...] = ("pdf", "docx")  # the live preview offers only the PDF
    # paper id → (version number, kind → frozen file) for every earlier released version
    archive: Mapping[str, tuple[tuple[str, Mapping[str, Path]], ...]] = field(default_factory=dict)
    status: tuple[PaperStatus, ...] = ()  # the Bearbeitungsstand (internal sites only)
    rounds: tuple[RoundTable, ...] = ()  # internal sites only
    session_documents: Mapping[str, Path] = field(default_factory=dict)  # file name → invitation/minutes PDF
    calendar: bytes | None = None  # the sessions as iCalendar (internal sites with sessions)
    errors: tuple[Diagnostic, ...] = ()  # shown on every page of the live preview
    warnings: tuple[str, ...] = ()  # German sentences for the build log
    # The papers' HTML bodies, already being converted (by html.start_paper_bodies) in the order of
    # ``drafts``; None: the renderer converts them itself.
    bodies: Future[list[str]] | None = None
