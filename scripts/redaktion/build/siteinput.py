"""The website's input, made from the project: everything the site shows, as one frozen value.

:func:`site_input` is the one place where everything the site shows is gathered: the drafts,
the frozen files of earlier versions, the Bearbeitungsstand, the Abwägungstabellen and the
session PDFs. The site renderer (``render/site``) gets it as one frozen value.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from concurrent.futures import Future
from pathlib import Path

from ..assemble.abwaegung import Abwaegung, abwaegung
from ..assemble.status import status_overview
from ..model.errors import RedaktionError
from ..model import Corpus, Diagnostic, Draft, round_dir, round_file_names
from ..render.site.content import paper_page_url, refused_media
from ..render.site.input import Downloads, RoundTable, SiteInput, round_page_uri
from ..render.site.pages import relative_url
from ..render.site.plain import page_url
from .outputs import session_pdfs
from .versions import released_outputs


def site_input(corpus: Corpus, drafts: list[Draft], intern: bool, downloads: Downloads | None = None,
               errors: tuple[Diagnostic, ...] = (), warnings: tuple[str, ...] = (),
               bodies: Future[list[str]] | None = None) -> SiteInput:
    """Everything the site of ``corpus`` shows, for the given (already assembled) ``drafts``.

    ``downloads`` gives the current PDF/DOCX per paper (None: the site offers none, as in the
    live preview). Earlier versions come from ``build/versions`` or their git tags.
    """
    archive, problems = ({}, []) if intern else _archive(corpus, drafts)
    problems += [f"Das Bild „{image}“ liegt nicht im Ordner media/ von „{draft.paper.id}“ und erscheint nicht auf "
                 "der Website. Legen Sie es dorthin und verweisen Sie mit media/name.png darauf."
                 for draft in drafts for image in refused_media(draft, corpus.root)]
    return SiteInput(
        corpus=corpus, drafts=tuple(drafts), intern=intern, downloads=downloads, archive=archive,
        status=tuple(status_overview(corpus)) if intern else (),
        rounds=_round_tables(corpus) if intern else (),
        session_documents=session_pdfs(corpus) if intern else {},
        calendar=_calendar(corpus) if intern and corpus.sessions else None,
        errors=errors, warnings=(*warnings, *problems), bodies=bodies)


def _archive(corpus: Corpus, drafts: list[Draft]
             ) -> tuple[dict[str, tuple[tuple[str, Mapping[str, Path]], ...]], list[str]]:
    """Frozen PDF/DOCX of every earlier released version of each paper, and what is missing."""
    archive, problems = {}, []
    for draft in drafts:
        paper = draft.paper
        if len(paper.versions) < 2:
            continue
        frozen, missing = released_outputs(corpus.root, paper.id)
        # The site is still built (the current version is what matters most), but it says what is missing.
        for line in dict.fromkeys(_missing_line(error) for number, error in missing
                                  if number != paper.latest_version.number):  # the same git error once
            problems.append(line)
        archive[paper.id] = tuple((number, paths) for number, paths in frozen.items()
                                  if number != paper.latest_version.number)  # the current one is the main download
    return archive, problems


def _missing_line(error: RedaktionError) -> str:
    hint = f" Hinweis: {error.hint}" if error.hint else ""
    return f"Eine frühere Version fehlt auf der Website. {error.message}{hint}"


def _calendar(corpus: Corpus) -> bytes:
    from ..render.ical import calendar

    return calendar(corpus)


def _round_tables(corpus: Corpus) -> tuple[RoundTable, ...]:
    """The Abwägungstabelle of every round with its PDF, DOCX and CSV, and the round's frozen draft."""
    tables = []
    for paper in sorted(corpus.papers.values(), key=lambda p: p.id):
        for current in paper.rounds:
            table = abwaegung(corpus, paper.id, current.id)
            date = current.closed or current.opened
            folder = round_dir(corpus.root, paper.id, current.id)
            drafts = tuple((kind, folder / name) for kind, name in
                           round_file_names(paper.id, current.id, current.version).items() if (folder / name).is_file())
            # Paragraph ids in the table link to the paper's page, relative to the round's page.
            paper_link = relative_url(paper_page_url(paper.id), page_url(round_page_uri(paper.id, current.id)))
            html, outputs = _rendered_table(table, date, paper_link)
            tables.append(RoundTable(paper.id, current.id, f"{paper.short_title or paper.title}: {current.id}",
                                     table, html, outputs, drafts))
    return tuple(tables)


_RENDERED_TABLES: dict[str, tuple[str, dict[str, bytes]]] = {}  # the live preview renders each table once


def _rendered_table(table: Abwaegung, date: str, paper_link: str) -> tuple[str, dict[str, bytes]]:
    """HTML, PDF, DOCX and CSV of one Abwägungstabelle, remembered by what the table holds."""
    from ..render.abwaegung import render_csv, render_docx, render_pdf
    from ..render.abwaegung.table import table_html

    key = hashlib.sha256(repr((table, date, paper_link)).encode("utf-8")).hexdigest()
    if key not in _RENDERED_TABLES:
        if len(_RENDERED_TABLES) >= 64:
            _RENDERED_TABLES.clear()
        _RENDERED_TABLES[key] = (table_html(table, paper_link), {
            "pdf": render_pdf(table, date), "docx": render_docx(table, date), "csv": render_csv(table)})
    return _RENDERED_TABLES[key]
